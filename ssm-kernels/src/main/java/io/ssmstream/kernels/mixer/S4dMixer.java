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
    private final float[] outT;     // (H, 2H): output_linear.0.weight[:, :, 0] transposed
    private final float[] outBias;  // (2H)

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
        this.outT = weights.takeTransposed(prefix + "output_linear.0.weight", 2 * channels, channels,
                2 * channels, channels, 1);
        this.outBias = weights.take(prefix + "output_linear.0.bias", 2 * channels);
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
        return new S4dStepper(ops);
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return new S4dBatchStepper(ops, maxBatch);
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

    private final class S4dStepper implements Stepper {
        private final KernelOps ops;
        private final Discretization discretization;
        private final float[] y = new float[channels];              // (H)
        private final float[] o = new float[2 * channels];          // (2H)

        S4dStepper(KernelOps ops) {
            this.ops = ops;
            this.discretization = new Discretization(ops);
        }

        @Override
        public void step(float[] in, float[] state, int stateOff, float tau, float[] out) {
            discretization.at(tau);
            ops.complexDiagonalScan(state, stateOff, discretization.deltaA, discretization.deltaB, c2, in, d, y,
                    channels, half);
            ops.gelu(y, channels);
            ops.matVec(outT, 2 * channels, channels, y, 0, outBias, o, 0);
            ops.mulSigmoid(o, 0, o, channels, out, channels);
        }
    }

    /** {@link S4dStepper}'s step for several streams: the output linear as one batched product. */
    private final class S4dBatchStepper implements BatchStepper {
        private final KernelOps ops;
        private final Discretization discretization;
        private final float[] ys;                           // (maxBatch, H): gelu(y) of each stream
        private final float[] os;                           // (maxBatch, 2H): W y + b of each stream
        private final float[] u = new float[channels];      // (H): one stream's input
        private final float[] y = new float[channels];      // (H): one stream's y
        private final float[] glu = new float[channels];    // (H): one stream's output

        S4dBatchStepper(KernelOps ops, int maxBatch) {
            this.ops = ops;
            Mixer.checkBatch(maxBatch);
            this.discretization = new Discretization(ops);
            this.ys = new float[maxBatch * channels];
            this.os = new float[maxBatch * 2 * channels];
        }

        @Override
        public void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out) {
            for (int b = 0; b < batch; b++) {
                discretization.at(taus[b]);
                System.arraycopy(in, b * channels, u, 0, channels);
                ops.complexDiagonalScan(states[b], stateOff, discretization.deltaA, discretization.deltaB, c2, u, d,
                        y, channels, half);
                ops.gelu(y, channels);
                System.arraycopy(y, 0, ys, b * channels, channels);
            }
            ops.matMat(outT, 2 * channels, channels, ys, channels, batch, outBias, os);
            for (int b = 0; b < batch; b++) {
                int o = b * 2 * channels;
                ops.mulSigmoid(os, o, os, o + channels, glu, channels);
                System.arraycopy(glu, 0, out, b * channels, channels);
            }
        }
    }
}
