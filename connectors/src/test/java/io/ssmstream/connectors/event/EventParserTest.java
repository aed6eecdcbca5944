package io.ssmstream.connectors.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {
    private static final String TOPIC = "sensors";
    private static final int PARTITION = 2;
    private static final long OFFSET = 41L;
    private static final byte[] KEY = bytes("pump-7");

    private final EventParser three = new EventParser(3);
    private final EventParser one = new EventParser(1);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static SensorEvent event(ParsedRecord r) {
        assertNull(r.deadLetter, () -> "expected an event, got " + r.deadLetter);
        assertNotNull(r.event);
        return r.event;
    }

    /** Parses a value that must be dead-lettered and checks the reason and that the original record is kept. */
    private static DeadLetter deadLetter(EventParser parser, byte[] key, String json, DeadLetterReason reason) {
        byte[] value = json == null ? null : bytes(json);
        ParsedRecord r = parser.parse(key, value, TOPIC, PARTITION, OFFSET);
        assertNull(r.event, () -> "expected a dead letter, got " + r.event);
        DeadLetter d = r.deadLetter;
        assertNotNull(d);
        assertEquals(reason, d.reason, d::toString);
        assertEquals(TOPIC, d.topic);
        assertEquals(PARTITION, d.partition);
        assertEquals(OFFSET, d.offset);
        assertArrayEquals(key == null ? new byte[0] : key, d.key);
        assertArrayEquals(value == null ? new byte[0] : value, d.value);
        assertNotNull(d.detail);
        return d;
    }

    @Test
    void aGoodEventWithValuesKeepsEverythingAndItsSource() {
        String json = "{\"stream\":\"pump-7\",\"ts\":1700000000123,\"values\":[1.5,-2,0.1]}";
        SensorEvent e = event(three.parse(bytes("other-key"), bytes(json), TOPIC, PARTITION, OFFSET));
        assertEquals("pump-7", e.stream);
        assertEquals(1_700_000_000_123L, e.ts);
        assertArrayEquals(new float[] {1.5f, -2f, 0.1f}, e.values);
        assertEquals(TOPIC, e.topic);
        assertEquals(PARTITION, e.partition);
        assertEquals(OFFSET, e.offset);
        assertArrayEquals(bytes(json), e.raw);
    }

    @Test
    void aSingleValueFieldIsOneChannel() {
        SensorEvent e = event(one.parse(KEY, bytes("{\"stream\":\"s\",\"ts\":5,\"value\":42.25}"), TOPIC, 0, 0));
        assertArrayEquals(new float[] {42.25f}, e.values);
        assertEquals(5L, e.ts);
    }

    @Test
    void theStreamComesFromTheRecordKeyWhenTheFieldIsAbsentOrEmpty() {
        assertEquals("pump-7", event(one.parse(KEY, bytes("{\"ts\":1,\"value\":1}"), TOPIC, 0, 0)).stream);
        assertEquals("pump-7", event(one.parse(KEY, bytes("{\"stream\":\"\",\"ts\":1,\"value\":1}"), TOPIC, 0, 0))
                .stream);
    }

    @Test
    void anIsoTimestampIsEpochMilliseconds() {
        long expected = Instant.parse("2024-03-01T12:00:00.123Z").toEpochMilli();
        assertEquals(expected, event(one.parse(KEY, bytes("{\"ts\":\"2024-03-01T12:00:00.123Z\",\"value\":1}"),
                TOPIC, 0, 0)).ts);
        assertEquals(expected, event(one.parse(KEY, bytes("{\"ts\":\"2024-03-01 12:00:00.123456\",\"value\":1}"),
                TOPIC, 0, 0)).ts);
        assertEquals(expected - 3_600_000L, event(one.parse(KEY,
                bytes("{\"ts\":\"2024-03-01T12:00:00.123+01:00\",\"value\":1}"), TOPIC, 0, 0)).ts);
    }

    @Test
    void anEpochMillisecondsStringIsAccepted() {
        assertEquals(1_700_000_000_123L, event(one.parse(KEY, bytes("{\"ts\":\"1700000000123\",\"value\":1}"),
                TOPIC, 0, 0)).ts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"stream\":", "not json", "{\"a\":1}}", "{\"ts\":1,\"value\":1} trailing",
        "[1,2,3]", "42", "\"text\"", "null", ""})
    void malformedOrNonObjectJsonIsMalformedJson(String json) {
        DeadLetter d = deadLetter(one, KEY, json, DeadLetterReason.MALFORMED_JSON);
        assertEquals("pump-7", d.stream, "the key still names the stream");
    }

    @Test
    void aTombstoneIsMalformedJsonWithAnEmptyValue() {
        DeadLetter d = deadLetter(one, KEY, null, DeadLetterReason.MALFORMED_JSON);
        assertEquals(0, d.value.length);
    }

    @Test
    void invalidUtf8IsMalformedJsonAndKeepsTheBytes() {
        byte[] value = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        ParsedRecord r = one.parse(KEY, value, TOPIC, PARTITION, OFFSET);
        assertEquals(DeadLetterReason.MALFORMED_JSON, r.deadLetter.reason);
        assertArrayEquals(value, r.deadLetter.value);
    }

    @Test
    void noStreamFieldAndNoKeyIsMissingStream() {
        DeadLetter d = deadLetter(one, null, "{\"ts\":1,\"value\":1}", DeadLetterReason.MISSING_STREAM);
        assertNull(d.stream);
        assertEquals("no \"stream\" field and no record key", d.detail);
        deadLetter(one, new byte[0], "{\"ts\":1,\"value\":1}", DeadLetterReason.MISSING_STREAM);
    }

    @Test
    void noTimestampIsMissingTimestamp() {
        DeadLetter d = deadLetter(one, KEY, "{\"stream\":\"s\",\"value\":1}", DeadLetterReason.MISSING_TIMESTAMP);
        assertEquals("s", d.stream);
        assertEquals("no \"ts\" field", d.detail);
        deadLetter(one, KEY, "{\"ts\":null,\"value\":1}", DeadLetterReason.MISSING_TIMESTAMP);
    }

    @Test
    void anUnparsableTimestampIsBadTimestampNamingIt() {
        DeadLetter d = deadLetter(one, KEY, "{\"ts\":\"yesterday\",\"value\":1}", DeadLetterReason.BAD_TIMESTAMP);
        assertTrue(d.detail.contains("\"yesterday\""), d.detail);
        deadLetter(one, KEY, "{\"ts\":\"2023-02-30 00:00:00\",\"value\":1}", DeadLetterReason.BAD_TIMESTAMP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "true", "[1]", "{}", "1e3", "99999999999999999999"})
    void aTimestampOfTheWrongJsonTypeIsBadTimestamp(String ts) {
        DeadLetter d = deadLetter(one, KEY, "{\"ts\":" + ts + ",\"value\":1}", DeadLetterReason.BAD_TIMESTAMP);
        assertTrue(d.detail.contains("epoch milliseconds or an ISO-8601 string"), d.detail);
    }

    @Test
    void noValuesIsMissingValues() {
        DeadLetter d = deadLetter(three, KEY, "{\"ts\":1}", DeadLetterReason.MISSING_VALUES);
        assertEquals("no \"values\" array and no \"value\"", d.detail);
        deadLetter(three, KEY, "{\"ts\":1,\"values\":null}", DeadLetterReason.MISSING_VALUES);
    }

    @Test
    void aNonNumberAmongTheValuesIsNonNumericValueNamingItsIndex() {
        DeadLetter d = deadLetter(three, KEY, "{\"ts\":1,\"values\":[1,\"2\",3]}", DeadLetterReason.NON_NUMERIC_VALUE);
        assertEquals("values[1] is not a number: \"2\"", d.detail);
        d = deadLetter(three, KEY, "{\"ts\":1,\"values\":[1,2,null]}", DeadLetterReason.NON_NUMERIC_VALUE);
        assertEquals("values[2] is not a number: null", d.detail);
        d = deadLetter(three, KEY, "{\"ts\":1,\"values\":\"1,2,3\"}", DeadLetterReason.NON_NUMERIC_VALUE);
        assertEquals("\"values\" must be an array of numbers", d.detail);
    }

    @Test
    void aValueBeyondFloatRangeIsNonFiniteValue() {
        DeadLetter d = deadLetter(three, KEY, "{\"ts\":1,\"values\":[1,2,1e39]}", DeadLetterReason.NON_FINITE_VALUE);
        assertTrue(d.detail.startsWith("values[2] is 1.0E39"), d.detail);
        deadLetter(one, KEY, "{\"ts\":1,\"value\":-3.5e38}", DeadLetterReason.NON_FINITE_VALUE);
    }

    @Test
    void jsonNanIsNotJsonAndIsMalformed() {
        deadLetter(one, KEY, "{\"ts\":1,\"value\":NaN}", DeadLetterReason.MALFORMED_JSON);
    }

    @Test
    void theWrongNumberOfValuesIsWrongValueCountSayingBoth() {
        DeadLetter d = deadLetter(three, KEY, "{\"ts\":1,\"values\":[1,2]}", DeadLetterReason.WRONG_VALUE_COUNT);
        assertEquals("expected 3 values, got 2", d.detail);
        d = deadLetter(three, KEY, "{\"ts\":1,\"value\":1}", DeadLetterReason.WRONG_VALUE_COUNT);
        assertEquals("expected 3 values, got 1", d.detail);
    }

    @Test
    void aLateEventBecomesALateDeadLetterWithItsOriginalBytes() {
        byte[] raw = bytes("{\"stream\":\"pump-7\",\"ts\":100,\"value\":1}");
        SensorEvent e = event(one.parse(null, raw, TOPIC, PARTITION, OFFSET));
        DeadLetter d = DeadLetter.late(e, 500L);
        assertEquals(DeadLetterReason.LATE, d.reason);
        assertEquals("event time 100 is behind the watermark 500", d.detail);
        assertEquals(TOPIC, d.topic);
        assertEquals(PARTITION, d.partition);
        assertEquals(OFFSET, d.offset);
        assertEquals("pump-7", d.stream);
        assertArrayEquals(raw, d.value);
        assertArrayEquals(KEY, d.key);
    }

    @Test
    void everyReasonHasALowercaseCode() {
        assertEquals("wrong_value_count", DeadLetterReason.WRONG_VALUE_COUNT.code());
        assertEquals("malformed_json", DeadLetterReason.MALFORMED_JSON.code());
    }

    @Test
    void aNonPositiveValueCountIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EventParser(0));
        assertTrue(e.getMessage().contains("expectedValues"), e.getMessage());
    }
}
