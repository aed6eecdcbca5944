package io.ssmstream.operators;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file's bytes with its version, shipped inside the job graph: tasks on any cluster node get the exact
 * model the client validated, with no shared file system needed. The version is the file's
 * {@code __metadata__["ssm_stream.version"]} when set (the trainer sets it), else {@code sha256:<12 hex>}.
 */
public final class ModelArtifact implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String VERSION_METADATA_KEY = "ssm_stream.version";

    private final byte[] bytes;
    private final String source;
    private final String version;
    private final String sha256;
    private final String configJson;
    private final int dInput;

    /** @param version the version to report, or null for the file's own (see the class comment) */
    private ModelArtifact(byte[] bytes, String source, String version) {
        this.bytes = bytes;
        this.source = source;
        this.sha256 = sha256Hex(bytes);
        SafetensorsFile file = SafetensorsFile.read(bytes, source);
        this.dInput = SsmModel.fromFile(file, source).config().dInput(); // validates now, with a clear message
        this.configJson = file.metadata().get(ModelConfig.METADATA_KEY);
        String declared = file.metadata().get(VERSION_METADATA_KEY);
        this.version = version != null ? version
                : declared != null && !declared.isBlank() ? declared : "sha256:" + sha256.substring(0, 12);
    }

    /** Reads and validates a model file. */
    public static ModelArtifact fromFile(Path path) {
        try {
            return new ModelArtifact(Files.readAllBytes(path), path.toString(), null);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path + ": no such file");
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static ModelArtifact fromBytes(byte[] bytes, String source) {
        return new ModelArtifact(bytes.clone(), source, null);
    }

    /**
     * A model announced by a model update: its version is the update's, whatever the file says.
     *
     * @throws io.ssmstream.kernels.format.ModelFormatException when the bytes are not a valid model
     */
    public static ModelArtifact fromBytes(byte[] bytes, String source, String version) {
        return new ModelArtifact(bytes.clone(), source, version);
    }

    /** The file's bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The file's {@code ssm_stream.config} metadata, as written. */
    public String configJson() {
        return configJson;
    }

    public int dInput() {
        return dInput;
    }

    public SsmModel load() {
        return SsmModel.fromFile(SafetensorsFile.read(bytes, source), source);
    }

    public String version() {
        return version;
    }

    public String sha256() {
        return sha256;
    }

    public String source() {
        return source;
    }

    /** Lower-case hex SHA-256 of {@code bytes}, as model updates carry it. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
