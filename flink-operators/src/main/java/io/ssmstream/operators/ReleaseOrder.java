package io.ssmstream.operators;

import java.util.Arrays;

/**
 * Streams by the time of an event they have waiting, earliest first: what the watermark releases next. A binary
 * min-heap over two arrays, so an entry costs no object and no hashing.
 *
 * <p>Why not an event-time timer per stream: Flink's timer service keeps each timer as an object in a heap per
 * key group plus a hash set that removes duplicates, and a stream among a million is released about once per
 * event; the timers were a sixth of the forecaster's thread there. Here an entry is two array slots, and a
 * stream may appear more than once (its owner, {@link WaitingStreams}, skips the entries whose events were
 * applied already), which keeps adding an entry free of any lookup.
 */
final class ReleaseOrder {
    private static final int INITIAL_CAPACITY = 64;

    private long[] ts = new long[INITIAL_CAPACITY]; // (capacity): heap order on the first size slots
    private String[] streams = new String[INITIAL_CAPACITY]; // (capacity): the stream of ts[i]
    private int size;

    /** Adds {@code stream} at time {@code eventTs}. */
    void add(long eventTs, String stream) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, 2 * size);
            streams = Arrays.copyOf(streams, 2 * size);
        }
        int i = size++;
        while (i > 0) { // sift up; events mostly arrive in time order, so this mostly stops at once
            int parent = (i - 1) >>> 1;
            if (ts[parent] <= eventTs) {
                break;
            }
            ts[i] = ts[parent];
            streams[i] = streams[parent];
            i = parent;
        }
        ts[i] = eventTs;
        streams[i] = stream;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time held; only when not {@link #isEmpty()}. */
    long earliest() {
        return ts[0];
    }

    /** Removes and returns the stream at the earliest time; only when not {@link #isEmpty()}. */
    String poll() {
        String first = streams[0];
        int last = --size;
        long movedTs = ts[last];
        String moved = streams[last];
        streams[last] = null;
        int i = 0;
        int half = last >>> 1;
        while (i < half) { // sift the last entry down from the root
            int child = 2 * i + 1;
            if (child + 1 < last && ts[child + 1] < ts[child]) {
                child++;
            }
            if (movedTs <= ts[child]) {
                break;
            }
            ts[i] = ts[child];
            streams[i] = streams[child];
            i = child;
        }
        if (last > 0) {
            ts[i] = movedTs;
            streams[i] = moved;
        }
        return first;
    }
}
