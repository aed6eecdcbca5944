package io.ssmstream.connectors.event;

import java.util.Objects;

/**
 * A new model version announced on the model-update topic: where the model file is, its checksum, and the model
 * config it claims to have. The topic is compacted and keyed by {@link #modelName}, so a restarted job reads
 * the current version of each model. A Flink POJO.
 */
public class ModelUpdate {
    /** The compaction key: one current version per model name (e.g. {@code default}). */
    public String modelName;
    /** The version written into the model file's metadata, e.g. {@code nyc-taxi-v2}. */
    public String version;
    /** Where the model file is: a local path or any Flink FileSystem URI ({@code file:///}, {@code s3://}, ...). */
    public String uri;
    /** Lower-case hex SHA-256 of the model file's bytes. */
    public String sha256;
    /** The model's config as JSON (the safetensors {@code ssm_stream.config} metadata). */
    public String configJson;
    /** When the update was published, epoch milliseconds. */
    public long publishedAt;

    public ModelUpdate() {
    }

    public ModelUpdate(String modelName, String version, String uri, String sha256, String configJson,
                       long publishedAt) {
        this.modelName = modelName;
        this.version = version;
        this.uri = uri;
        this.sha256 = sha256;
        this.configJson = configJson;
        this.publishedAt = publishedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelUpdate u && publishedAt == u.publishedAt && Objects.equals(modelName, u.modelName)
                && Objects.equals(version, u.version) && Objects.equals(uri, u.uri)
                && Objects.equals(sha256, u.sha256) && Objects.equals(configJson, u.configJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(modelName, version, uri, sha256);
    }

    @Override
    public String toString() {
        return "ModelUpdate{" + modelName + " " + version + " " + uri + " sha256=" + sha256 + "}";
    }
}
