package io.ssmstream.connectors.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Number handling shared by the output-topic JSON formats.
 *
 * <p>Why: a float written by Jackson is its shortest decimal text ({@code 0.1f} is {@code 0.1}, not the
 * {@code 0.10000000149011612} of its double value), and reading it back must give the same float bit for bit.
 * Reading through a double can round twice; these helpers read the exact decimal and round once, to float.
 * Non-finite numbers, which JSON has no literal for, are written and read as Jackson's quoted {@code "NaN"},
 * {@code "Infinity"}, {@code "-Infinity"}.
 */
final class JsonNumbers {
    /** Keeps decimals exact ({@code BigDecimal}) so that {@link #toFloat} rounds once. */
    static final ObjectMapper READER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonNumbers() {
    }

    static void writeFloats(JsonGenerator g, String field, float[] values) throws IOException {
        if (values == null) {
            g.writeNullField(field);
            return;
        }
        g.writeArrayFieldStart(field);
        for (float v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    static float[] readFloats(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of numbers, got " + node);
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toFloat(node.get(i), field + "[" + i + "]");
        }
        return out;
    }

    static float toFloat(JsonNode node, String what) {
        return Float.parseFloat(numberText(node, what));
    }

    static double toDouble(JsonNode node, String what) {
        return Double.parseDouble(numberText(node, what));
    }

    static long toLong(JsonNode node, String what) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + what + "\" must be an integer, got " + node);
        }
        return node.longValue();
    }

    static int toInt(JsonNode node, String what) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + what + "\" must be a 32-bit integer, got " + node);
        }
        return node.intValue();
    }

    /** Exact decimal text of a number, or a quoted non-finite literal. */
    private static String numberText(JsonNode node, String what) {
        if (node != null && node.isNumber()) {
            // BigDecimal, BigInteger, Long and Integer all print an exact value Float/Double.parse* accept.
            return node.numberValue().toString();
        }
        if (node != null && node.isTextual()) {
            String t = node.textValue();
            if (t.equals("NaN") || t.equals("Infinity") || t.equals("-Infinity")) {
                return t;
            }
        }
        throw new IllegalArgumentException("\"" + what + "\" must be a number, got " + node);
    }

    static String text(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + node);
        }
        return node.textValue();
    }

    static JsonNode required(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return node;
    }

    static JsonNode readObject(byte[] json, String what) {
        if (json == null) {
            throw new IllegalArgumentException(what + " JSON is null");
        }
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed " + what + " JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(what + " JSON must be an object");
        }
        return root;
    }
}
