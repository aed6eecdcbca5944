package io.ssmstream.kernels.format;

import java.util.Arrays;

/**
 * A named tensor held as float32, row-major, with its shape.
 *
 * @param name  the safetensors key, e.g. {@code layers.0.mixer.A_log}
 * @param shape dimensions, outermost first
 * @param data  the elements in row-major order; its length is the product of {@code shape}
 */
public record Tensor(String name, int[] shape, float[] data) {

    public Tensor {
        long count = elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape)
                    + " needs " + count + " elements but " + data.length + " were given");
        }
    }

    public static long elementCount(int[] shape) {
        long count = 1;
        for (int d : shape) {
            count *= d;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
                && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
