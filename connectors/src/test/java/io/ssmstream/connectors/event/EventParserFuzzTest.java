package io.ssmstream.connectors.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The input topic's parser over arbitrary bytes, over JSON-like token soup and over valid events with one field
 * broken: every record becomes exactly one result, an event that the job can step (the stream named, d_input
 * finite values, the original bytes kept) or a dead letter with a reason and the record's original key and
 * value; nothing is thrown.
 */
class EventParserFuzzTest {
    private static final int D_INPUT = 2;
    private static final byte[] KEY = "pump-1".getBytes(StandardCharsets.UTF_8);
    private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"stream\"", "\"ts\"", "\"value\"",
        "\"values\"", "\"pump-7\"", "\"\"", "1700000000000", "-1", "0", "1e309", "-1e309", "NaN", "null", "true",
        "0.5", "3.4028235e38", "1e-45", "\"2024-01-01T00:00:00Z\"", "\"2024-13-45 25:61:61\"", "9223372036854775807",
        "99999999999999999999", " ", "\\u0000", "\"\\ud800\"", "\uFEFF", "\u00e9"};
    private static final String[] STREAMS = {"\"pump-7\"", "\"\"", "7", "null", "[\"a\"]", "{}"};
    private static final String[] TIMES = {"1700000000000", "\"2024-01-01T00:00:00Z\"", "\"2024-01-01 00:00:00\"",
        "-62135596800001", "1e30", "\"yesterday\"", "null", "true", "1.5", "\"\""};
    private static final String[] VALUES = {"[1.5, 2]", "[1]", "[1, 2, 3]", "[]", "[\"1\", 2]", "[null, 2]",
        "[1e39, 2]", "[-1e39, 2]", "1.5", "{\"a\":1}", "[[1], 2]", "[1.0e-46, 2]"};
    private static final String[] TAILS = {"", ",\"extra\":1", ",\"ts\":2", "}", " x", ","};

    private final EventParser parser = new EventParser(D_INPUT);

    @Test
    void arbitraryBytesGiveOneEventOrDeadLetter() {
        Fuzz.check(20261207, Fuzz.DEFAULT_TRIES, r -> {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            return b;
        }, this::check);
    }

    @Test
    void jsonTokenSoupGivesOneEventOrDeadLetter() {
        Fuzz.check(20261208, Fuzz.DEFAULT_TRIES, r -> {
            StringBuilder s = new StringBuilder();
            for (int i = r.nextInt(25); i > 0; i--) {
                s.append(pick(TOKENS, r));
            }
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }, this::check);
    }

    @Test
    void aBrokenFieldIsADeadLetterWithItsReasonAndAWholeEventIsAnEvent() {
        Fuzz.check(20261209, Fuzz.DEFAULT_TRIES, r -> ("{\"stream\":" + pick(STREAMS, r) + ",\"ts\":" + pick(TIMES, r)
                + ",\"values\":" + pick(VALUES, r) + pick(TAILS, r) + "}").getBytes(StandardCharsets.UTF_8),
                this::check);
    }

    private static String pick(String[] options, Random r) {
        return options[r.nextInt(options.length)];
    }

    private void check(byte[] value) {
        for (byte[] key : List.of(KEY, new byte[0])) {
            ParsedRecord r = parser.parse(key.length == 0 ? null : key, value, "in", 3, 42);
            assertTrue((r.event == null) != (r.deadLetter == null), "exactly one of event and dead letter");
            if (r.event != null) {
                assertNotNull(r.event.stream);
                assertTrue(!r.event.stream.isEmpty(), "a stream id");
                assertEquals(D_INPUT, r.event.values.length);
                for (float v : r.event.values) {
                    assertTrue(Float.isFinite(v), "finite values only, got " + v);
                }
                assertArrayEquals(value, r.event.raw, "the original bytes travel with the event");
            } else {
                assertNotNull(r.deadLetter.reason, "a reason");
                assertNotNull(r.deadLetter.detail, "a detail");
                assertArrayEquals(value, r.deadLetter.value, "the original value is kept");
                assertEquals("in", r.deadLetter.topic);
                assertEquals(42, r.deadLetter.offset);
            }
        }
    }
}
