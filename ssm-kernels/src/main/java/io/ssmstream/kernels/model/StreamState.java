package io.ssmstream.kernels.model;

import java.util.Arrays;

/**
 * One stream's recurrent state: every layer's state in one flat float array, layer i from {@link #offset(int)}
 * on, each laid out as its mixer documents (see {@code MambaMixer}, {@code S4dMixer}, {@code LruMixer},
 * {@code S5Mixer}), plus the number of events applied. Mutable; owned by whoever owns the stream (a Flink key,
 * a replay loop).
 *
 * <p>Why one array and not one per layer: Flink's heap state backend copies a stream's state at its first
 * access while a checkpoint is being written, which with many streams is most accesses, and a copy costs per
 * object (allocation, the garbage collector's work on the copies) as well as per byte.
 */
public final class StreamState {
    private final float[] floats; // (offsets[L]): layer i in [offsets[i], offsets[i+1])
    private final int[] offsets;  // (L + 1); a model's states share it, nobody changes it
    private long events;

    private StreamState(float[] floats, int[] offsets, long events) {
        this.floats = floats;
        this.offsets = offsets;
        this.events = events;
    }

    /**
     * A state over {@code floats}, which it keeps (not a copy): layer i is the next {@code layerSizes[i]} floats
     * (a state read from bytes).
     *
     * @param events the number of events applied so far
     * @throws IllegalArgumentException when the sizes do not add up to the array's length
     */
    public static StreamState of(float[] floats, int[] layerSizes, long events) {
        int[] offsets = offsets(layerSizes);
        if (offsets[layerSizes.length] != floats.length) {
            throw new IllegalArgumentException("layer sizes add up to " + offsets[layerSizes.length]
                    + " floats, the array has " + floats.length);
        }
        return new StreamState(floats, offsets, events);
    }

    /** A state holding a copy of {@code layers}, one array per layer. */
    public static StreamState ofLayers(float[][] layers, long events) {
        int[] sizes = new int[layers.length];
        for (int i = 0; i < layers.length; i++) {
            sizes[i] = layers[i].length;
        }
        int[] offsets = offsets(sizes);
        float[] floats = new float[offsets[layers.length]];
        for (int i = 0; i < layers.length; i++) {
            System.arraycopy(layers[i], 0, floats, offsets[i], sizes[i]);
        }
        return new StreamState(floats, offsets, events);
    }

    /**
     * Where each layer starts when layers of {@code layerSizes} lie back to back, and (last) where they end.
     *
     * @throws IllegalArgumentException when a size is negative
     */
    static int[] offsets(int[] layerSizes) {
        int[] offsets = new int[layerSizes.length + 1];
        for (int i = 0; i < layerSizes.length; i++) {
            if (layerSizes[i] < 0) {
                throw new IllegalArgumentException("layer " + i + " has a negative size " + layerSizes[i]);
            }
            offsets[i + 1] = Math.addExact(offsets[i], layerSizes[i]);
        }
        return offsets;
    }

    /** A fresh all-zero state for {@code model}. */
    public static StreamState zeros(SsmModel model) {
        int[] offsets = model.stateOffsets;
        return new StreamState(new float[offsets[offsets.length - 1]], offsets, 0);
    }

    /** A state sharing this one's array (not a copy) with {@code events} as the count of events applied. */
    public StreamState withEvents(long events) {
        return new StreamState(floats, offsets, events);
    }

    public int layerCount() {
        return offsets.length - 1;
    }

    /** Where layer {@code i} starts in {@link #floats()}. */
    public int offset(int i) {
        return offsets[i];
    }

    /** Layer {@code i}'s size in floats. */
    public int layerSize(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Every layer's state, back to back; changed in place by each step. */
    public float[] floats() {
        return floats;
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
        return offsets == model.stateOffsets || Arrays.equals(offsets, model.stateOffsets);
    }

    /**
     * Sets every layer to {@code other}'s; the event count is not copied.
     *
     * @throws IllegalArgumentException when the layers differ in number or size (a state of another model)
     */
    public void setLayers(StreamState other) {
        if (other.layerCount() != layerCount()) {
            throw new IllegalArgumentException("the stream's state has " + other.layerCount() + " layers, the model "
                    + layerCount());
        }
        for (int i = 0; i < layerCount(); i++) {
            if (other.layerSize(i) != layerSize(i)) {
                throw new IllegalArgumentException("the stream's state has " + other.layerSize(i) + " floats in layer "
                        + i + ", the model " + layerSize(i));
            }
        }
        System.arraycopy(other.floats, 0, floats, 0, floats.length);
    }

    public StreamState copy() {
        return new StreamState(floats.clone(), offsets, events);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamState s && events == s.events && Arrays.equals(offsets, s.offsets)
                && Arrays.equals(floats, s.floats);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(events) + Arrays.hashCode(floats);
    }
}
