package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.simd.KernelOps;

/**
 * The batched first half of the LRU and S5 steps, which share it: for each of several streams
 * <pre>
 *   x = λ̄(τ) ∘ x + f(τ) ∘ (B u)      (complex, N states)
 *   y = gelu(Re(C x) + D ∘ u)        (H channels)
 * </pre>
 * with B u and C x as batched products over the streams ({@link KernelOps#matMat}); the mixers add their own
 * output layers on {@link #ys}. The same operations, in the same order, as the mixers' one-stream steps.
 */
final class DiagonalRecurrenceBatch {
    /** λ̄ and f for a time gap: the mixer's discretization, cached for the last τ. */
    interface Coefficients {
        /** Makes {@link #lambda} and {@link #factor} those of {@code tau}. */
        void at(float tau);

        float[] lambda();

        float[] factor();
    }

    private final KernelOps ops;
    private final int channels;
    private final int states;
    private final float[] bT;  // (H, 2N): B transposed, as the mixer holds it
    private final float[] cT;  // (2N, H): C transposed, as the mixer holds it
    private final float[] d;   // (H)
    private final float[] bus; // (maxBatch, 2N): B u of each stream
    private final float[] xs;  // (maxBatch, 2N): each stream's new x
    final float[] ys;          // (maxBatch, H): each stream's y, the mixers' output layers' input
    private final float[] bu;  // complex (N): one stream's B u
    private final float[] u;   // (H): one stream's input
    private final float[] y;   // (H): one stream's y

    DiagonalRecurrenceBatch(KernelOps ops, int maxBatch, int channels, int states, float[] bT, float[] cT,
                            float[] d) {
        this.ops = ops;
        this.channels = channels;
        this.states = states;
        this.bT = bT;
        this.cT = cT;
        this.d = d;
        this.bus = new float[maxBatch * 2 * states];
        this.xs = new float[maxBatch * 2 * states];
        this.ys = new float[maxBatch * channels];
        this.bu = new float[2 * states];
        this.u = new float[channels];
        this.y = new float[channels];
    }

    /** Advances each stream's x (complex (N) from {@code stateOff}) and leaves its y in {@link #ys}. */
    void step(int batch, float[] in, float[][] streamStates, int stateOff, float[] taus, Coefficients coefficients) {
        int n2 = 2 * states;
        ops.matMat(bT, n2, channels, in, channels, batch, null, bus);
        for (int b = 0; b < batch; b++) {
            coefficients.at(taus[b]);
            System.arraycopy(bus, b * n2, bu, 0, n2);
            ops.complexDiagonalUpdate(streamStates[b], stateOff, coefficients.lambda(), coefficients.factor(), bu,
                    states);
            System.arraycopy(streamStates[b], stateOff, xs, b * n2, n2);
        }
        ops.matMat(cT, channels, n2, xs, n2, batch, null, ys);
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ys, b * channels, y, 0, channels);
            System.arraycopy(in, b * channels, u, 0, channels);
            ops.addProduct(y, d, u, channels);
            ops.gelu(y, channels);
            System.arraycopy(y, 0, ys, b * channels, channels);
        }
    }
}
