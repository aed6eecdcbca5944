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
    LATE;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
