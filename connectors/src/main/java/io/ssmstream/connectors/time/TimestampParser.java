package io.ssmstream.connectors.time;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * Event timestamps as sensors and files write them, to epoch microseconds:
 * <ul>
 *   <li>an integer: epoch milliseconds;</li>
 *   <li>{@code YYYY-MM-DD HH:MM:SS[.f…]} (NAB, ETT), taken as UTC;</li>
 *   <li>ISO-8601 with {@code T}, with {@code Z}, an offset, or no zone (UTC).</li>
 * </ul>
 * Fractions keep up to microseconds; digits beyond are cut. Dates and times are checked strictly (no
 * February 30th, no hour 24), and the date and time are separated by exactly one {@code T} or space.
 */
public final class TimestampParser {
    /**
     * Date, {@code T} (a space is turned into it first), time with seconds, an optional fraction of 1 to 9
     * digits, an optional offset ({@code Z} or {@code +hh:mm}). STRICT: no February 30th, no hour 24.
     */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final int DATE_LENGTH = "uuuu-MM-dd".length();

    private TimestampParser() {
    }

    /**
     * @throws IllegalArgumentException naming the text when it is none of the accepted forms
     */
    public static long parseMicros(String text) {
        String t = text.trim();
        if (isInteger(t)) {
            try {
                return Math.multiplyExact(Long.parseLong(t), 1000L);
            } catch (ArithmeticException | NumberFormatException e) {
                throw new IllegalArgumentException("timestamp \"" + text + "\" is out of range");
            }
        }
        if (t.length() > DATE_LENGTH && t.charAt(DATE_LENGTH) == ' ') {
            t = t.substring(0, DATE_LENGTH) + 'T' + t.substring(DATE_LENGTH + 1);
        }
        try {
            TemporalAccessor parsed = FORMAT.parse(t);
            ZoneOffset offset = parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed)
                    : ZoneOffset.UTC;
            return micros(LocalDateTime.from(parsed), offset);
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

    /** An optional minus and ASCII digits only. */
    private static boolean isInteger(String t) {
        int start = !t.isEmpty() && t.charAt(0) == '-' ? 1 : 0;
        if (start == t.length()) {
            return false;
        }
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long micros(LocalDateTime local, ZoneOffset offset) {
        long seconds = local.toEpochSecond(offset);
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), local.getNano() / 1000);
    }
}
