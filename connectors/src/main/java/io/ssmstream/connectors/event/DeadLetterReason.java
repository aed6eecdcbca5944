package io.ssmstream.connectors.event;

import java.util.Locale;

/** Why a record could not be used. The dead-letter JSON carries {@link #code()}; metrics count by it. */
public enum DeadLetterReason {
    MALFORMED_JSON,
    MISSING_STREAM,
    MISSING_TIMESTAMP,
    BAD_TIMESTAMP,
    MISSING_VALUES,
    NON_NUMERIC_VALUE,
    NON_FINITE_VALUE,
    WRONG_VALUE_COUNT,
    LATE,
    /** Audio chunk without a required header ({@code sample-rate}, {@code channels}, {@code start-time-us}). */
    MISSING_HEADER,
    /** Audio chunk header that is not a number in range, or an unknown {@code encoding}. */
    BAD_HEADER,
    /** Audio chunk whose byte count is empty or not a whole number of sample frames. */
    BAD_AUDIO_LENGTH;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
