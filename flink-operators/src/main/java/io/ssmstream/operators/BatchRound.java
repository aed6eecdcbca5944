package io.ssmstream.operators;

import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.StreamForecaster;

/**
 * One round of a {@link ReleasedBatch}: the next event of each of up to {@code capacity} streams, stepped
 * together. A round of one stream takes the one-at-a-time step (the same result, without the batch's copies).
 */
final class BatchRound {
    private final int[] slots;               // (capacity): the stream's index in its ReleasedBatch
    private final ForecasterState[] states;  // (capacity)
    private final long[] tsMicros;           // (capacity)
    private final float[][] eventValues;     // (capacity): each event's values, as the record carries them
    private final double[] scores;           // (capacity)
    private int size;

    BatchRound(int capacity) {
        this.slots = new int[capacity];
        this.states = new ForecasterState[capacity];
        this.tsMicros = new long[capacity];
        this.eventValues = new float[capacity][];
        this.scores = new double[capacity];
    }

    /** Adds stream {@code slot}'s event at {@code tsMillis} to this round. */
    void add(int slot, ForecasterState state, long tsMillis, float[] event) {
        slots[size] = slot;
        states[size] = state;
        tsMicros[size] = tsMillis * 1000L;
        eventValues[size] = event;
        size++;
    }

    int size() {
        return size;
    }

    /** Steps every event of the round with {@code forecaster}; the scores are then in {@link #score}. */
    void step(StreamForecaster forecaster) {
        if (size == 1) {
            scores[0] = forecaster.step(states[0], tsMicros[0], eventValues[0]);
        } else {
            forecaster.stepBatch(size, states, tsMicros, eventValues, scores);
        }
    }

    int slot(int k) {
        return slots[k];
    }

    ForecasterState state(int k) {
        return states[k];
    }

    long tsMillis(int k) {
        return tsMicros[k] / 1000L;
    }

    float[] eventValues(int k) {
        return eventValues[k];
    }

    double score(int k) {
        return scores[k];
    }

    /** Empties the round, keeping nothing of it alive. */
    void clear() {
        for (int k = 0; k < size; k++) {
            states[k] = null;
            eventValues[k] = null;
        }
        size = 0;
    }
}
