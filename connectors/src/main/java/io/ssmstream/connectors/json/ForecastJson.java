package io.ssmstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssmstream.connectors.event.ForecastRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The forecast topic's value format:
 * <pre>{"stream":"pump-7","ts":1700000000000,"values":[..],"forecast":[..],"std":[..],
 *  "anomaly_score":0.12,"model_version":"mamba-v3","events":42,"horizon":[..]}</pre>
 * {@code horizon}, the direct forecasts of the next H events ((H, d_input) row-major, event by event), is
 * there only when the model has a direct head.
 *
 * <p>Why this shape: one flat JSON object per event that any consumer (a dashboard, {@code kcat}, Python) can
 * read without a schema registry. Floats are written as Jackson writes a float, i.e. the shortest text that reads
 * back as the same float ({@code 0.1f} is {@code 0.1}); {@link #parse(byte[])} reads it back bit for bit. Null
 * arrays and a null model version are written as JSON null; NaN and infinities as Jackson's quoted literals.
 */
public final class ForecastJson {
    /** Schubfach instead of {@code Float.toString}: the shortest text that reads back bit for bit, faster. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private ForecastJson() {
    }

    /** The record as UTF-8 JSON. */
    public static byte[] toBytes(ForecastRecord r) {
        Objects.requireNonNull(r, "record");
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write forecast JSON for " + r, e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator g, ForecastRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("stream", r.stream);
        g.writeNumberField("ts", r.ts);
        JsonNumbers.writeFloats(g, "values", r.values);
        JsonNumbers.writeFloats(g, "forecast", r.forecast);
        JsonNumbers.writeFloats(g, "std", r.std);
        g.writeNumberField("anomaly_score", r.anomalyScore);
        g.writeStringField("model_version", r.modelVersion);
        g.writeNumberField("events", r.events);
        if (r.horizon != null) {
            JsonNumbers.writeFloats(g, "horizon", r.horizon);
        }
        g.writeEndObject();
    }

    /**
     * Writes records one after another, each as {@link #toBytes} does, through one generator and one buffer: a
     * sink's serializer writes a record per event, and a generator per record (with its context, buffers and
     * output stream) was a seventh of all the pipeline benchmark's job allocated. Not thread-safe: one per
     * serializer instance.
     */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        private JsonGenerator generator;

        /** The record as UTF-8 JSON, the same bytes as {@link ForecastJson#toBytes}. */
        public byte[] toBytes(ForecastRecord r) {
            Objects.requireNonNull(r, "record");
            out.reset();
            try {
                if (generator == null) {
                    generator = FACTORY.createGenerator(out);
                    generator.setRootValueSeparator(null); // each record alone in its buffer
                }
                write(generator, r);
                generator.flush();
            } catch (IOException e) {
                generator = null; // possibly mid-object: the next record starts on a new generator
                throw new UncheckedIOException("cannot write forecast JSON for " + r, e);
            }
            return out.toByteArray();
        }
    }

    /** The record as a JSON string. */
    public static String toJson(ForecastRecord r) {
        return new String(toBytes(r), StandardCharsets.UTF_8);
    }

    /**
     * Reads a value written by {@link #toBytes}; unknown fields are ignored.
     *
     * @throws IllegalArgumentException naming the field when the JSON is malformed or a field is missing or of
     *                                  the wrong type ({@code stream}, {@code ts}, {@code anomaly_score},
     *                                  {@code events} are required)
     */
    public static ForecastRecord parse(byte[] json) {
        JsonNode root = JsonNumbers.readObject(json, "forecast");
        String stream = JsonNumbers.text(root, "stream");
        if (stream == null) {
            throw new IllegalArgumentException("missing \"stream\"");
        }
        return new ForecastRecord(
                stream,
                JsonNumbers.toLong(JsonNumbers.required(root, "ts"), "ts"),
                JsonNumbers.readFloats(root, "values"),
                JsonNumbers.readFloats(root, "forecast"),
                JsonNumbers.readFloats(root, "std"),
                JsonNumbers.toDouble(JsonNumbers.required(root, "anomaly_score"), "anomaly_score"),
                JsonNumbers.text(root, "model_version"),
                JsonNumbers.toLong(JsonNumbers.required(root, "events"), "events"),
                JsonNumbers.readFloats(root, "horizon"));
    }

    /** {@link #parse(byte[])} of a JSON string. */
    public static ForecastRecord parse(String json) {
        Objects.requireNonNull(json, "json");
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
