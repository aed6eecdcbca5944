package io.ssmstream.kernels.model;

import io.ssmstream.kernels.mixer.Mixer;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * {@link SsmRunner#step} for several streams at once: one event of each of up to {@code maxBatch} streams in
 * one pass over the model's weights. Every weight product (encoder, the mixers' projections, head) is a
 * {@link KernelOps#matMat} over the streams, which reads each weight once for the batch instead of once per
 * stream; the rest (normalisation, the recurrences) is per stream. Each stream's forecast and new state are
 * exactly (same floats) those of {@link SsmRunner#step} with the same {@link KernelOps}.
 *
 * <p>One per thread, like {@link SsmRunner}; allocates nothing per call.
 */
public final class SsmBatchRunner {
    private final SsmModel model;
    private final KernelOps ops;
    private final int maxBatch;
    private final Mixer.BatchStepper[] steppers;
    private final HorizonHead.Stepper horizonStepper; // null without a horizon head
    private final int dInput;
    private final int dModel;
    private final float[] inputMean; // (d_input)
    private final float[] inputStd;  // (d_input)
    private final float[][] floats;  // (maxBatch): the states' arrays of the current call
    private final float[] u;         // (maxBatch, d_input): normalised values
    private final float[] h;         // (maxBatch, d_model): residual streams
    private final float[] normed;    // (maxBatch, d_model): rmsnorm(h) ∘ weight
    private final float[] mixed;     // (maxBatch, d_model): mixer outputs
    private final float[] o;         // (maxBatch, 2*d_input): [mean, logvar] in normalised units

    /**
     * @param maxBatch the most streams one {@link #step} takes, at least 1
     * @throws IllegalArgumentException when maxBatch is not positive
     */
    public SsmBatchRunner(SsmModel model, KernelOps ops, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
        }
        this.model = model;
        this.ops = ops;
        this.maxBatch = maxBatch;
        ModelConfig c = model.config();
        this.dInput = c.dInput();
        this.dModel = c.dModel();
        this.inputMean = c.inputMean();
        this.inputStd = c.inputStd();
        this.steppers = new Mixer.BatchStepper[c.nLayers()];
        for (int i = 0; i < steppers.length; i++) {
            steppers[i] = model.mixers[i].newBatchStepper(ops, maxBatch);
        }
        this.horizonStepper = model.horizonHead == null ? null : model.horizonHead.newStepper();
        this.floats = new float[maxBatch][];
        this.u = new float[maxBatch * dInput];
        this.h = new float[maxBatch * dModel];
        this.normed = new float[maxBatch * dModel];
        this.mixed = new float[maxBatch * dModel];
        this.o = new float[maxBatch * 2 * dInput];
    }

    /**
     * Applies one event to each of {@code states[0..batch)} and writes each stream's forecast of its next event.
     * The states must be distinct streams' (one state twice would be stepped from the same old state twice).
     *
     * @param values        the events' raw values, (batch, d_input) row-major, finite
     * @param taus          each event's time gap ({@link TimeGap#tau}), (batch); 1 for a stream's first event
     * @param forecastMeans receives each stream's forecast mean, (batch, d_input) row-major, raw units
     * @param forecastStds  receives each stream's forecast standard deviation, likewise
     * @throws IllegalArgumentException when batch is not in [1, maxBatch]
     */
    public void step(int batch, StreamState[] states, float[] values, float[] taus, float[] forecastMeans,
                     float[] forecastStds) {
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch must be in [1, " + maxBatch + "], got " + batch);
        }
        for (int b = 0; b < batch; b++) {
            floats[b] = states[b].floats();
            for (int k = 0; k < dInput; k++) {
                int i = b * dInput + k;
                u[i] = (values[i] - inputMean[k]) / inputStd[k];
            }
        }
        ops.matMat(model.encoderT, dModel, dInput, u, dInput, batch, model.encoderBias, h);
        StreamState first = states[0];
        for (int layer = 0; layer < steppers.length; layer++) {
            for (int b = 0; b < batch; b++) {
                rmsNorm(h, b * dModel, model.norms[layer], normed);
            }
            steppers[layer].step(batch, normed, floats, first.offset(layer), taus, mixed);
            for (int j = 0; j < batch * dModel; j++) {
                h[j] += mixed[j];
            }
        }
        for (int b = 0; b < batch; b++) {
            rmsNorm(h, b * dModel, model.normF, normed);
            if (horizonStepper != null) {
                horizonStepper.step(floats[b], first.offset(steppers.length), u, b * dInput, normed, b * dModel,
                        model.config().timeAware() ? taus[b] : 1f, states[b].events() == 0);
            }
        }
        ops.matMat(model.headT, 2 * dInput, dModel, normed, dModel, batch, model.headBias, o);
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < dInput; k++) {
                int i = b * dInput + k;
                int m = b * 2 * dInput + k;
                forecastMeans[i] = o[m] * inputStd[k] + inputMean[k];
                forecastStds[i] = (float) Math.exp(0.5 * o[m + dInput]) * inputStd[k];
            }
            states[b].countEvent();
            floats[b] = null;
        }
    }

    /** {@code normed} from {@code off} = x / sqrt(mean(x²) + eps) ∘ weight for x the d_model floats of h there. */
    private void rmsNorm(float[] x, int off, float[] weight, float[] out) {
        float scale = (float) (1.0 / Math.sqrt(ops.sumOfSquares(x, off, dModel) / dModel + SsmModel.RMS_NORM_EPS));
        for (int j = 0; j < dModel; j++) {
            out[off + j] = x[off + j] * scale * weight[j];
        }
    }
}
