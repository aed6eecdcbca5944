package io.ssmstream.connectors.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * The dead-letter topic's value format:
 * <pre>{"reason":"wrong_value_count","detail":"expected 3 values, got 2","topic":"sensors","partition":0,
 *  "offset":17,"stream":"pump-7","key_base64":"cHVtcC03","value_base64":"eyJ...","value":"{\"stream\":..."}</pre>
 *
 * <p>Why: a dead letter must let an operator see at a glance what was wrong ({@code reason} is
 * {@link DeadLetterReason#code()}, {@code detail} says exactly what) and replay the record unchanged, so the
 * original key and value travel byte for byte as base64. {@code value} repeats the value as text for reading
 * when it is valid UTF-8, and is null when it is not (then only {@code value_base64} has it).
 */
public final class DeadLetterJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DeadLetterJson() {
    }

    /** The dead letter as UTF-8 JSON. A null key or value is written as empty. */
    public static byte[] toBytes(DeadLetter d) {
        Objects.requireNonNull(d, "deadLetter");
        byte[] key = d.key == null ? new byte[0] : d.key;
        byte[] value = d.value == null ? new byte[0] : d.value;
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 2 * value.length);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", d.reason == null ? null : d.reason.code());
            g.writeStringField("detail", d.detail);
            g.writeStringField("topic", d.topic);
            g.writeNumberField("partition", d.partition);
            g.writeNumberField("offset", d.offset);
            g.writeStringField("stream", d.stream);
            g.writeStringField("key_base64", Base64.getEncoder().encodeToString(key));
            g.writeStringField("value_base64", Base64.getEncoder().encodeToString(value));
            g.writeStringField("value", utf8OrNull(value));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dead-letter JSON for " + d, e);
        }
        return out.toByteArray();
    }

    /** The dead letter as a JSON string. */
    public static String toJson(DeadLetter d) {
        return new String(toBytes(d), StandardCharsets.UTF_8);
    }

    /**
     * Reads a value written by {@link #toBytes}; key and value come from the base64 fields, {@code value} is
     * ignored; unknown fields are ignored.
     *
     * @throws IllegalArgumentException naming the field when the JSON is malformed, {@code reason} is missing or
     *                                  unknown, or a field has the wrong type or bad base64
     */
    public static DeadLetter parse(byte[] json) {
        JsonNode root = JsonNumbers.readObject(json, "dead-letter");
        String code = JsonNumbers.text(root, "reason");
        if (code == null) {
            throw new IllegalArgumentException("missing \"reason\"");
        }
        DeadLetterReason reason;
        try {
            reason = DeadLetterReason.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown \"reason\": \"" + code + "\"", e);
        }
        return new DeadLetter(reason,
                JsonNumbers.text(root, "detail"),
                JsonNumbers.text(root, "topic"),
                JsonNumbers.toInt(JsonNumbers.required(root, "partition"), "partition"),
                JsonNumbers.toLong(JsonNumbers.required(root, "offset"), "offset"),
                JsonNumbers.text(root, "stream"),
                base64(root, "key_base64"),
                base64(root, "value_base64"));
    }

    /** {@link #parse(byte[])} of a JSON string. */
    public static DeadLetter parse(String json) {
        Objects.requireNonNull(json, "json");
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes as text when they are valid UTF-8 (strictly: no malformed or unmappable sequence), else null. */
    static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static byte[] base64(JsonNode root, String field) {
        String text = JsonNumbers.text(root, field);
        if (text == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not valid base64: " + e.getMessage(), e);
        }
    }
}
