package io.ssmstream.operators.swap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.swap.RejectedUpdateException.Reason;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Objects;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Fetches and checks the model file a {@link ModelUpdate} announces, in this order: read it through Flink's
 * {@link FileSystem} (so {@code file://}, {@code s3://}, {@code hdfs://}... and plain paths all work, with the
 * cluster's file-system plugins and credentials), verify its SHA-256, parse it with the kernels' model loader
 * (framing, config, every tensor's shape), check that its config is the one the update announced (numbers
 * compared by value), and that it takes the job's number of values per event. Any failure is a
 * {@link RejectedUpdateException} whose message names the problem.
 */
public final class ModelFetcher {
    /** No model comes near this; a larger file is refused before reading it. */
    static final long MAX_MODEL_BYTES = 1L << 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) ->
            a.isNumber() && b.isNumber() ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;

    private final int expectedDInput;

    /** @param expectedDInput the number of values every input event carries */
    public ModelFetcher(int expectedDInput) {
        if (expectedDInput <= 0) {
            throw new IllegalArgumentException("expectedDInput must be positive, got " + expectedDInput);
        }
        this.expectedDInput = expectedDInput;
    }

    /**
     * @return the checked model, versioned as the update says
     * @throws RejectedUpdateException naming why the update can't be run
     */
    public ModelArtifact fetch(ModelUpdate update) throws RejectedUpdateException {
        Objects.requireNonNull(update, "update");
        byte[] bytes = read(update.uri);
        String actual = ModelArtifact.sha256Hex(bytes);
        if (!actual.equals(update.sha256)) {
            throw new RejectedUpdateException(Reason.CHECKSUM_MISMATCH, "the file's sha256 is " + actual
                    + ", the update says " + update.sha256);
        }
        ModelArtifact model;
        try {
            model = ModelArtifact.fromBytes(bytes, update.uri, update.version);
        } catch (ModelFormatException e) {
            throw new RejectedUpdateException(Reason.CORRUPT_FILE, firstLine(e.getMessage()));
        }
        String difference = configDifference(model.configJson(), update.configJson);
        if (difference != null) {
            throw new RejectedUpdateException(Reason.CONFIG_MISMATCH,
                    "the file's config differs from the update's: " + difference);
        }
        if (model.dInput() != expectedDInput) {
            throw new RejectedUpdateException(Reason.D_INPUT_MISMATCH, "the model takes d_input "
                    + model.dInput() + " values per event, the job's events carry " + expectedDInput);
        }
        return model;
    }

    private static byte[] read(String uri) throws RejectedUpdateException {
        Path path;
        try {
            path = new Path(uri);
        } catch (IllegalArgumentException e) {
            throw new RejectedUpdateException(Reason.MISSING_FILE, "not a file path or URI: " + uri);
        }
        try {
            FileSystem fs = path.getFileSystem();
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new RejectedUpdateException(Reason.MISSING_FILE, "no such file " + uri);
            }
            if (status.isDir()) {
                throw new RejectedUpdateException(Reason.MISSING_FILE, uri + " is a directory, not a model file");
            }
            if (status.getLen() > MAX_MODEL_BYTES) {
                throw new RejectedUpdateException(Reason.UNREADABLE, uri + " has " + status.getLen()
                        + " bytes, more than any model (" + MAX_MODEL_BYTES + ")");
            }
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            throw new RejectedUpdateException(Reason.MISSING_FILE, "no such file " + uri);
        } catch (IOException e) {
            throw new RejectedUpdateException(Reason.UNREADABLE, "cannot read " + uri + ": " + firstLine(e.getMessage()));
        }
    }

    /** The first top-level key whose value differs, as {@code key: file value vs update value}; null if equal. */
    static String configDifference(String fileJson, String updateJson) throws RejectedUpdateException {
        JsonNode file;
        JsonNode announced;
        try {
            file = JSON.readTree(fileJson);
            announced = JSON.readTree(updateJson);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new RejectedUpdateException(Reason.CONFIG_MISMATCH, "config is not JSON: " + firstLine(e.getMessage()));
        }
        if (file.equals(NUMBERS_BY_VALUE, announced)) {
            return null;
        }
        for (Iterator<String> it = file.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            JsonNode other = announced.get(key);
            if (other == null || !file.get(key).equals(NUMBERS_BY_VALUE, other)) {
                return key + ": " + file.get(key) + " vs " + (other == null ? "absent" : other);
            }
        }
        for (Iterator<String> it = announced.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!file.has(key)) {
                return key + ": absent vs " + announced.get(key);
            }
        }
        return "the documents differ";
    }

    private static String firstLine(String message) {
        return String.valueOf(message).lines().findFirst().orElse("");
    }
}
