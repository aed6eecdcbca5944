package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.simd.KernelOps;

/**
 * What S4 and S4D put around their recurrence (state-spaces/s4's block with GELU and a GLU output linear), for
 * one stream or a batch:
 * <pre>
 *   y   = recurrence(u) (its own skip term D ∘ u included),   g = gelu(y)   (exact erf GELU)
 *   o   = W g + b       (output_linear: a 1×1 convolution H → 2H),   out = o[:H] ∘ σ(o[H:])
 * </pre>
 * The batch stepper runs each stream's recurrence and GELU, then W for all streams in one product.
 */
final class GeluGluBlock {
    /** One stream's recurrence for one event; holds its own working memory and coefficient cache. */
    interface Recurrence {
        /**
         * @param u     the input, (H)
         * @param state this layer's state at {@code stateOff}, updated in place
         * @param y     the recurrence's output with the skip term, (H)
         */
        void step(float[] u, float[] state, int stateOff, float tau, float[] y);
    }

    private final int channels;
    private final float[] outT;    // (H, 2H): output_linear.0.weight[:, :, 0] transposed
    private final float[] outBias; // (2H)

    GeluGluBlock(int channels, Weights weights, String prefix) {
        this.channels = channels;
        this.outT = weights.takeTransposed(prefix + "output_linear.0.weight", 2 * channels, channels,
                2 * channels, channels, 1);
        this.outBias = weights.take(prefix + "output_linear.0.bias", 2 * channels);
    }

    Mixer.Stepper stepper(KernelOps ops, Recurrence recurrence) {
        float[] y = new float[channels];     // (H)
        float[] o = new float[2 * channels]; // (2H)
        return (in, state, stateOff, tau, out) -> {
            recurrence.step(in, state, stateOff, tau, y);
            ops.gelu(y, channels);
            ops.matVec(outT, 2 * channels, channels, y, 0, outBias, o, 0);
            ops.mulSigmoid(o, 0, o, channels, out, channels);
        };
    }

    Mixer.BatchStepper batchStepper(KernelOps ops, int maxBatch, Recurrence recurrence) {
        Mixer.checkBatch(maxBatch);
        float[] ys = new float[maxBatch * channels];     // (maxBatch, H): gelu(y) of each stream
        float[] os = new float[maxBatch * 2 * channels]; // (maxBatch, 2H): W g + b of each stream
        float[] u = new float[channels];                 // (H): one stream's input
        float[] y = new float[channels];                 // (H): one stream's y
        float[] glu = new float[channels];               // (H): one stream's output
        return (batch, in, states, stateOff, taus, out) -> {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(in, b * channels, u, 0, channels);
                recurrence.step(u, states[b], stateOff, taus[b], y);
                ops.gelu(y, channels);
                System.arraycopy(y, 0, ys, b * channels, channels);
            }
            ops.matMat(outT, 2 * channels, channels, ys, channels, batch, outBias, os);
            for (int b = 0; b < batch; b++) {
                int o = b * 2 * channels;
                ops.mulSigmoid(os, o, os, o + channels, glu, channels);
                System.arraycopy(glu, 0, out, b * channels, channels);
            }
        };
    }
}
