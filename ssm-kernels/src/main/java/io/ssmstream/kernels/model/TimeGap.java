package io.ssmstream.kernels.model;

/** The time gap τ between two events of one stream, in the model's steps of {@code dt_unit_ms}. */
public final class TimeGap {
    private TimeGap() {
    }

    /** τ for a stream's first event, which has no predecessor. */
    public static final float FIRST_EVENT = 1f;

    /**
     * τ = (t_k - t_{k-1}) / dt_unit_ms, with both times in epoch microseconds (sub-millisecond input keeps
     * its precision).
     *
     * @throws IllegalArgumentException when the event is older than its predecessor: a recurrence cannot
     *                                  go back in time, callers must sort or reject such events first
     */
    public static float tau(long previousMicros, long currentMicros, double dtUnitMs) {
        if (currentMicros < previousMicros) {
            throw new IllegalArgumentException("event time " + currentMicros + " µs is before the previous event's "
                    + previousMicros + " µs");
        }
        return (float) ((currentMicros - previousMicros) / 1000.0 / dtUnitMs);
    }
}
