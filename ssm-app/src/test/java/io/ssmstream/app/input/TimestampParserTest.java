package io.ssmstream.app.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {
    /** 2024-01-01T00:00:00Z in epoch microseconds. */
    private static final long NEW_YEAR_2024 = 1_704_067_200_000_000L;

    @Test
    void spaceSeparatedFormIsUtc() {
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2024-01-01 00:00:00"));
        assertEquals(NEW_YEAR_2024 + 86_400_000_000L + 3_723_000_000L,
                TimestampParser.parseMicros("2024-01-02 01:02:03"));
    }

    @Test
    void fractionKeepsMicroseconds() {
        assertEquals(NEW_YEAR_2024 + 123_456, TimestampParser.parseMicros("2024-01-01 00:00:00.123456"));
        assertEquals(NEW_YEAR_2024 + 1, TimestampParser.parseMicros("2024-01-01 00:00:00.000001"));
        assertEquals(NEW_YEAR_2024 + 500_000, TimestampParser.parseMicros("2024-01-01 00:00:00.5"));
        assertEquals(NEW_YEAR_2024 + 120_000, TimestampParser.parseMicros("2024-01-01 00:00:00.12"));
    }

    @Test
    void digitsBeyondMicrosecondsAreDropped() {
        assertEquals(NEW_YEAR_2024 + 123_456, TimestampParser.parseMicros("2024-01-01 00:00:00.123456999"));
        assertEquals(NEW_YEAR_2024 + 123_456, TimestampParser.parseMicros("2024-01-01T00:00:00.1234569Z"));
    }

    @Test
    void isoWithZuluOffsetOrNoZone() {
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2024-01-01T00:00:00Z"));
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2024-01-01T02:00:00+02:00"));
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2023-12-31T19:00:00-05:00"));
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2024-01-01T05:30:00+0530"));
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("2024-01-01T00:00:00"), "no zone is UTC");
        assertEquals(NEW_YEAR_2024 + 250_000, TimestampParser.parseMicros("2024-01-01T03:00:00.25+03:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T23:59:59.999999Z", "1969-12-31T23:59:59.5Z", "2000-03-01T12:34:56.000789+01:00",
        "1970-01-01T00:00:00Z", "2038-01-19T03:14:08.123Z", "1900-01-01T00:00:00-10:00"})
    void agreesWithJavaTimeOnIsoInstants(String text) {
        Instant instant = java.time.OffsetDateTime.parse(text).toInstant();
        assertEquals(ChronoUnit.MICROS.between(Instant.EPOCH, instant), TimestampParser.parseMicros(text));
    }

    @Test
    void integerIsEpochMilliseconds() {
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros("1704067200000"));
        assertEquals(-1_000_000L, TimestampParser.parseMicros("-1000"));
        assertEquals(0L, TimestampParser.parseMicros("0"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(NEW_YEAR_2024, TimestampParser.parseMicros(" 2024-01-01 00:00:00 "));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2024-13-01 00:00:00|",
        "2023-02-29 00:00:00|",
        "2024-01-01 24:00:00|time of day out of range",
        "2024-01-01 00:60:00|time of day out of range",
        "2024-01-01|",
        "yesterday|",
        "2024/01/01 00:00:00|",
        "2024-01-01 00:00:00.|1 to 9 digits",
        "2024-01-01 00:00:00.1234567891|1 to 9 digits",
        "2024-01-01T00:00:00+25:00|out of range",
        "2024-01-01T00:00:00 UTC|",
        "2024-01-01T00:00|",
        "12.5|",
        "99999999999999999999|out of range",
        "9223372036854776|out of range",
    })
    void badTimestampsAreRejectedQuotingTheText(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parseMicros(text));
        assertTrue(e.getMessage().startsWith("unparsable timestamp \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("expected YYYY-MM-DD HH:MM:SS"), e.getMessage());
        if (reason != null) {
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        }
        assertFalse(TimestampParser.isTimestamp(text));
    }

    @Test
    void emptyTimestampIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TimestampParser.parseMicros(" "));
        assertTrue(e.getMessage().contains("empty timestamp"), e.getMessage());
    }
}
