package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.format.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Looks up the tensors of a model file by name with their expected shapes, and rearranges them into the
 * layouts the kernels compute with. Every problem names the file, the tensor and both shapes.
 */
public final class Weights {
    private final Map<String, Tensor> tensors;
    private final String source;

    public Weights(Map<String, Tensor> tensors, String source) {
        this.tensors = tensors;
        this.source = source;
    }

    /** The tensor's data, after checking that it exists, has exactly {@code shape} and holds finite numbers. */
    public float[] take(String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(source + ": missing tensor " + name + " (expected shape "
                    + Arrays.toString(shape) + ")");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new ModelFormatException(source + ": tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + " but the config needs " + Arrays.toString(shape));
        }
        float[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new ModelFormatException(source + ": tensor " + name + " holds " + data[i] + " at flat index " + i);
            }
        }
        return data;
    }

    /** A matrix W (rows, cols) as the kernels want it, transposed: (cols, rows) row-major. */
    public float[] takeTransposed(String name, int rows, int cols, int... shape) {
        return transpose(take(name, shape), rows, cols);
    }

    public static float[] transpose(float[] w, int rows, int cols) {
        float[] t = new float[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = w[r * cols + c];
            }
        }
        return t;
    }

    /** Output rows are padded to a multiple of this many (a 512-bit vector of floats) by {@link #padRows}. */
    public static final int ROW_PADDING = 16;

    /** {@code rows} rounded up to a multiple of {@link #ROW_PADDING}. */
    public static int paddedRows(int rows) {
        return (rows + ROW_PADDING - 1) / ROW_PADDING * ROW_PADDING;
    }

    /**
     * A transposed matrix {@code wT (cols, rows)} with zero output rows appended up to {@link #paddedRows}: a
     * product with it computes the extra rows as zeros in whole vectors, where the last few real rows would
     * otherwise take the kernels' scalar tail (for Mamba's x_proj, dt_rank + 2·d_state = 36 rows at d_model 64,
     * the tail was a tenth of the step).
     */
    public static float[] padRows(float[] wT, int rows, int cols) {
        int padded = paddedRows(rows);
        float[] out = new float[cols * padded];
        for (int j = 0; j < cols; j++) {
            System.arraycopy(wT, j * rows, out, j * padded, rows);
        }
        return out;
    }
}
