package io.ssmstream.connectors.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.connectors.time.TimestampParser;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Parses one input record, {@code {"stream": "pump-7", "ts": <epoch ms or ISO-8601>, "values": [..]}} (or
 * {@code "value": x} for one channel), into a {@link SensorEvent}, or into a {@link DeadLetter} saying exactly
 * what is wrong. Never throws on bad input. The stream id is the {@code stream} field, else the record key.
 */
public final class EventParser implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Trailing content after the object ({@code {..} garbage}, {@code {..}}}) makes the record malformed. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int expectedValues;

    /** @param expectedValues the model's d_input: every event must carry exactly this many values */
    public EventParser(int expectedValues) {
        if (expectedValues <= 0) {
            throw new IllegalArgumentException("expectedValues must be positive, got " + expectedValues);
        }
        this.expectedValues = expectedValues;
    }

    public int expectedValues() {
        return expectedValues;
    }

    public ParsedRecord parse(byte[] key, byte[] value, String topic, int partition, long offset) {
        byte[] raw = value == null ? new byte[0] : value;
        String keyText = key == null || key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return fail(DeadLetterReason.MALFORMED_JSON, e.getOriginalMessage(), topic, partition, offset, keyText, key, raw);
        } catch (IOException e) {
            return fail(DeadLetterReason.MALFORMED_JSON, e.getMessage(), topic, partition, offset, keyText, key, raw);
        }
        if (node == null || !node.isObject()) {
            return fail(DeadLetterReason.MALFORMED_JSON, "expected a JSON object", topic, partition, offset, keyText,
                    key, raw);
        }
        JsonNode streamNode = node.get("stream");
        String stream = streamNode != null && streamNode.isTextual() && !streamNode.asText().isEmpty()
                ? streamNode.asText() : keyText;
        if (stream == null) {
            return fail(DeadLetterReason.MISSING_STREAM, "no \"stream\" field and no record key", topic, partition,
                    offset, null, key, raw);
        }
        JsonNode tsNode = node.get("ts");
        if (tsNode == null || tsNode.isNull()) {
            return fail(DeadLetterReason.MISSING_TIMESTAMP, "no \"ts\" field", topic, partition, offset, stream, key, raw);
        }
        long ts;
        if (tsNode.isIntegralNumber() && tsNode.canConvertToLong()) {
            ts = tsNode.asLong();
        } else if (tsNode.isTextual()) {
            try {
                ts = TimestampParser.parseMillis(tsNode.asText());
            } catch (IllegalArgumentException e) {
                return fail(DeadLetterReason.BAD_TIMESTAMP, e.getMessage(), topic, partition, offset, stream, key, raw);
            }
        } else {
            return fail(DeadLetterReason.BAD_TIMESTAMP, "\"ts\" must be epoch milliseconds or an ISO-8601 string, got "
                    + tsNode, topic, partition, offset, stream, key, raw);
        }
        JsonNode valuesNode = node.get("values");
        if (valuesNode == null || valuesNode.isNull()) {
            JsonNode single = node.get("value");
            if (single == null || single.isNull()) {
                return fail(DeadLetterReason.MISSING_VALUES, "no \"values\" array and no \"value\"", topic, partition,
                        offset, stream, key, raw);
            }
            valuesNode = JSON.createArrayNode().add(single);
        }
        if (!valuesNode.isArray()) {
            return fail(DeadLetterReason.NON_NUMERIC_VALUE, "\"values\" must be an array of numbers", topic, partition,
                    offset, stream, key, raw);
        }
        if (valuesNode.size() != expectedValues) {
            return fail(DeadLetterReason.WRONG_VALUE_COUNT, "expected " + expectedValues + " values, got "
                    + valuesNode.size(), topic, partition, offset, stream, key, raw);
        }
        float[] values = new float[expectedValues];
        for (int i = 0; i < expectedValues; i++) {
            JsonNode v = valuesNode.get(i);
            if (!v.isNumber()) {
                return fail(DeadLetterReason.NON_NUMERIC_VALUE, "values[" + i + "] is not a number: " + v, topic,
                        partition, offset, stream, key, raw);
            }
            values[i] = (float) v.asDouble();
            if (!Float.isFinite(values[i])) {
                return fail(DeadLetterReason.NON_FINITE_VALUE, "values[" + i + "] is " + v + " (not finite as float)",
                        topic, partition, offset, stream, key, raw);
            }
        }
        return ParsedRecord.of(new SensorEvent(stream, ts, values).withSource(topic, partition, offset, raw));
    }

    private static ParsedRecord fail(DeadLetterReason reason, String detail, String topic, int partition, long offset,
                                     String stream, byte[] key, byte[] value) {
        return ParsedRecord.of(new DeadLetter(reason, detail, topic, partition, offset, stream, key, value));
    }
}
