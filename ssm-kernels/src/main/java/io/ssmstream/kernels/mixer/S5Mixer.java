package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * S5, the simplified state space layer, one recurrent step (Smith, Warrington and Linderman 2023, "Simplified
 * State Space Layers for Sequence Modeling"; lindermanlab/S5 {@code ssm.py} {@code S5SSM} with
 * {@code conj_sym}, {@code clip_eigs}, zero-order hold, and the {@code half_glu1} activation of its
 * {@code SequenceLayer}).
 *
 * <p>Glossary: H = d_model (all channels share one MIMO state), P = d_state (complex states, the half of each
 * conjugate pair that is kept), Λ = min(Lambda_re, {@value #MAX_LAMBDA_REAL}) + i·Lambda_im the diagonal state
 * matrix, Δ = exp(log_step) one step size per state, B̃ = B[..., 0] + i·B[..., 1] (P, H),
 * C̃ = C[..., 0] + i·C[..., 1] (H, P), D (H), τ = the event's time gap in steps (S5's {@code step_rescale},
 * which is how the paper handles irregular sampling; 1 unless time_aware).
 *
 * <pre>
 *   Λ̄   = exp(Λ Δ τ)                     B̄ = ((Λ̄ - 1) / Λ) ∘ B̃         (zero-order hold)
 *   x   = Λ̄ ∘ x + B̄ u
 *   y   = 2 Re(C̃ x) + D ∘ u              (conjugate symmetry: the dropped halves add the conjugate)
 *   g   = gelu(y),  out = g ∘ σ(W2 g + b2)  (exact erf GELU)
 * </pre>
 * Re Λ is clipped below zero as {@code clip_eigs} does, which the S5 authors recommend for unbounded
 * sequences: a stream never ends, and |Λ̄| &lt; 1 keeps its state bounded whatever training did.
 *
 * <p>State layout (floats): x complex (P): the P real parts, then the P imaginary parts; zeros for a new
 * stream. Λ̄ and (Λ̄ - 1)/Λ are computed in double precision, with expm1 so that small Δτ stays exact, once for
 * τ = 1 and cached for the next event with the same τ otherwise.
 */
public final class S5Mixer implements Mixer {
    /** clip_eigs' bound on Re Λ. */
    public static final double MAX_LAMBDA_REAL = -1e-4;

    private final int channels;
    private final int states;
    private final boolean timeAware;
    private final double[] deltaLambdaRe; // (P): Δ Re Λ
    private final double[] deltaLambdaIm; // (P): Δ Im Λ
    private final double[] lambdaRe;      // (P): Re Λ
    private final double[] lambdaIm;      // (P): Im Λ
    private final float[] lambdaBar1;     // complex (P): Λ̄ for τ = 1
    private final float[] inputFactor1;   // complex (P): (Λ̄ - 1) / Λ for τ = 1
    private final float[] bT;             // (H, 2P): [Re B̃; Im B̃] transposed
    private final float[] cT;             // (2P, H): [2 Re C̃, -2 Im C̃] transposed, so that 2 Re(C̃ x) is one product
    private final float[] d;              // (H)
    private final float[] out2T;          // (H, H): out2.weight transposed
    private final float[] out2Bias;       // (H)

    public S5Mixer(ModelConfig config, Weights weights, String prefix) {
        this.channels = config.dModel();
        this.states = config.dState();
        this.timeAware = config.timeAware();
        float[] lambdaReRaw = weights.take(prefix + "Lambda_re", states);
        float[] lambdaImRaw = weights.take(prefix + "Lambda_im", states);
        float[] logStep = weights.take(prefix + "log_step", states, 1);
        float[] b = weights.take(prefix + "B", states, channels, 2);
        float[] c = weights.take(prefix + "C", channels, states, 2);
        this.d = weights.take(prefix + "D", channels);
        this.out2T = weights.takeTransposed(prefix + "out2.weight", channels, channels, channels, channels);
        this.out2Bias = weights.take(prefix + "out2.bias", channels);

        this.lambdaRe = new double[states];
        this.lambdaIm = new double[states];
        this.deltaLambdaRe = new double[states];
        this.deltaLambdaIm = new double[states];
        for (int p = 0; p < states; p++) {
            double delta = Math.exp(logStep[p]);
            lambdaRe[p] = Math.min(lambdaReRaw[p], MAX_LAMBDA_REAL);
            lambdaIm[p] = lambdaImRaw[p];
            deltaLambdaRe[p] = delta * lambdaRe[p];
            deltaLambdaIm[p] = delta * lambdaIm[p];
        }
        this.lambdaBar1 = new float[2 * states];
        this.inputFactor1 = new float[2 * states];
        discretize(1f, lambdaBar1, inputFactor1);

        float[] bStack = new float[2 * states * channels]; // (2P, H)
        float[] cStack = new float[channels * 2 * states]; // (H, 2P)
        for (int p = 0; p < states; p++) {
            for (int h = 0; h < channels; h++) {
                bStack[p * channels + h] = b[(p * channels + h) * 2];
                bStack[(states + p) * channels + h] = b[(p * channels + h) * 2 + 1];
                cStack[h * 2 * states + p] = 2 * c[(h * states + p) * 2];
                cStack[h * 2 * states + states + p] = -2 * c[(h * states + p) * 2 + 1];
            }
        }
        this.bT = Weights.transpose(bStack, 2 * states, channels);
        this.cT = Weights.transpose(cStack, channels, 2 * states);
    }

    @Override
    public int stateSize() {
        return 2 * states;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return new S5Stepper(ops);
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return new S5BatchStepper(ops, maxBatch);
    }

    /** Λ̄ = exp(ΛΔτ) and (Λ̄ - 1)/Λ, in double precision, into complex (P) arrays. */
    private void discretize(float tau, float[] lambdaBar, float[] inputFactor) {
        for (int p = 0; p < states; p++) {
            double zRe = deltaLambdaRe[p] * tau;
            double zIm = deltaLambdaIm[p] * tau;
            double magnitude = Math.exp(zRe);
            double sinHalf = Math.sin(zIm / 2);
            double expm1Re = Math.expm1(zRe) * Math.cos(zIm) - 2 * sinHalf * sinHalf; // Re(Λ̄ - 1)
            double expm1Im = magnitude * Math.sin(zIm);                                // Im(Λ̄ - 1)
            double norm = lambdaRe[p] * lambdaRe[p] + lambdaIm[p] * lambdaIm[p];
            lambdaBar[p] = (float) (magnitude * Math.cos(zIm));
            lambdaBar[states + p] = (float) expm1Im;
            inputFactor[p] = (float) ((expm1Re * lambdaRe[p] + expm1Im * lambdaIm[p]) / norm);
            inputFactor[states + p] = (float) ((expm1Im * lambdaRe[p] - expm1Re * lambdaIm[p]) / norm);
        }
    }

    /** Λ̄ and (Λ̄ - 1)/Λ for one τ: the τ = 1 ones, or those of the last other τ asked for (kept for the next). */
    private final class Coefficients implements DiagonalRecurrenceBatch.Coefficients {
        private final float[] lambdaBarTau = new float[2 * states]; // complex (P): Λ̄ for cachedTau
        private final float[] factorTau = new float[2 * states];    // complex (P): (Λ̄ - 1)/Λ for cachedTau
        private float cachedTau = Float.NaN;
        private float[] lambdaBar;
        private float[] factor;

        @Override
        public void at(float tau) {
            lambdaBar = lambdaBar1;
            factor = inputFactor1;
            if (timeAware && tau != 1f) {
                if (Float.compare(tau, cachedTau) != 0) {
                    discretize(tau, lambdaBarTau, factorTau);
                    cachedTau = tau;
                }
                lambdaBar = lambdaBarTau;
                factor = factorTau;
            }
        }

        @Override
        public float[] lambda() {
            return lambdaBar;
        }

        @Override
        public float[] factor() {
            return factor;
        }
    }

    private final class S5Stepper implements Stepper {
        private final KernelOps ops;
        private final Coefficients coefficients = new Coefficients();
        private final float[] bu = new float[2 * states];          // complex (P): B̃ u
        private final float[] y = new float[channels];             // (H)
        private final float[] gate = new float[channels];          // (H): W2 g + b2

        S5Stepper(KernelOps ops) {
            this.ops = ops;
        }

        @Override
        public void step(float[] in, float[] state, int stateOff, float tau, float[] out) {
            coefficients.at(tau);
            ops.matVec(bT, 2 * states, channels, in, 0, null, bu, 0);
            ops.complexDiagonalUpdate(state, stateOff, coefficients.lambdaBar, coefficients.factor, bu, states);
            ops.matVec(cT, channels, 2 * states, state, stateOff, null, y, 0);
            ops.addProduct(y, d, in, channels);
            ops.gelu(y, channels);
            ops.matVec(out2T, channels, channels, y, 0, out2Bias, gate, 0);
            ops.mulSigmoid(y, 0, gate, 0, out, channels);
        }
    }

    /** {@link S5Stepper}'s step for several streams: B̃, C̃ and W2 as batched products. */
    private final class S5BatchStepper implements BatchStepper {
        private final KernelOps ops;
        private final Coefficients coefficients = new Coefficients();
        private final DiagonalRecurrenceBatch recurrence;
        private final float[] gates; // (maxBatch, H): W2 g + b2 of each stream
        private final float[] glu = new float[channels]; // (H): one stream's output

        S5BatchStepper(KernelOps ops, int maxBatch) {
            this.ops = ops;
            Mixer.checkBatch(maxBatch);
            this.recurrence = new DiagonalRecurrenceBatch(ops, maxBatch, channels, states, bT, cT, d);
            this.gates = new float[maxBatch * channels];
        }

        @Override
        public void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out) {
            recurrence.step(batch, in, states, stateOff, taus, coefficients);
            ops.matMat(out2T, channels, channels, recurrence.ys, channels, batch, out2Bias, gates);
            for (int b = 0; b < batch; b++) {
                ops.mulSigmoid(recurrence.ys, b * channels, gates, b * channels, glu, channels);
                System.arraycopy(glu, 0, out, b * channels, channels);
            }
        }
    }
}
