package io.ssmstream.operators;

import java.util.Arrays;

/**
 * One stream's events that wait for the watermark, in event-time order.
 * The events a watermark releases are applied together (one read and one write of the SSM state per release
 * instead of per event). {@link WaitingStreams} holds one per stream with events waiting.
 *
 * <p>The arrays have room to spare ({@link #unused} slots at their end), doubled when full, so that an arriving
 * event is written in place instead of copying the whole buffer into new arrays (about 0.6 µs of CPU per event
 * in the pipeline benchmark). Checkpoints write it with {@link io.ssmstream.operators.state.PendingEventsSerializer},
 * which writes the events alone. It is also a Flink POJO (public fields, a no-arg constructor): the job's first
 * versions kept it as one in keyed state {@code pending-events-v2}, without {@code unused}; Flink's POJO schema
 * evolution reads such a state back with {@code unused = 0}, i.e. every slot an event, which is what it was then
 * (see {@link EarlierVersionStates}).
 *
 * <p>Only the time and the values are kept: an event that waits here is past the late check, and the stream
 * id is known to whoever holds the buffer.
 */
public class PendingEvents {
    /** Below this the arrays grow to this many slots at once. */
    static final int MIN_CAPACITY = 8;

    /**
     * Processing time of the stream's last arrival, epoch ms, as earlier versions recorded it (their idle timers
     * counted from it); 0 in buffers this version makes, which finds idle streams by event time. Kept: it is a
     * field of the POJO state and of {@link io.ssmstream.operators.state.PendingEventsSerializer}'s format.
     */
    public long lastSeenMillis;
    /** Event times of the waiting events, epoch ms, strictly increasing, in the first {@link #count()} slots. */
    public long[] ts; // (capacity)
    /** Their values; null in the unused slots. */
    public float[][] values; // (capacity)(d_input)
    /** Slots at the end of {@link #ts} and {@link #values} that hold no event. */
    public int unused;

    public PendingEvents() {
        ts = new long[0];
        values = new float[0][];
    }

    /**
     * A buffer over arrays filled by the caller: the first {@code count} slots hold the events, in strictly
     * increasing time; the slots after them are spare (null values).
     */
    public static PendingEvents of(long lastSeenMillis, long[] ts, float[][] values, int count) {
        PendingEvents events = new PendingEvents();
        events.lastSeenMillis = lastSeenMillis;
        events.ts = ts;
        events.values = values;
        events.unused = ts.length - count;
        return events;
    }

    public int count() {
        return ts.length - unused;
    }

    /** The earliest waiting event's time; only when {@link #count()} is positive. */
    public long earliest() {
        return ts[0];
    }

    /** The time of the {@code i}-th waiting event in time order, {@code i < count()}. */
    public long ts(int i) {
        return ts[i];
    }

    /** The values of the {@code i}-th waiting event in time order, {@code i < count()}. */
    public float[] values(int i) {
        return values[i];
    }

    /**
     * Inserts an event in time order.
     *
     * @return false, leaving the buffer unchanged, when an event with this time already waits (a duplicate)
     */
    public boolean insert(long eventTs, float[] eventValues) {
        int n = count();
        int insertion;
        if (n == 0 || eventTs > ts[n - 1]) {
            insertion = n; // in order, the common case: no search
        } else {
            int at = Arrays.binarySearch(ts, 0, n, eventTs);
            if (at >= 0) {
                return false;
            }
            insertion = -at - 1;
        }
        if (unused == 0) {
            int capacity = Math.max(MIN_CAPACITY, 2 * n);
            ts = Arrays.copyOf(ts, capacity);
            values = Arrays.copyOf(values, capacity);
            unused = capacity - n;
        }
        System.arraycopy(ts, insertion, ts, insertion + 1, n - insertion);
        System.arraycopy(values, insertion, values, insertion + 1, n - insertion);
        ts[insertion] = eventTs;
        values[insertion] = eventValues;
        unused--;
        return true;
    }

    /** How many waiting events are at or before {@code watermark}: the ones it releases. */
    public int countUpTo(long watermark) {
        int at = Arrays.binarySearch(ts, 0, count(), watermark);
        return at >= 0 ? at + 1 : -at - 1;
    }

    /** Drops the {@code n} earliest events (after they were applied); the arrays keep their size. */
    public void removeFirst(int n) {
        int left = count() - n;
        System.arraycopy(ts, n, ts, 0, left);
        System.arraycopy(values, n, values, 0, left);
        Arrays.fill(values, left, left + n, null);
        unused += n;
    }
}
