package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.ScalarKernelOps;

/**
 * S4D, the diagonal structured state space with zero-order hold, one recurrent step (Gu, Gupta, Goel and Ré
 * 2022; state-spaces/s4 {@code models/s4/s4d.py}).
 *
 * <p>Glossary: H = d_model (channels, one SISO SSM each), N = d_state, N/2 = complex modes per channel
 * (half), Δ = dt = exp(log_dt) (· τ when time_aware), A = -exp(log_A_real) + i·A_imag, C complex.
 *
 * <pre>
 *   deltaA = exp(Δ A)                   deltaB = (exp(Δ A) - 1) / A         (zero-order hold)
 *   x      = deltaA ∘ x + deltaB · u    (per channel h, every mode n)
 *   y      = 2 Re(Σ_n C x) + D ∘ u,     y = gelu(y)   (exact erf GELU)
 *   o      = W y + b,                   out = o[:H] ∘ σ(o[H:])   (1x1 convolution then GLU)
 * </pre>
 *
 * <p>State layout (floats): x as complex {@code (N/2, H)}: the real parts row-major, then the imaginary parts;
 * zeros for a new stream. deltaA and deltaB for τ = 1 are computed once in double precision; other τ are
 * discretized on the fly (and cached for the next event with the same τ).
 */
public final class S4dMixer implements Mixer {
    private final int channels;
    private final int half;
    private final boolean timeAware;
    private final float[] dt;       // (H): exp(log_dt)
    private final float[] aRe;      // (N/2, H): -exp(log_A_real), transposed
    private final float[] aIm;      // (N/2, H): A_imag, transposed
    private final float[] invA;     // complex (N/2, H): 1 / A
    private final float[] deltaA1;  // complex (N/2, H): exp(dt A) for τ = 1
    private final float[] deltaB1;  // complex (N/2, H): (exp(dt A) - 1) / A for τ = 1
    private final float[] c2;       // complex (N/2, H): 2 C, so that y = Σ Re(c2 x)
    private final float[] d;        // (H)
    private final GeluGluBlock block;

    public S4dMixer(ModelConfig config, Weights weights, String prefix) {
        this.channels = config.dModel();
        this.half = config.dState() / 2;
        this.timeAware = config.timeAware();
        int size = channels * half;
        float[] logDt = weights.take(prefix + "kernel.log_dt", channels);
        float[] logAReal = weights.take(prefix + "kernel.log_A_real", channels, half);
        float[] aImag = weights.take(prefix + "kernel.A_imag", channels, half);
        float[] c = weights.take(prefix + "kernel.C", channels, half, 2);
        this.d = weights.take(prefix + "D", channels);
        this.block = new GeluGluBlock(channels, weights, prefix);
        this.dt = new float[channels];
        for (int h = 0; h < channels; h++) {
            dt[h] = (float) Math.exp(logDt[h]);
        }
        this.aRe = new float[size];
        this.aIm = new float[size];
        this.invA = new float[2 * size];
        this.c2 = new float[2 * size];
        for (int h = 0; h < channels; h++) {
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                double re = -Math.exp(logAReal[h * half + n]);
                double im = aImag[h * half + n];
                aRe[k] = (float) re;
                aIm[k] = (float) im;
                double norm = re * re + im * im;
                invA[k] = (float) (re / norm);
                invA[size + k] = (float) (-im / norm);
                c2[k] = 2 * c[(h * half + n) * 2];
                c2[size + k] = 2 * c[(h * half + n) * 2 + 1];
            }
        }
        this.deltaA1 = new float[2 * size];
        this.deltaB1 = new float[2 * size];
        new ScalarKernelOps().s4dDiscretize(dt, aRe, aIm, invA, deltaA1, deltaB1, channels, half);
    }

    @Override
    public int stateSize() {
        return 2 * channels * half;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return block.stepper(ops, new DiagonalRecurrence(ops));
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return block.batchStepper(ops, maxBatch, new DiagonalRecurrence(ops));
    }

    /** deltaA and deltaB for one τ: the τ = 1 ones, or those of the last other τ asked for (kept for the next). */
    private final class Discretization {
        private final KernelOps ops;
        private final float[] dtTau = new float[channels];              // (H): Δ · τ
        private final float[] deltaATau = new float[2 * channels * half]; // complex (N/2, H), for cachedTau
        private final float[] deltaBTau = new float[2 * channels * half]; // complex (N/2, H), for cachedTau
        private float cachedTau = Float.NaN;
        private float[] deltaA;
        private float[] deltaB;

        Discretization(KernelOps ops) {
            this.ops = ops;
        }

        /** Makes {@link #deltaA} and {@link #deltaB} those of {@code tau}. */
        void at(float tau) {
            deltaA = deltaA1;
            deltaB = deltaB1;
            if (timeAware && tau != 1f) {
                if (Float.compare(tau, cachedTau) != 0) {
                    for (int h = 0; h < channels; h++) {
                        dtTau[h] = dt[h] * tau;
                    }
                    ops.s4dDiscretize(dtTau, aRe, aIm, invA, deltaATau, deltaBTau, channels, half);
                    cachedTau = tau;
                }
                deltaA = deltaATau;
                deltaB = deltaBTau;
            }
        }
    }

    /** x = deltaA ∘ x + deltaB · u and y = 2 Re(Σ_n C x) + D ∘ u, for one stream. */
    private final class DiagonalRecurrence implements GeluGluBlock.Recurrence {
        private final KernelOps ops;
        private final Discretization discretization;

        DiagonalRecurrence(KernelOps ops) {
            this.ops = ops;
            this.discretization = new Discretization(ops);
        }

        @Override
        public void step(float[] u, float[] state, int stateOff, float tau, float[] y) {
            discretization.at(tau);
            ops.complexDiagonalScan(state, stateOff, discretization.deltaA, discretization.deltaB, c2, u, d, y,
                    channels, half);
        }
    }
}
