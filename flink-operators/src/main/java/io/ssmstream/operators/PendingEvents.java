package io.ssmstream.operators;

import java.util.Arrays;

/**
 * One stream's events that wait for the watermark, in event-time order, and when the stream last received one.
 * Kept as one value per stream so that an arriving event costs one state read and one write, and the events a
 * watermark releases are applied together (one timer, one read of the SSM state per release instead of per
 * event). A Flink POJO: public fields and a no-arg constructor, so Flink serializes it without Kryo.
 *
 * <p>Only the time and the values are kept: an event that waits here is past the late check, and the stream
 * id is the Flink key.
 */
public class PendingEvents {
    /** Processing time of the stream's last arrival, epoch ms (the idle TTL counts from it). */
    public long lastSeenMillis;
    /** Event times of the waiting events, epoch ms, strictly increasing. */
    public long[] ts; // (count)
    /** Their values. */
    public float[][] values; // (count)(d_input)

    public PendingEvents() {
        ts = new long[0];
        values = new float[0][];
    }

    public int count() {
        return ts.length;
    }

    /** The earliest waiting event's time; only when {@link #count()} is positive. */
    public long earliest() {
        return ts[0];
    }

    /**
     * Inserts an event in time order.
     *
     * @return false, leaving the buffer unchanged, when an event with this time already waits (a duplicate)
     */
    public boolean insert(long eventTs, float[] eventValues) {
        int n = ts.length;
        int insertion;
        if (n == 0 || eventTs > ts[n - 1]) {
            insertion = n; // in order, the common case: no search
        } else {
            int at = Arrays.binarySearch(ts, eventTs);
            if (at >= 0) {
                return false;
            }
            insertion = -at - 1;
        }
        long[] newTs = new long[n + 1];
        float[][] newValues = new float[n + 1][];
        System.arraycopy(ts, 0, newTs, 0, insertion);
        System.arraycopy(values, 0, newValues, 0, insertion);
        newTs[insertion] = eventTs;
        newValues[insertion] = eventValues;
        System.arraycopy(ts, insertion, newTs, insertion + 1, n - insertion);
        System.arraycopy(values, insertion, newValues, insertion + 1, n - insertion);
        ts = newTs;
        values = newValues;
        return true;
    }

    /** How many waiting events are at or before {@code watermark}: the ones it releases. */
    public int countUpTo(long watermark) {
        int at = Arrays.binarySearch(ts, watermark);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** Drops the {@code n} earliest events (after they were applied). */
    public void removeFirst(int n) {
        ts = Arrays.copyOfRange(ts, n, ts.length);
        values = Arrays.copyOfRange(values, n, values.length);
    }
}
