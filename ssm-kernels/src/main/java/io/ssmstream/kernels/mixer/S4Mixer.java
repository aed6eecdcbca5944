package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * S4, the structured state space with a diagonal-plus-low-rank state matrix, one recurrent step (Gu, Goel and
 * Ré 2022, "Efficiently Modeling Long Sequences with Structured State Spaces"; state-spaces/s4
 * {@code SSMKernelDPLR} with its linear-time {@code _step_state_linear}: bilinear discretization, the Woodbury
 * identity for the rank-1 correction, one half of each conjugate pair kept).
 *
 * <p>Glossary: H = d_model (channels, one SISO SSM each), N = d_state (the full state, of N/2 conjugate pairs),
 * half = N/2, Λ = -exp(inv_A_real) + i·A_imag (half), P the rank-1 factor ({@code kernel.P[0]}), A = Λ - P P*
 * on the full state, Δ = exp(log_dt) (· τ when time_aware), B, C complex (half) per channel, D the skip.
 *
 * <pre>
 *   (I - Δ/2 A) x' = (I + Δ/2 A) x + Δ B u                   (bilinear: x' = Ā x + B̄ u)
 *   (I - Δ/2 A)⁻¹  = R - r R P (Δ/2) P* R,   R = diag(1 / (1 - Δ Λ / 2)),
 *                    r = 1 / (1 + (Δ/2) P* R P)               (Woodbury, rank 1: O(N) per step)
 *   y = 2 Re(Σ_n C x') + D ∘ u,    then S4's block: gelu, output_linear, GLU ({@link GeluGluBlock})
 * </pre>
 * Over the full conjugate-symmetric state P* x = 2 Re(Σ_n conj(P_n) x_n), which is how the kept half computes
 * it ({@link KernelOps#dplrScan}).
 *
 * <p>C is the recurrence's own C. The reference's convolution mode trains C̃ = C (I - Ā^L) for one kernel length
 * L and converts it back before stepping; a stream has no length, so the file holds C itself.
 *
 * <p>State layout (floats): x as complex {@code (half, H)}: the real parts row-major, then the imaginary parts;
 * zeros for a new stream. The coefficients for τ = 1 are computed once in double precision; other τ are computed
 * on the fly and cached for the next event with the same τ (Δ = 0 leaves the state unchanged).
 */
public final class S4Mixer implements Mixer {
    private final int channels;
    private final int half;
    private final boolean timeAware;
    private final double[] dt;        // (H): exp(log_dt)
    private final double[] lambdaRe;  // (half, H): -exp(inv_A_real), transposed
    private final double[] lambdaIm;  // (half, H): A_imag, transposed
    private final double[] pRe;       // (half, H): Re P, transposed
    private final double[] pIm;       // (half, H): Im P, transposed
    private final double[] bRe;       // (half, H): Re B, transposed
    private final double[] bIm;       // (half, H): Im B, transposed
    private final float[] p;          // complex (half, H): P
    private final float[] c2;         // complex (half, H): 2 C, so that y = Σ Re(c2 x)
    private final float[] d;          // (H)
    private final Coefficients unitTau;
    private final GeluGluBlock block;

    public S4Mixer(ModelConfig config, Weights weights, String prefix) {
        this.channels = config.dModel();
        this.half = config.dState() / 2;
        this.timeAware = config.timeAware();
        int size = channels * half;
        float[] logDt = weights.take(prefix + "kernel.log_dt", channels);
        float[] invAReal = weights.take(prefix + "kernel.inv_A_real", channels, half);
        float[] aImag = weights.take(prefix + "kernel.A_imag", channels, half);
        float[] lowRank = weights.take(prefix + "kernel.P", 1, channels, half, 2);
        float[] b = weights.take(prefix + "kernel.B", channels, half, 2);
        float[] c = weights.take(prefix + "kernel.C", channels, half, 2);
        this.d = weights.take(prefix + "D", channels);
        this.block = new GeluGluBlock(channels, weights, prefix);
        this.dt = new double[channels];
        for (int h = 0; h < channels; h++) {
            dt[h] = Math.exp(logDt[h]);
        }
        this.lambdaRe = new double[size];
        this.lambdaIm = new double[size];
        this.pRe = new double[size];
        this.pIm = new double[size];
        this.bRe = new double[size];
        this.bIm = new double[size];
        this.p = new float[2 * size];
        this.c2 = new float[2 * size];
        for (int h = 0; h < channels; h++) {
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                int src = h * half + n;
                lambdaRe[k] = -Math.exp(invAReal[src]);
                lambdaIm[k] = aImag[src];
                pRe[k] = lowRank[2 * src];
                pIm[k] = lowRank[2 * src + 1];
                bRe[k] = b[2 * src];
                bIm[k] = b[2 * src + 1];
                p[k] = lowRank[2 * src];
                p[size + k] = lowRank[2 * src + 1];
                c2[k] = 2 * c[2 * src];
                c2[size + k] = 2 * c[2 * src + 1];
            }
        }
        this.unitTau = new Coefficients();
        unitTau.discretize(1f);
    }

    @Override
    public int stateSize() {
        return 2 * channels * half;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return block.stepper(ops, new DplrRecurrence(ops));
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return block.batchStepper(ops, maxBatch, new DplrRecurrence(ops));
    }

    /** The bilinear step's coefficients for one τ, as {@link KernelOps#dplrScan} takes them. */
    private final class Coefficients {
        final float[] e = new float[2 * channels * half];    // complex (half, H): 1 + Δ Λ / 2
        final float[] dRes = new float[2 * channels * half]; // complex (half, H): 1 / (1 - Δ Λ / 2)
        final float[] g = new float[2 * channels * half];    // complex (half, H): r Δ P conj(dRes)
        final float[] qHat = new float[2 * channels * half]; // complex (half, H): Δ P
        final float[] deltaB = new float[2 * channels * half]; // complex (half, H): Δ B
        private final double[] resolventRe = new double[half]; // (half): one channel's dRes, in double
        private final double[] resolventIm = new double[half];
        float tau = Float.NaN;

        void discretize(float newTau) {
            int size = channels * half;
            for (int h = 0; h < channels; h++) {
                double delta = dt[h] * newTau;
                double lowRankSum = 0; // Σ_n |P|² Re dRes
                for (int n = 0; n < half; n++) {
                    int k = n * channels + h;
                    double halfRe = delta / 2 * lambdaRe[k];
                    double halfIm = delta / 2 * lambdaIm[k];
                    double norm = (1 - halfRe) * (1 - halfRe) + halfIm * halfIm;
                    resolventRe[n] = (1 - halfRe) / norm;
                    resolventIm[n] = halfIm / norm;
                    e[k] = (float) (1 + halfRe);
                    e[size + k] = (float) halfIm;
                    dRes[k] = (float) resolventRe[n];
                    dRes[size + k] = (float) resolventIm[n];
                    qHat[k] = (float) (delta * pRe[k]);
                    qHat[size + k] = (float) (delta * pIm[k]);
                    deltaB[k] = (float) (delta * bRe[k]);
                    deltaB[size + k] = (float) (delta * bIm[k]);
                    lowRankSum += (pRe[k] * pRe[k] + pIm[k] * pIm[k]) * resolventRe[n];
                }
                double rDelta = delta / (1 + delta * lowRankSum);
                for (int n = 0; n < half; n++) {
                    int k = n * channels + h;
                    g[k] = (float) (rDelta * (pRe[k] * resolventRe[n] + pIm[k] * resolventIm[n]));
                    g[size + k] = (float) (rDelta * (pIm[k] * resolventRe[n] - pRe[k] * resolventIm[n]));
                }
            }
            tau = newTau;
        }
    }

    /** The Woodbury step and y = 2 Re(Σ_n C x) + D ∘ u, for one stream. */
    private final class DplrRecurrence implements GeluGluBlock.Recurrence {
        private final KernelOps ops;
        private final Coefficients otherTau = new Coefficients();

        DplrRecurrence(KernelOps ops) {
            this.ops = ops;
        }

        @Override
        public void step(float[] u, float[] state, int stateOff, float tau, float[] y) {
            Coefficients k = unitTau;
            if (timeAware && tau != 1f) {
                if (Float.compare(tau, otherTau.tau) != 0) {
                    otherTau.discretize(tau);
                }
                k = otherTau;
            }
            ops.dplrScan(state, stateOff, k.e, k.dRes, k.g, p, k.qHat, k.deltaB, c2, u, d, y, channels, half);
        }
    }
}
