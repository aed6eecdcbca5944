package io.ssmstream.operators;

import io.ssmstream.kernels.stream.ForecasterState;

/**
 * Up to {@code capacity} streams a watermark released, gathered so that their events are stepped together
 * ({@link io.ssmstream.kernels.stream.StreamForecaster#stepBatch}): round r steps the r-th released event of every
 * stream that has one, so each stream's events stay in time order. Reused from batch to batch.
 */
final class ReleasedBatch {
    private final int capacity;
    private final String[] streams;          // (capacity)
    private final PendingEvents[] buffers;   // (capacity): the stream's waiting events
    private final int[] released;            // (capacity): how many of them the watermark passes
    private final int[] applied;             // (capacity): how many of those were stepped
    private final ForecasterState[] stored;  // (capacity): the keyed state read, null for a new stream
    private final ForecasterState[] states;  // (capacity): the state stepped (the current model's)
    private int size;

    ReleasedBatch(int capacity) {
        this.capacity = capacity;
        this.streams = new String[capacity];
        this.buffers = new PendingEvents[capacity];
        this.released = new int[capacity];
        this.applied = new int[capacity];
        this.stored = new ForecasterState[capacity];
        this.states = new ForecasterState[capacity];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == capacity;
    }

    /**
     * Whether {@code events} is a buffer already in the batch: the release order may hold a stream more than
     * once (see {@link ReleaseOrder}), and its events are applied once, with its first entry.
     */
    boolean holds(PendingEvents events) {
        for (int i = 0; i < size; i++) {
            if (buffers[i] == events) {
                return true;
            }
        }
        return false;
    }

    void add(String stream, PendingEvents events, int count, ForecasterState storedState, ForecasterState state) {
        streams[size] = stream;
        buffers[size] = events;
        released[size] = count;
        applied[size] = 0;
        stored[size] = storedState;
        states[size] = state;
        size++;
    }

    String stream(int i) {
        return streams[i];
    }

    PendingEvents events(int i) {
        return buffers[i];
    }

    int released(int i) {
        return released[i];
    }

    /** How many of stream i's released events were stepped so far: the next one's index in its buffer. */
    int applied(int i) {
        return applied[i];
    }

    void countApplied(int i) {
        applied[i]++;
    }

    ForecasterState stored(int i) {
        return stored[i];
    }

    ForecasterState state(int i) {
        return states[i];
    }

    void setState(int i, ForecasterState state) {
        states[i] = state;
    }

    /** Forgets every stream, so the next batch starts empty and nothing of this one is kept alive. */
    void clear() {
        for (int i = 0; i < size; i++) {
            streams[i] = null;
            buffers[i] = null;
            stored[i] = null;
            states[i] = null;
        }
        size = 0;
    }
}
