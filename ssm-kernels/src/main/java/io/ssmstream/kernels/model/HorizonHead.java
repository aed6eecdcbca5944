package io.ssmstream.kernels.model;

import io.ssmstream.kernels.mixer.Weights;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * The optional direct multi-horizon head: the forecasts of a stream's next H events, every channel, at once and
 * from the stream's state alone (no rollout). It keeps its own linear, diagonal, continuous-time SSM over the
 * changes of the normalised input (fixed poles, as S4D's with Λ frozen) and reads it out, with the network's
 * last features, through one linear map (fitted by least squares in the trainer's {@code HorizonFit}):
 * <pre>
 *   Δu_t      = u_t − u_{t−1}                       (0 at a stream's first event)
 *   λ_p(τ)    = exp(τ · (−1/T_p + i ω_p))           zero-order hold of a_p = −1/T_p + i ω_p over the gap τ
 *   s_{k,p}   ← λ_p(τ) · s_{k,p} + Δu_{t,k}          channel k, mode p
 *   φ_t       = [Re s, Im s, z_t]                   z_t = rmsnorm(h) ∘ norm_f.weight, the input of the one-step head
 *   û_{t+j,k} = u_{t,k} + (W φ_t + b)_{j,k}          j = 1..H
 *   forecast  = û · input_std + input_mean
 * </pre>
 * Why changes and an anchor on u_t: a level the series never had in training (a drifting sensor, ETT's colder
 * test months) leaves the head's own SSM as it is and moves the forecast with its anchor. τ is the gap in steps for time-aware models and 1 otherwise; the head forecasts the next H
 * events as the training series was sampled.
 *
 * <p>Glossary (tensor, symbol): H = config {@code horizon}, P = config {@code horizon_modes},
 * {@code horizon.log_timescale} log T_p (T in steps), {@code horizon.frequency} ω_p (radians per step),
 * {@code horizon.weight} W (H·d_input, F), {@code horizon.bias} b (H·d_input), F = 2·d_input·P + d_model.
 *
 * <p>State: one segment after the layers' in a {@link StreamState}, {@link #stateSize()} floats:
 * <pre>
 *   re    (d_input, P)   Re s
 *   im    (d_input, P)   Im s
 *   z     (d_model)      the latest z_t
 *   uLast (d_input)      the latest normalised input u_t
 * </pre>
 * so that its first F floats are φ_t.
 */
public final class HorizonHead {
    private final int horizon;
    private final int modes;
    private final int dInput;
    private final int dModel;
    private final float[] logTimescale; // (P): log T_p
    private final float[] frequency;    // (P): ω_p
    private final float[] weightT;      // (F, H·d_input): horizon.weight transposed
    private final float[] bias;         // (H·d_input)

    HorizonHead(ModelConfig config, Weights w) {
        this.horizon = config.horizon();
        this.modes = config.horizonModes();
        this.dInput = config.dInput();
        this.dModel = config.dModel();
        this.logTimescale = w.take("horizon.log_timescale", modes);
        this.frequency = w.take("horizon.frequency", modes);
        int outputs = horizon * dInput;
        int features = featureCount();
        this.weightT = w.takeTransposed("horizon.weight", outputs, features, outputs, features);
        this.bias = w.take("horizon.bias", outputs);
    }

    public int horizon() {
        return horizon;
    }

    /** F, the length of φ. */
    public int featureCount() {
        return 2 * dInput * modes + dModel;
    }

    public int stateSize() {
        return featureCount() + dInput;
    }

    /** Where u_t lies within the head's state segment. */
    int uLastOffset() {
        return featureCount();
    }

    Stepper newStepper() {
        return new Stepper();
    }

    /** Advances the head's SSM; one per thread, as it caches λ(τ) for the latest τ. */
    final class Stepper {
        private final float[] lambdaRe = new float[modes]; // (P): Re λ_p(τ)
        private final float[] lambdaIm = new float[modes]; // (P): Im λ_p(τ)
        private float cachedTau = Float.NaN;

        /**
         * @param state  the stream's floats, the head's segment from {@code off}
         * @param u      the event's normalised input, (d_input) from {@code uOff}
         * @param z      the network's last features, (d_model) from {@code zOff}
         * @param first  whether this is the stream's first event (no Δu yet)
         */
        void step(float[] state, int off, float[] u, int uOff, float[] z, int zOff, float tau, boolean first) {
            if (tau != cachedTau) {
                for (int p = 0; p < modes; p++) {
                    double decay = Math.exp(-tau / Math.exp(logTimescale[p]));
                    double angle = tau * frequency[p];
                    lambdaRe[p] = (float) (decay * Math.cos(angle));
                    lambdaIm[p] = (float) (decay * Math.sin(angle));
                }
                cachedTau = tau;
            }
            int re = off;
            int im = off + dInput * modes;
            int uLast = off + uLastOffset();
            for (int k = 0; k < dInput; k++) {
                float deltaU = first ? 0f : u[uOff + k] - state[uLast + k];
                for (int p = 0; p < modes; p++) {
                    int i = k * modes + p;
                    float sRe = state[re + i];
                    float sIm = state[im + i];
                    state[re + i] = lambdaRe[p] * sRe - lambdaIm[p] * sIm + deltaU;
                    state[im + i] = lambdaRe[p] * sIm + lambdaIm[p] * sRe;
                }
                state[uLast + k] = u[uOff + k];
            }
            System.arraycopy(z, zOff, state, off + 2 * dInput * modes, dModel);
        }
    }

    /**
     * û − u_t in normalised units: {@code out[j·d_input + k]} for step j+1 and channel k, (H, d_input).
     *
     * @param state the stream's floats, the head's segment from {@code off}
     */
    void offsets(KernelOps ops, float[] state, int off, float[] out) {
        ops.matVec(weightT, horizon * dInput, featureCount(), state, off, bias, out, 0);
    }
}
