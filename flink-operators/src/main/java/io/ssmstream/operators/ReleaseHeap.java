package io.ssmstream.operators;

import java.util.Arrays;

/**
 * The entries of {@link ReleaseOrder} that fit none of its time-ordered runs: a 4-ary min-heap by time over
 * parallel arrays, so an entry costs no object and no hashing; four children per node halve the levels a removal
 * walks down (about 19 to 10 among 400,000 entries), and a node's four children's times lie next to each other in
 * memory (one or two cache lines per level).
 */
final class ReleaseHeap {
    private static final int INITIAL_CAPACITY = 64;

    private long[] ts = new long[INITIAL_CAPACITY]; // (capacity): heap order on the first size slots
    private String[] streams = new String[INITIAL_CAPACITY]; // (capacity): the stream of ts[i]
    private PendingEvents[] buffers = new PendingEvents[INITIAL_CAPACITY]; // (capacity): that stream's buffer
    private int size;
    private String polledStream;

    /** Adds {@code stream}, whose waiting events are in {@code events}, at time {@code eventTs}. */
    void add(long eventTs, String stream, PendingEvents events) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, 2 * size);
            streams = Arrays.copyOf(streams, 2 * size);
            buffers = Arrays.copyOf(buffers, 2 * size);
        }
        int i = size++;
        while (i > 0) { // sift up; events mostly arrive in time order, so this mostly stops at once
            int parent = (i - 1) >>> 2;
            if (ts[parent] <= eventTs) {
                break;
            }
            ts[i] = ts[parent];
            streams[i] = streams[parent];
            buffers[i] = buffers[parent];
            i = parent;
        }
        ts[i] = eventTs;
        streams[i] = stream;
        buffers[i] = events;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time held; only when not {@link #isEmpty()}. */
    long earliest() {
        return ts[0];
    }

    /**
     * Removes the entry at the earliest time and returns its buffer (as it is now: the events may have been
     * applied since the entry was added); only when not {@link #isEmpty()}. {@link #polledStream} names its
     * stream.
     */
    PendingEvents poll() {
        polledStream = streams[0];
        PendingEvents first = buffers[0];
        int last = --size;
        long movedTs = ts[last];
        String moved = streams[last];
        PendingEvents movedBuffer = buffers[last];
        streams[last] = null;
        buffers[last] = null;
        int i = 0;
        while (4 * i + 1 < last) { // sift the last entry down from the root
            int firstChild = 4 * i + 1;
            int child = firstChild;
            for (int c = firstChild + 1, end = Math.min(firstChild + 4, last); c < end; c++) {
                if (ts[c] < ts[child]) {
                    child = c;
                }
            }
            if (movedTs <= ts[child]) {
                break;
            }
            ts[i] = ts[child];
            streams[i] = streams[child];
            buffers[i] = buffers[child];
            i = child;
        }
        if (last > 0) {
            ts[i] = movedTs;
            streams[i] = moved;
            buffers[i] = movedBuffer;
        }
        return first;
    }

    /** The stream of the entry {@link #poll} returned last. */
    String polledStream() {
        return polledStream;
    }
}
