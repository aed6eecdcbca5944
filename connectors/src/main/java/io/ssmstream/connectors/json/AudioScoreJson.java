package io.ssmstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The audio score topic's value format, one object per stream per interval:
 * <pre>{"stream":"mic-7","start":1700000000000,"end":1700000001000,"frames":100,"score_mean":0.41,
 *  "score_max":0.998,"discontinuous":false,"gaps":0,"overlaps":0,"gap_us":0,"model_version":"audio-v1"}</pre>
 * {@code start}/{@code end} are epoch ms; {@code discontinuous} is true when a gap or overlap was detected.
 */
public final class AudioScoreJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private AudioScoreJson() {
    }

    public static byte[] toBytes(AudioScoreRecord r) {
        Objects.requireNonNull(r, "record");
        ByteArrayOutputStream out = new ByteArrayOutputStream(200);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("stream", r.stream);
            g.writeNumberField("start", r.start);
            g.writeNumberField("end", r.end);
            g.writeNumberField("frames", r.frames);
            g.writeNumberField("score_mean", r.meanScore);
            g.writeNumberField("score_max", r.maxScore);
            g.writeBooleanField("discontinuous", r.discontinuous());
            g.writeNumberField("gaps", r.gaps);
            g.writeNumberField("overlaps", r.overlaps);
            g.writeNumberField("gap_us", r.gapMicros);
            g.writeStringField("model_version", r.modelVersion);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audio score JSON for " + r, e);
        }
        return out.toByteArray();
    }

    public static String toJson(AudioScoreRecord r) {
        return new String(toBytes(r), StandardCharsets.UTF_8);
    }

    /**
     * Reads a value written by {@link #toBytes}; unknown fields are ignored.
     *
     * @throws IllegalArgumentException naming the field when the JSON is malformed or a field is missing
     */
    public static AudioScoreRecord parse(byte[] json) {
        JsonNode root = JsonNumbers.readObject(json, "audio score");
        String stream = JsonNumbers.text(root, "stream");
        if (stream == null) {
            throw new IllegalArgumentException("missing \"stream\"");
        }
        return new AudioScoreRecord(stream,
                JsonNumbers.toLong(JsonNumbers.required(root, "start"), "start"),
                JsonNumbers.toLong(JsonNumbers.required(root, "end"), "end"),
                JsonNumbers.toInt(JsonNumbers.required(root, "frames"), "frames"),
                JsonNumbers.toDouble(JsonNumbers.required(root, "score_mean"), "score_mean"),
                JsonNumbers.toDouble(JsonNumbers.required(root, "score_max"), "score_max"),
                JsonNumbers.toInt(JsonNumbers.required(root, "gaps"), "gaps"),
                JsonNumbers.toInt(JsonNumbers.required(root, "overlaps"), "overlaps"),
                JsonNumbers.toLong(JsonNumbers.required(root, "gap_us"), "gap_us"),
                JsonNumbers.text(root, "model_version"));
    }
}
