package io.ssmstream.app.input;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Parses event timestamps to epoch microseconds. Accepted forms:
 * <ul>
 *   <li>{@code YYYY-MM-DD HH:MM:SS[.f]} with 1 to 9 fraction digits, taken as UTC;</li>
 *   <li>ISO-8601 {@code YYYY-MM-DDTHH:MM:SS[.f][zone]} where the zone is {@code Z}, {@code ±HH:MM},
 *       {@code ±HHMM} or {@code ±HH}, and no zone means UTC (the space form takes a zone too);</li>
 *   <li>an integer, optionally negative: epoch milliseconds.</li>
 * </ul>
 * Microseconds are kept exactly; fraction digits beyond the sixth (nanoseconds) are dropped, rounding toward
 * the past. Leading and trailing whitespace is ignored. Stateless and thread-safe.
 */
public final class TimestampParser {
    /** Says what is accepted; every rejection's message ends with it in parentheses. */
    public static final String EXPECTED = "expected YYYY-MM-DD HH:MM:SS[.ffffff] (UTC), ISO-8601 such as "
            + "2024-01-01T00:00:00Z or 2024-01-01T02:00:00+02:00, or epoch milliseconds";

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long SECONDS_PER_DAY = 86_400L;

    private TimestampParser() {
    }

    /**
     * @return epoch microseconds
     * @throws IllegalArgumentException quoting the text, saying what is wrong and what is accepted
     */
    public static long parseMicros(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing timestamp (" + EXPECTED + ")");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty timestamp (" + EXPECTED + ")");
        }
        if (isInteger(s)) {
            return epochMillis(text, s);
        }
        return dateTime(text, s);
    }

    /** Whether {@code text} is a timestamp this parser accepts. */
    public static boolean isTimestamp(String text) {
        try {
            parseMicros(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isInteger(String s) {
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long epochMillis(String text, String s) {
        try {
            return Math.multiplyExact(Long.parseLong(s), 1000L);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(text, "epoch milliseconds out of range");
        }
    }

    private static long dateTime(String text, String s) {
        // YYYY-MM-DD?HH:MM:SS  is 19 characters, positions fixed.
        if (s.length() < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            throw bad(text, null);
        }
        char sep = s.charAt(10);
        if (sep != ' ' && sep != 'T' && sep != 't') {
            throw bad(text, null);
        }
        int year = digits(text, s, 0, 4);
        int month = digits(text, s, 5, 7);
        int day = digits(text, s, 8, 10);
        int hour = digits(text, s, 11, 13);
        int minute = digits(text, s, 14, 16);
        int second = digits(text, s, 17, 19);
        int pos = 19;
        long micros = 0;
        if (pos < s.length() && s.charAt(pos) == '.') {
            int start = ++pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) {
                pos++;
            }
            int n = pos - start;
            if (n < 1 || n > 9) {
                throw bad(text, "the fraction of a second needs 1 to 9 digits, got " + n);
            }
            for (int i = 0; i < 6; i++) {
                micros = micros * 10 + (start + i < pos ? s.charAt(start + i) - '0' : 0);
            }
        }
        int offsetSeconds = 0;
        if (pos < s.length()) {
            offsetSeconds = offset(text, s.substring(pos));
        }
        if (hour > 23 || minute > 59 || second > 59) {
            throw bad(text, "time of day out of range");
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            throw bad(text, e.getMessage());
        }
        long seconds = epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * MICROS_PER_SECOND + micros;
    }

    /** Z, ±HH:MM, ±HHMM or ±HH. */
    private static int offset(String text, String zone) {
        if (zone.equals("Z") || zone.equals("z")) {
            return 0;
        }
        char sign = zone.charAt(0);
        if (sign != '+' && sign != '-') {
            throw bad(text, "unexpected \"" + zone + "\" after the time");
        }
        int hours;
        int minutes = 0;
        if (zone.length() == 3) {
            hours = digits(text, zone, 1, 3);
        } else if (zone.length() == 5) {
            hours = digits(text, zone, 1, 3);
            minutes = digits(text, zone, 3, 5);
        } else if (zone.length() == 6 && zone.charAt(3) == ':') {
            hours = digits(text, zone, 1, 3);
            minutes = digits(text, zone, 4, 6);
        } else {
            throw bad(text, "the zone offset \"" + zone + "\" is not Z, ±HH:MM, ±HHMM or ±HH");
        }
        if (hours > 18 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
            throw bad(text, "the zone offset \"" + zone + "\" is out of range");
        }
        int seconds = hours * 3600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    private static int digits(String text, String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                throw bad(text, null);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException bad(String text, String reason) {
        return new IllegalArgumentException("unparsable timestamp \"" + text + "\""
                + (reason != null ? ": " + reason : "") + " (" + EXPECTED + ")");
    }
}
