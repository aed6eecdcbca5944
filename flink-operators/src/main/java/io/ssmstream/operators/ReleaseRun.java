package io.ssmstream.operators;

/**
 * One time-ordered run of {@link ReleaseOrder}: entries added in non-decreasing time leave from the front in the
 * same order, a ring over parallel arrays. Adding and removing touch the run's two ends only.
 */
final class ReleaseRun {
    private static final int INITIAL_CAPACITY = 64;

    private long[] ts = new long[INITIAL_CAPACITY]; // (capacity, a power of 2): ring, size entries from head
    private String[] streams = new String[INITIAL_CAPACITY]; // (capacity): the stream of ts[i]
    private PendingEvents[] buffers = new PendingEvents[INITIAL_CAPACITY]; // (capacity): that stream's buffer
    private int head;
    private int size;
    private String polledStream;

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time held, at the front; only when not {@link #isEmpty()}. */
    long earliest() {
        return ts[head];
    }

    /** The latest time held, at the back; only when not {@link #isEmpty()}. */
    long latest() {
        return ts[(head + size - 1) & (ts.length - 1)];
    }

    /** Appends an entry; its time must not be before {@link #latest()}. */
    void add(long eventTs, String stream, PendingEvents events) {
        if (size == ts.length) {
            grow();
        }
        int at = (head + size) & (ts.length - 1);
        ts[at] = eventTs;
        streams[at] = stream;
        buffers[at] = events;
        size++;
    }

    /** Removes the front entry and returns its buffer; {@link #polledStream} names its stream. */
    PendingEvents poll() {
        PendingEvents first = buffers[head];
        polledStream = streams[head];
        streams[head] = null;
        buffers[head] = null;
        head = (head + 1) & (ts.length - 1);
        size--;
        return first;
    }

    String polledStream() {
        return polledStream;
    }

    /** Doubles the arrays, the entries in order from index 0. */
    private void grow() {
        int capacity = 2 * ts.length;
        long[] newTs = new long[capacity];
        String[] newStreams = new String[capacity];
        PendingEvents[] newBuffers = new PendingEvents[capacity];
        int first = ts.length - head; // entries from head to the arrays' end, then the wrapped ones
        System.arraycopy(ts, head, newTs, 0, first);
        System.arraycopy(ts, 0, newTs, first, head);
        System.arraycopy(streams, head, newStreams, 0, first);
        System.arraycopy(streams, 0, newStreams, first, head);
        System.arraycopy(buffers, head, newBuffers, 0, first);
        System.arraycopy(buffers, 0, newBuffers, first, head);
        ts = newTs;
        streams = newStreams;
        buffers = newBuffers;
        head = 0;
    }
}
