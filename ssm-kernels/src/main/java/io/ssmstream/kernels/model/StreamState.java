package io.ssmstream.kernels.model;

import java.util.Arrays;

/**
 * One stream's recurrent state: one flat float array per layer, laid out as that layer's mixer documents
 * (see {@code MambaMixer}, {@code S4dMixer}, {@code LruMixer}), plus the number of events applied. Mutable;
 * owned by whoever owns the stream (a Flink key, a replay loop).
 */
public final class StreamState {
    private final float[][] layers;
    private long events;

    public StreamState(float[][] layers, long events) {
        this.layers = layers;
        this.events = events;
    }

    /** A fresh all-zero state for {@code model}. */
    public static StreamState zeros(SsmModel model) {
        int[] sizes = model.stateSizes();
        float[][] layers = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            layers[i] = new float[sizes[i]];
        }
        return new StreamState(layers, 0);
    }

    public float[][] layers() {
        return layers;
    }

    public float[] layer(int i) {
        return layers[i];
    }

    /** Events applied so far. */
    public long events() {
        return events;
    }

    void countEvent() {
        events++;
    }

    /** Whether this state has the layer sizes {@code model} steps. */
    public boolean fits(SsmModel model) {
        int[] sizes = model.stateSizes();
        if (sizes.length != layers.length) {
            return false;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (layers[i].length != sizes[i]) {
                return false;
            }
        }
        return true;
    }

    public StreamState copy() {
        float[][] copy = new float[layers.length][];
        for (int i = 0; i < layers.length; i++) {
            copy[i] = layers[i].clone();
        }
        return new StreamState(copy, events);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamState s && events == s.events && Arrays.deepEquals(layers, s.layers);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(events) + Arrays.deepHashCode(layers);
    }
}
