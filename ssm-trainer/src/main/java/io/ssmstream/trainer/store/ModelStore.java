package io.ssmstream.trainer.store;

import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingDataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigConstants;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.plugin.PluginUtils;

/**
 * Where trained models go: a local directory or any Flink FileSystem URI ({@code file:///models},
 * {@code s3://bucket/models}, {@code hdfs://...}; the scheme's Flink file system plugin must be available).
 *
 * <p>Layout: {@code <base>/<model name>/<version>.safetensors}. A version is written once and never replaced:
 * the bytes go to a hidden temporary file next to it that is renamed to the
 * versioned name only when complete, so a reader never sees half a model (on an object store such as S3 the
 * rename is a server-side copy, which also makes the object visible only whole). Writing a version that exists
 * is an error. Two trainers writing the same version at the same moment are not
 * detected on every file system (the existence check and the rename are separate steps); give them different
 * model names or versions.
 */
public final class ModelStore {
    /** Model names and versions become path segments: letters, digits, '.', '_' and '-', not starting with '.'. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");
    public static final String EXTENSION = ".safetensors";

    private final Path base;
    private final FileSystem fs;

    private ModelStore(Path base, FileSystem fs) {
        this.base = base;
        this.fs = fs;
    }

    /**
     * Makes Flink's file system plugins ({@code $FLINK_PLUGINS_DIR}, default {@code ./plugins}, e.g.
     * {@code plugins/s3-fs-hadoop/flink-s3-fs-hadoop-*.jar}) and the Flink configuration in
     * {@code $FLINK_CONF_DIR} (credentials, endpoints) available to stores opened afterwards. Outside a Flink
     * process call this once at start-up; inside one (the retraining batch job) Flink has done it.
     */
    public static void initializeFileSystems() {
        String confDir = System.getenv(ConfigConstants.ENV_FLINK_CONF_DIR);
        Configuration conf = confDir == null ? new Configuration() : GlobalConfiguration.loadConfiguration(confDir);
        String pluginsDir = System.getenv().getOrDefault(ConfigConstants.ENV_FLINK_PLUGINS_DIR,
                ConfigConstants.DEFAULT_FLINK_PLUGINS_DIRS);
        // without a plugins directory only the built-in file systems (file://) exist; Flink would warn about it
        FileSystem.initialize(conf, Files.isDirectory(Paths.get(pluginsDir))
                ? PluginUtils.createPluginManagerFromRootFolder(conf) : null);
    }

    /**
     * @param location a directory path (relative or absolute) or a URI with a scheme Flink knows
     * @throws TrainingDataException when the location is malformed or its file system is not available
     */
    public static ModelStore open(String location) {
        if (location == null || location.isBlank()) {
            throw new TrainingDataException("--store must name a directory or a file system URI, got \""
                    + location + "\"");
        }
        Path base;
        if (location.contains("://") || location.startsWith("file:")) {
            base = new Path(location);
        } else {
            base = new Path(Paths.get(location).toAbsolutePath().normalize().toUri());
        }
        try {
            FileSystem fs = base.getFileSystem();
            return new ModelStore(base.makeQualified(fs), fs);
        } catch (IOException | IllegalArgumentException e) {
            throw new TrainingDataException("model store " + location + ": " + e.getMessage());
        }
    }

    /** The store's base as a qualified URI. */
    public URI uri() {
        return base.toUri();
    }

    /**
     * Writes the model under {@code <model name>/<its ssm_stream.version>.safetensors}.
     *
     * @return where it went, the file's SHA-256 and the config JSON that the file carries
     * @throws TrainingDataException when the name or version is not a valid path segment or the version exists
     * @throws IOException           when the file system fails
     */
    public StoredModel write(String modelName, SsmModel model) throws IOException {
        String version = model.metadata().get(Trainer.VERSION);
        requireSegment("model name", modelName);
        requireSegment("version", version);
        byte[] bytes = serialize(model);
        // The config as a reader of the file sees it: parsed back from the bytes that are stored.
        String configJson = SafetensorsFile.read(bytes, version).metadata().get(ModelConfig.METADATA_KEY);
        ModelConfig.fromJson(configJson, version);
        Path dir = new Path(base, modelName);
        Path target = new Path(dir, version + EXTENSION);
        if (fs.exists(target)) {
            throw new TrainingDataException("model store: " + target + " exists; a stored version is never"
                    + " overwritten (choose another version)");
        }
        fs.mkdirs(dir);
        Path tmp = new Path(dir, "." + version + EXTENSION + "." + UUID.randomUUID() + ".tmp");
        try (OutputStream out = fs.create(tmp, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(bytes);
        }
        if (fs.exists(target) || !fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new TrainingDataException("model store: " + target + " appeared while it was written or the"
                    + " temporary file cannot be renamed to it; nothing overwritten");
        }
        return new StoredModel(modelName, version, qualifiedUri(target), sha256(bytes), configJson, bytes.length);
    }

    /** The bytes of a stored model, e.g. to verify its checksum. */
    public byte[] read(URI uri) throws IOException {
        Path p = new Path(uri);
        try (InputStream in = p.getFileSystem().open(p)) {
            return in.readAllBytes();
        }
    }

    /**
     * The newest stored version of a model (by modification time, then name), or null when it has none; hidden
     * temporary files are ignored.
     */
    public URI latest(String modelName) throws IOException {
        requireSegment("model name", modelName);
        Path dir = new Path(base, modelName);
        if (!fs.exists(dir)) {
            return null;
        }
        FileStatus newest = null;
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isDir() || name.startsWith(".") || !name.endsWith(EXTENSION)) {
                continue;
            }
            if (newest == null || s.getModificationTime() > newest.getModificationTime()
                    || (s.getModificationTime() == newest.getModificationTime()
                    && name.compareTo(newest.getPath().getName()) > 0)) {
                newest = s;
            }
        }
        return newest == null ? null : qualifiedUri(newest.getPath());
    }

    /** Lower-case hex SHA-256, as the model-update record carries it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] serialize(SsmModel model) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        model.toFile().writeTo(out);
        return out.toByteArray();
    }

    /** {@code file:///dir/x} for local files (the form users write), the file system's own URI otherwise. */
    private URI qualifiedUri(Path p) {
        URI u = p.makeQualified(fs).toUri();
        if ("file".equals(u.getScheme()) && u.getAuthority() == null) {
            return URI.create("file://" + u.getRawPath());
        }
        return u;
    }

    private static void requireSegment(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!SEGMENT.matcher(value).matches()) {
            throw new TrainingDataException("model store: " + what + " \"" + value + "\" must be 1-200 letters, digits,"
                    + " '.', '_' or '-' and not start with '.'");
        }
    }
}
