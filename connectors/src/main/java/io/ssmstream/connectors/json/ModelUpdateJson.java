package io.ssmstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssmstream.connectors.event.ModelUpdate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The model-update topic's value format (the record key is the model name, for compaction):
 * <pre>{"model":"default","version":"nyc-taxi-v2","uri":"file:///models/nyc-taxi-v2.safetensors",
 *  "sha256":"9f86d0...","config":{"arch":"mamba","d_input":1,...},"published_at":1700000000000}</pre>
 *
 * <p>{@code config} is the model's config object as the model file carries it, embedded as JSON (not a string),
 * so that a consumer can check the architecture and {@code d_input} before fetching the file.
 */
public final class ModelUpdateJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private ModelUpdateJson() {
    }

    /** The update as UTF-8 JSON. */
    public static byte[] toBytes(ModelUpdate u) {
        Objects.requireNonNull(u, "update");
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model", u.modelName);
            g.writeStringField("version", u.version);
            g.writeStringField("uri", u.uri);
            g.writeStringField("sha256", u.sha256);
            g.writeFieldName("config");
            g.writeRawValue(u.configJson);
            g.writeNumberField("published_at", u.publishedAt);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model-update JSON for " + u, e);
        }
        return out.toByteArray();
    }

    /**
     * Reads a value written by {@link #toBytes}; unknown fields are ignored.
     *
     * @throws IllegalArgumentException naming the field when the JSON is malformed, a field is missing or of the
     *                                  wrong type, or {@code sha256} is not 64 hex digits
     */
    public static ModelUpdate parse(byte[] json) {
        JsonNode root = JsonNumbers.readObject(json, "model-update");
        String model = requiredText(root, "model");
        String version = requiredText(root, "version");
        String uri = requiredText(root, "uri");
        String sha256 = requiredText(root, "sha256").toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("\"sha256\" must be 64 hex digits, got \"" + sha256 + "\"");
        }
        JsonNode config = JsonNumbers.required(root, "config");
        if (!config.isObject()) {
            throw new IllegalArgumentException("\"config\" must be a JSON object, got " + config);
        }
        long publishedAt = JsonNumbers.toLong(JsonNumbers.required(root, "published_at"), "published_at");
        return new ModelUpdate(model, version, uri, sha256, config.toString(), publishedAt);
    }

    /** {@link #parse(byte[])} of a JSON string. */
    public static ModelUpdate parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String requiredText(JsonNode root, String field) {
        String text = JsonNumbers.text(root, field);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return text;
    }
}
