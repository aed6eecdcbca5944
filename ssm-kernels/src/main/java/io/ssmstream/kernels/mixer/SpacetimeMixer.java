package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * SpaceTime's companion state space, one recurrent step (Zhang, Saab, Poli, Dao, Goel and Ré 2023, "Effectively
 * Modeling Time Series with Simple Discrete State Spaces"; HazyResearch/spacetime {@code CompanionSSM}).
 *
 * <p>Glossary: H = d_model (channels, one SISO SSM each, SpaceTime's {@code n_kernels}), N = d_state
 * ({@code kernel_dim}), a, b, c = the file's {@code kernel.a}, {@code kernel.b}, {@code kernel.c}, D = the skip
 * ({@code skip} there), S = the N × N down-shift (ones below the diagonal), e_{N-1} = the last unit vector.
 *
 * <pre>
 *   â = a / ‖a‖₁                        (per channel, SpaceTime's norm_order 1; a = 0 stays 0)
 *   A = S + â e_{N-1}ᵀ                  (companion matrix: shift, and â as its last column)
 *   x = A^m x_prev + b u,   y = c·x + D u   (per channel; m = 1 for consecutive samples)
 *   y = gelu(y),  o = W y + bias,  out = o[:H] ∘ σ(o[H:])   (S4's block, as for S4D)
 * </pre>
 *
 * <p>SpaceTime is a discrete-time model, so nothing is discretized: A is the transition from one sample to the
 * next. When {@code time_aware}, a gap of τ steps is m = round(τ) samples, the m - 1 skipped ones stepping with
 * zero input; m is at least 1 (an event is a sample even when τ rounds to 0) and at most {@value #MAX_GAP_STEPS},
 * so that one event's work is bounded (a longer gap counts as {@value #MAX_GAP_STEPS} samples). Multi-step
 * forecasts feed the model's own output back (SpaceTime's closed loop), which is what {@code ForecastRollout} does.
 *
 * <p>State layout (floats): x as {@code (N, H)} row-major; zeros for a new stream.
 */
public final class SpacetimeMixer implements Mixer {
    /** The most samples one event advances the state by: longer gaps are clamped to it. */
    public static final int MAX_GAP_STEPS = 64;

    private final int channels;
    private final int dState;
    private final boolean timeAware;
    private final float[] a; // (N, H): â = a / ‖a‖₁, transposed
    private final float[] b; // (N, H): transposed
    private final float[] c; // (N, H): transposed
    private final float[] d; // (H)
    private final GeluGluBlock block;

    public SpacetimeMixer(ModelConfig config, Weights weights, String prefix) {
        this.channels = config.dModel();
        this.dState = config.dState();
        this.timeAware = config.timeAware();
        float[] aRaw = weights.take(prefix + "kernel.a", channels, dState);
        this.a = Weights.transpose(l1NormalisedRows(aRaw, channels, dState), channels, dState);
        this.b = weights.takeTransposed(prefix + "kernel.b", channels, dState, channels, dState);
        this.c = weights.takeTransposed(prefix + "kernel.c", channels, dState, channels, dState);
        this.d = weights.take(prefix + "D", channels);
        this.block = new GeluGluBlock(channels, weights, prefix);
    }

    /**
     * The samples an event with time gap τ advances the state by: 1 unless time-aware, else round(τ) clamped to
     * [1, {@value #MAX_GAP_STEPS}] (NaN counts as 1). The trainer steps with the same counts.
     */
    public static int samples(float tau, boolean timeAware) {
        if (!timeAware) {
            return 1;
        }
        return Math.max(1, Math.min(MAX_GAP_STEPS, Math.round(tau)));
    }

    /** â = a / ‖a‖₁ per row h of a (H, N), the norm in double; a row of zeros stays zero. */
    private static float[] l1NormalisedRows(float[] aRaw, int channels, int dState) {
        float[] out = new float[aRaw.length];
        for (int h = 0; h < channels; h++) {
            double norm = 0;
            for (int n = 0; n < dState; n++) {
                norm += Math.abs(aRaw[h * dState + n]);
            }
            for (int n = 0; n < dState; n++) {
                out[h * dState + n] = norm > 0 ? (float) (aRaw[h * dState + n] / norm) : 0f;
            }
        }
        return out;
    }

    @Override
    public int stateSize() {
        return channels * dState;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return block.stepper(ops, recurrence(ops));
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return block.batchStepper(ops, maxBatch, recurrence(ops));
    }

    /** x = A^m x + b u and y = c·x + D u, for one stream. */
    private GeluGluBlock.Recurrence recurrence(KernelOps ops) {
        return (u, state, stateOff, tau, y) -> ops.companionScan(state, stateOff, a, b, c, u, d, y, channels,
                dState, samples(tau, timeAware));
    }
}
