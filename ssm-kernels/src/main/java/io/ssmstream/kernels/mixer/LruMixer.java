package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * The Linear Recurrent Unit, one recurrent step (Orvieto, Smith, Gu, Fernando, Gulcehre, Pascanu and De 2023,
 * "Resurrecting Recurrent Neural Networks for Long Sequences").
 *
 * <p>Glossary: H = d_model, N = d_state (complex states), λ = exp(-exp(ν_log) + i·exp(θ_log)) the diagonal
 * recurrence, γ = exp(γ_log) the input normalisation, B = B_re + i·B_im (N, H), C = C_re + i·C_im (H, N),
 * τ = the event's time gap in steps.
 *
 * <pre>
 *   x   = λ^τ ∘ x + f ∘ (B u)     f = γ                                  when τ = 1 or not time_aware
 *                                 λ^τ = exp(τ(-exp(ν_log) + i·exp(θ_log))), f = γ (λ^τ - 1)/(λ - 1)  otherwise
 *   y   = Re(C x) + D ∘ u,   y = gelu(y)   (exact erf GELU)
 *   out = (W1 y + b1) ∘ σ(W2 y + b2)
 * </pre>
 * λ^τ is taken from the parameters, not from a principal logarithm of λ, so phases beyond π stay exact.
 *
 * <p>State layout (floats): x complex (N): the N real parts, then the N imaginary parts; zeros for a new
 * stream. Coefficients for τ ≠ 1 are computed in double precision and cached for the next event with the
 * same τ.
 */
public final class LruMixer implements Mixer {
    private final int channels;
    private final int states;
    private final boolean timeAware;
    private final double[] nu;      // (N): exp(nu_log)
    private final double[] theta;   // (N): exp(theta_log)
    private final float[] gamma;    // (N): exp(gamma_log)
    private final float[] lambda1;  // complex (N): λ
    private final float[] f1;       // complex (N): γ + 0i
    private final float[] bT;       // (H, 2N): [B_re; B_im] transposed
    private final float[] cT;       // (2N, H): [C_re, -C_im] transposed, so that C x real part is one product
    private final float[] d;        // (H)
    private final float[] out1T;    // (H, H): out1.weight transposed
    private final float[] out1Bias; // (H)
    private final float[] out2T;    // (H, H): out2.weight transposed
    private final float[] out2Bias; // (H)

    public LruMixer(ModelConfig config, Weights weights, String prefix) {
        this.channels = config.dModel();
        this.states = config.dState();
        this.timeAware = config.timeAware();
        float[] nuLog = weights.take(prefix + "nu_log", states);
        float[] thetaLog = weights.take(prefix + "theta_log", states);
        float[] gammaLog = weights.take(prefix + "gamma_log", states);
        float[] bRe = weights.take(prefix + "B_re", states, channels);
        float[] bIm = weights.take(prefix + "B_im", states, channels);
        float[] cRe = weights.take(prefix + "C_re", channels, states);
        float[] cIm = weights.take(prefix + "C_im", channels, states);
        this.d = weights.take(prefix + "D", channels);
        this.out1T = weights.takeTransposed(prefix + "out1.weight", channels, channels, channels, channels);
        this.out1Bias = weights.take(prefix + "out1.bias", channels);
        this.out2T = weights.takeTransposed(prefix + "out2.weight", channels, channels, channels, channels);
        this.out2Bias = weights.take(prefix + "out2.bias", channels);

        this.nu = new double[states];
        this.theta = new double[states];
        this.gamma = new float[states];
        this.lambda1 = new float[2 * states];
        this.f1 = new float[2 * states];
        for (int n = 0; n < states; n++) {
            nu[n] = Math.exp(nuLog[n]);
            theta[n] = Math.exp(thetaLog[n]);
            gamma[n] = (float) Math.exp(gammaLog[n]);
            double magnitude = Math.exp(-nu[n]);
            lambda1[n] = (float) (magnitude * Math.cos(theta[n]));
            lambda1[states + n] = (float) (magnitude * Math.sin(theta[n]));
            f1[n] = gamma[n];
        }
        float[] bStack = new float[2 * states * channels]; // (2N, H)
        System.arraycopy(bRe, 0, bStack, 0, states * channels);
        System.arraycopy(bIm, 0, bStack, states * channels, states * channels);
        this.bT = Weights.transpose(bStack, 2 * states, channels);
        float[] cStack = new float[channels * 2 * states]; // (H, 2N)
        for (int h = 0; h < channels; h++) {
            for (int n = 0; n < states; n++) {
                cStack[h * 2 * states + n] = cRe[h * states + n];
                cStack[h * 2 * states + states + n] = -cIm[h * states + n];
            }
        }
        this.cT = Weights.transpose(cStack, channels, 2 * states);
    }

    @Override
    public int stateSize() {
        return 2 * states;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return new LruStepper(ops);
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return new LruBatchStepper(ops, maxBatch);
    }

    /** λ^τ and γ (λ^τ - 1)/(λ - 1) in double precision, into complex (N) arrays. */
    private void discretize(float tau, float[] lambdaTau, float[] fTau) {
        for (int n = 0; n < states; n++) {
            double magnitude = Math.exp(-tau * nu[n]);
            double lRe = magnitude * Math.cos(tau * theta[n]);
            double lIm = magnitude * Math.sin(tau * theta[n]);
            double one = Math.exp(-nu[n]);
            double denRe = one * Math.cos(theta[n]) - 1;
            double denIm = one * Math.sin(theta[n]);
            double numRe = lRe - 1;
            double numIm = lIm;
            double norm = denRe * denRe + denIm * denIm;
            double ratioRe = (numRe * denRe + numIm * denIm) / norm;
            double ratioIm = (numIm * denRe - numRe * denIm) / norm;
            lambdaTau[n] = (float) lRe;
            lambdaTau[states + n] = (float) lIm;
            fTau[n] = (float) (gamma[n] * ratioRe);
            fTau[states + n] = (float) (gamma[n] * ratioIm);
        }
    }

    /** λ^τ and f for one τ: the τ = 1 ones, or those of the last other τ asked for (kept for the next). */
    private final class Coefficients implements DiagonalRecurrenceBatch.Coefficients {
        private final float[] lambdaTau = new float[2 * states]; // complex (N): λ^τ for cachedTau
        private final float[] fTau = new float[2 * states];      // complex (N): input factor for cachedTau
        private float cachedTau = Float.NaN;
        private float[] lambda;
        private float[] f;

        @Override
        public void at(float tau) {
            lambda = lambda1;
            f = f1;
            if (timeAware && tau != 1f) {
                if (Float.compare(tau, cachedTau) != 0) {
                    discretize(tau, lambdaTau, fTau);
                    cachedTau = tau;
                }
                lambda = lambdaTau;
                f = fTau;
            }
        }

        @Override
        public float[] lambda() {
            return lambda;
        }

        @Override
        public float[] factor() {
            return f;
        }
    }

    private final class LruStepper implements Stepper {
        private final KernelOps ops;
        private final Coefficients coefficients = new Coefficients();
        private final float[] bu = new float[2 * states];        // complex (N): B u
        private final float[] y = new float[channels];           // (H)
        private final float[] o1 = new float[channels];          // (H)
        private final float[] o2 = new float[channels];          // (H)

        LruStepper(KernelOps ops) {
            this.ops = ops;
        }

        @Override
        public void step(float[] in, float[] state, int stateOff, float tau, float[] out) {
            coefficients.at(tau);
            ops.matVec(bT, 2 * states, channels, in, 0, null, bu, 0);
            ops.complexDiagonalUpdate(state, stateOff, coefficients.lambda, coefficients.f, bu, states);
            ops.matVec(cT, channels, 2 * states, state, stateOff, null, y, 0);
            ops.addProduct(y, d, in, channels);
            ops.gelu(y, channels);
            ops.matVec(out1T, channels, channels, y, 0, out1Bias, o1, 0);
            ops.matVec(out2T, channels, channels, y, 0, out2Bias, o2, 0);
            ops.mulSigmoid(o1, 0, o2, 0, out, channels);
        }
    }

    /** {@link LruStepper}'s step for several streams: B, C, W1 and W2 as batched products. */
    private final class LruBatchStepper implements BatchStepper {
        private final KernelOps ops;
        private final Coefficients coefficients = new Coefficients();
        private final DiagonalRecurrenceBatch recurrence;
        private final float[] o1s; // (maxBatch, H): W1 y + b1 of each stream
        private final float[] o2s; // (maxBatch, H): W2 y + b2 of each stream
        private final float[] glu = new float[channels]; // (H): one stream's output

        LruBatchStepper(KernelOps ops, int maxBatch) {
            this.ops = ops;
            Mixer.checkBatch(maxBatch);
            this.recurrence = new DiagonalRecurrenceBatch(ops, maxBatch, channels, states, bT, cT, d);
            this.o1s = new float[maxBatch * channels];
            this.o2s = new float[maxBatch * channels];
        }

        @Override
        public void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out) {
            recurrence.step(batch, in, states, stateOff, taus, coefficients);
            ops.matMat(out1T, channels, channels, recurrence.ys, channels, batch, out1Bias, o1s);
            ops.matMat(out2T, channels, channels, recurrence.ys, channels, batch, out2Bias, o2s);
            for (int b = 0; b < batch; b++) {
                ops.mulSigmoid(o1s, b * channels, o2s, b * channels, glu, channels);
                System.arraycopy(glu, 0, out, b * channels, channels);
            }
        }
    }
}
