package io.ssmstream.operators.swap;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.operators.ModelArtifact;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model files and the updates that announce them, for the swap tests. */
public final class ModelFiles {
    private ModelFiles() {
    }

    public static byte[] bytes(SsmModel model) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            model.toFile().writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code model} to {@code dir/<version>.safetensors} and returns a correct update for it. */
    public static ModelUpdate publish(SsmModel model, Path dir, String version) {
        byte[] bytes = bytes(model);
        Path file = dir.resolve(version + ".safetensors");
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelUpdate("default", version, file.toUri().toString(), ModelArtifact.sha256Hex(bytes),
                model.config().toJson(), System.currentTimeMillis());
    }

    /** The config JSON the file carries, as the trainer would publish it. */
    public static String configJson(SsmModel model) {
        return model.toFile().metadata().get(ModelConfig.METADATA_KEY);
    }
}
