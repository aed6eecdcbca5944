package io.ssmstream.connectors.time;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Event timestamps as sensors and files write them, to epoch microseconds:
 * <ul>
 *   <li>an integer: epoch milliseconds;</li>
 *   <li>{@code YYYY-MM-DD HH:MM:SS[.f…]} (NAB, ETT), taken as UTC;</li>
 *   <li>ISO-8601 with {@code T}, with {@code Z}, an offset, or no zone (UTC).</li>
 * </ul>
 * Fractions keep up to microseconds; digits beyond are cut.
 */
public final class TimestampParser {
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd")
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .toFormatter();

    private TimestampParser() {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is none of the accepted forms
     */
    public static long parseMicros(String text) {
        String t = text.trim();
        if (!t.isEmpty() && isInteger(t)) {
            try {
                return Math.multiplyExact(Long.parseLong(t), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("timestamp \"" + text + "\" is out of range");
            }
        }
        try {
            if (hasZone(t)) {
                return micros(OffsetDateTime.parse(t.replace(' ', 'T')).toLocalDateTime(),
                        OffsetDateTime.parse(t.replace(' ', 'T')).getOffset());
            }
            return micros(LocalDateTime.parse(t, LOCAL), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unparsable timestamp \"" + text
                    + "\" (expected epoch milliseconds, YYYY-MM-DD HH:MM:SS[.ffffff] or ISO-8601)");
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("timestamp \"" + text + "\" is out of range");
        }
    }

    /** Epoch milliseconds (fractions of a millisecond cut). */
    public static long parseMillis(String text) {
        return Math.floorDiv(parseMicros(text), 1000L);
    }

    private static boolean isInteger(String t) {
        int start = t.charAt(0) == '-' ? 1 : 0;
        if (start == t.length()) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            if (!Character.isDigit(t.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A zone designator after the time part: Z, +hh:mm or -hh:mm. */
    private static boolean hasZone(String t) {
        int timeStart = t.indexOf(':');
        if (timeStart < 0) {
            return false;
        }
        String time = t.substring(timeStart);
        return time.endsWith("Z") || time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
    }

    private static long micros(LocalDateTime local, ZoneOffset offset) {
        long seconds = local.toEpochSecond(offset);
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), local.getNano() / 1000);
    }
}
