package io.ssmstream.trainer.store;

import io.ssmstream.connectors.event.ModelUpdate;
import java.net.URI;

/**
 * A model version written to the {@link ModelStore}.
 *
 * @param modelName  the model's name (the model-update topic's key)
 * @param version    its {@code ssm_stream.version}
 * @param uri        where the file is
 * @param sha256     lower-case hex SHA-256 of the file's bytes
 * @param configJson the {@code ssm_stream.config} metadata of the stored file
 * @param bytes      the file's size
 */
public record StoredModel(String modelName, String version, URI uri, String sha256, String configJson, long bytes) {

    /** The record that announces this version on the model-update topic. */
    public ModelUpdate toUpdate(long publishedAtMillis) {
        return new ModelUpdate(modelName, version, uri.toString(), sha256, configJson, publishedAtMillis);
    }
}
