package io.ssmstream.connectors.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimestampParserTest {
    private static final long T0_MICROS = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond() * 1_000_000L;

    @Test
    void anIntegerIsEpochMilliseconds() {
        assertEquals(1_700_000_000_123_000L, TimestampParser.parseMicros("1700000000123"));
        assertEquals(1_700_000_000_123L, TimestampParser.parseMillis("1700000000123"));
        assertEquals(-5_000L, TimestampParser.parseMicros("-5"));
        assertEquals(1_700_000_000_123L, TimestampParser.parseMillis("  1700000000123 "));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2024-01-02 03:04:05",
        "2024-01-02T03:04:05",
        "2024-01-02T03:04:05Z",
        "2024-01-02 03:04:05Z",
        "2024-01-02T05:04:05+02:00",
        "2024-01-01T22:04:05-05:00",
        "2024-01-02T03:04:05.000Z",
    })
    void dateTimeFormsWithoutZoneAreUtcAndOffsetsAreApplied(String text) {
        assertEquals(T0_MICROS, TimestampParser.parseMicros(text));
    }

    @ParameterizedTest
    @CsvSource({
        "2024-01-02 03:04:05.1, 100000",
        "2024-01-02 03:04:05.123, 123000",
        "2024-01-02 03:04:05.123456, 123456",
        "2024-01-02T03:04:05.000001Z, 1",
        "2024-01-02T03:04:05.123456789, 123456",
        "2024-01-02T03:04:05.999999999Z, 999999",
    })
    void fractionsKeepMicrosecondsAndCutFinerDigits(String text, long micros) {
        assertEquals(T0_MICROS + micros, TimestampParser.parseMicros(text));
    }

    @Test
    void millisecondsRoundDownAlsoBefore1970() {
        assertEquals(T0_MICROS / 1000 + 123, TimestampParser.parseMillis("2024-01-02 03:04:05.123999"));
        assertEquals(-500L, TimestampParser.parseMicros("1969-12-31T23:59:59.9995Z"));
        assertEquals(-1L, TimestampParser.parseMillis("1969-12-31T23:59:59.9995Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "yesterday", "-", "1e12", "1700000000123.5", "0x10",
        "2024-01-02", "03:04:05", "2024-01-02 03:04",
        "2024-13-02 03:04:05", "2024-01-32 03:04:05", "2023-02-29 00:00:00", "2023-02-30T00:00:00",
        "2024-01-02 24:00:00", "2024-01-02 03:60:05",
        "2024-01-0203:04:05", "2024-01-02T 03:04:05", "2024-01-02  03:04:05",
        "2024-01-02T03:04:05+0200", "2024-01-02T03:04:05 UTC", "2024-01-02T03:04:05.Z",
        "\u0661\u0662\u0663", "2024-01-02T03:04:05.1234567890",
    })
    void garbageIsRejectedNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimestampParser.parseMicros(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "99999999999999999999", "-9223372036854775808"})
    void epochMillisecondsBeyondTheMicrosecondRangeAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimestampParser.parseMicros(text));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void lowercaseSeparatorAndZoneAreAcceptedAsRfc3339Allows() {
        assertEquals(T0_MICROS, TimestampParser.parseMicros("2024-01-02t03:04:05z"));
    }

    @Test
    void leapDayOfALeapYearIsAccepted() {
        assertEquals(Instant.parse("2024-02-29T00:00:00Z").getEpochSecond() * 1_000_000L,
                TimestampParser.parseMicros("2024-02-29 00:00:00"));
    }
}
