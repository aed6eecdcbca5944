package io.ssmstream.kernels.stream;

import java.util.Arrays;

/**
 * The last {@code capacity} events of one stream (time and values), oldest first: what a new model replays to
 * rebuild the stream's hidden state after a model swap, since a hidden state only means something to the
 * model that produced it. A ring buffer in two flat arrays; {@link #add} allocates nothing.
 *
 * <pre>
 *   long[]  tsMicros; // (capacity) ring
 *   float[] values;   // (capacity, d_input) row-major ring
 * </pre>
 */
public final class InputWindow {
    /** No window: the stream's state cannot be rebuilt for another model. */
    public static final InputWindow NONE = new InputWindow(0, 0);

    private final int dInput;
    private final long[] tsMicros; // (capacity)
    private final float[] values;  // (capacity, dInput)
    private int start;             // index of the oldest event
    private int size;

    /**
     * @param capacity how many of the latest events to keep; 0 keeps none
     * @param dInput   values per event
     */
    public InputWindow(int capacity, int dInput) {
        if (capacity < 0) {
            throw new IllegalArgumentException("window capacity must be zero or positive, got " + capacity);
        }
        if (dInput < 0) {
            throw new IllegalArgumentException("dInput must be zero or positive, got " + dInput);
        }
        this.dInput = dInput;
        this.tsMicros = new long[capacity];
        this.values = new float[capacity * dInput];
    }

    public int capacity() {
        return tsMicros.length;
    }

    public int dInput() {
        return dInput;
    }

    public int size() {
        return size;
    }

    /** Appends an event, dropping the oldest when full; does nothing when the capacity is 0. */
    public void add(long eventTsMicros, float[] eventValues) {
        int capacity = tsMicros.length;
        if (capacity == 0) {
            return;
        }
        if (eventValues.length != dInput) {
            throw new IllegalArgumentException("window holds " + dInput + " values per event, got "
                    + eventValues.length);
        }
        int slot;
        if (size < capacity) {
            slot = (start + size) % capacity;
            size++;
        } else {
            slot = start;
            start = (start + 1) % capacity;
        }
        tsMicros[slot] = eventTsMicros;
        System.arraycopy(eventValues, 0, values, slot * dInput, dInput);
    }

    /** The time of the {@code i}-th event, oldest first, epoch µs. */
    public long tsMicros(int i) {
        return tsMicros[slot(i)];
    }

    /** Copies the values of the {@code i}-th event, oldest first, into {@code into} (d_input). */
    public void values(int i, float[] into) {
        System.arraycopy(values, slot(i) * dInput, into, 0, dInput);
    }

    private int slot(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("window event " + i + " of " + size);
        }
        return (start + i) % tsMicros.length;
    }

    public InputWindow copy() {
        InputWindow c = new InputWindow(capacity(), dInput);
        for (int i = 0; i < size; i++) {
            c.tsMicros[i] = tsMicros(i);
            System.arraycopy(values, slot(i) * dInput, c.values, i * dInput, dInput);
        }
        c.size = size;
        return c;
    }

    /** Same capacity, width and events in the same order (the ring's rotation does not matter). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InputWindow w) || w.capacity() != capacity() || w.dInput != dInput || w.size != size) {
            return false;
        }
        float[] a = new float[dInput];
        float[] b = new float[dInput];
        for (int i = 0; i < size; i++) {
            values(i, a);
            w.values(i, b);
            if (tsMicros(i) != w.tsMicros(i) || !Arrays.equals(a, b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * capacity() + size;
    }
}
