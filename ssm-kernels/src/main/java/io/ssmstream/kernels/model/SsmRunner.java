package io.ssmstream.kernels.model;

import io.ssmstream.kernels.mixer.Mixer;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * Runs a model's forward pass for one event of one stream at a time (see {@link SsmModel} for the equations).
 * Holds the per-thread working memory: create one per thread (per Flink subtask, per replay), then call
 * {@link #step} for events of any number of streams, each with its own {@link StreamState}. Allocates nothing
 * per event.
 */
public final class SsmRunner {
    private final SsmModel model;
    private final KernelOps ops;
    private final Mixer.Stepper[] steppers;
    private final HorizonHead.Stepper horizonStepper; // null without a horizon head
    private final int dInput;
    private final int dModel;
    private final float[] inputMean; // (d_input)
    private final float[] inputStd;  // (d_input)
    private final float[] u;         // (d_input): normalised values
    private final float[] h;         // (d_model): residual stream
    private final float[] normed;    // (d_model): rmsnorm(h) ∘ weight
    private final float[] mixed;     // (d_model): mixer output
    private final float[] o;         // (2*d_input): [mean, logvar] in normalised units

    public SsmRunner(SsmModel model, KernelOps ops) {
        this.model = model;
        this.ops = ops;
        ModelConfig c = model.config();
        this.dInput = c.dInput();
        this.dModel = c.dModel();
        this.inputMean = c.inputMean();
        this.inputStd = c.inputStd();
        this.steppers = new Mixer.Stepper[c.nLayers()];
        for (int i = 0; i < steppers.length; i++) {
            steppers[i] = model.mixers[i].newStepper(ops);
        }
        this.horizonStepper = model.horizonHead == null ? null : model.horizonHead.newStepper();
        this.u = new float[dInput];
        this.h = new float[dModel];
        this.normed = new float[dModel];
        this.mixed = new float[dModel];
        this.o = new float[2 * dInput];
    }

    public SsmModel model() {
        return model;
    }

    public KernelOps ops() {
        return ops;
    }

    /**
     * Applies one event to {@code state} and writes the forecast of the stream's next event.
     *
     * @param values       the event's raw values, (d_input), finite
     * @param tau          the time gap to the stream's previous event in steps ({@link TimeGap#tau}); 1 for
     *                     the first event
     * @param forecastMean receives the forecast mean of the next event, (d_input), raw units
     * @param forecastStd  receives its standard deviation, (d_input), raw units
     */
    public void step(StreamState state, float[] values, float tau, float[] forecastMean, float[] forecastStd) {
        for (int k = 0; k < dInput; k++) {
            u[k] = (values[k] - inputMean[k]) / inputStd[k];
        }
        ops.matVec(model.encoderT, dModel, dInput, u, 0, model.encoderBias, h, 0);
        for (int i = 0; i < steppers.length; i++) {
            rmsNorm(h, model.norms[i], normed);
            steppers[i].step(normed, state.floats(), state.offset(i), tau, mixed);
            for (int j = 0; j < dModel; j++) {
                h[j] += mixed[j];
            }
        }
        rmsNorm(h, model.normF, normed);
        if (horizonStepper != null) {
            horizonStepper.step(state.floats(), state.offset(steppers.length), u, 0, normed, 0,
                    model.config().timeAware() ? tau : 1f, state.events() == 0);
        }
        ops.matVec(model.headT, 2 * dInput, dModel, normed, 0, model.headBias, o, 0);
        for (int k = 0; k < dInput; k++) {
            forecastMean[k] = o[k] * inputStd[k] + inputMean[k];
            forecastStd[k] = (float) Math.exp(0.5 * o[dInput + k]) * inputStd[k];
        }
        state.countEvent();
    }

    /**
     * The direct head's forecasts of the stream's next H events from its state after its latest event
     * ({@link HorizonHead}); the state is read, never changed.
     *
     * @param out receives them, (H, d_input) row-major, raw units; may be longer
     * @throws IllegalStateException    when the model has no horizon head
     * @throws IllegalArgumentException when {@code out} is too short or the state was made for another model
     */
    public void forecastHorizon(StreamState state, float[] out) {
        HorizonHead head = model.horizonHead;
        if (head == null) {
            throw new IllegalStateException("the model has no horizon head (config \"horizon\" is 0)");
        }
        if (out.length < head.horizon() * dInput) {
            throw new IllegalArgumentException("out has " + out.length + " floats, need horizon × d_input = "
                    + head.horizon() * dInput);
        }
        if (!state.fits(model)) {
            throw new IllegalArgumentException("the stream's state was made for another model");
        }
        int off = state.offset(steppers.length);
        head.offsets(ops, state.floats(), off, out);
        int uLast = off + head.uLastOffset();
        float[] floats = state.floats();
        for (int j = 0; j < head.horizon(); j++) {
            for (int k = 0; k < dInput; k++) {
                int i = j * dInput + k;
                out[i] = (floats[uLast + k] + out[i]) * inputStd[k] + inputMean[k];
            }
        }
    }

    /** out = x / sqrt(mean(x²) + eps) ∘ weight. */
    private void rmsNorm(float[] x, float[] weight, float[] out) {
        float scale = (float) (1.0 / Math.sqrt(ops.sumOfSquares(x, 0, dModel) / dModel + SsmModel.RMS_NORM_EPS));
        for (int j = 0; j < dModel; j++) {
            out[j] = x[j] * scale * weight[j];
        }
    }
}
