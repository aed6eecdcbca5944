package io.ssmstream.eval.forecast;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.stream.ForecastRollout;
import io.ssmstream.trainer.EventSeries;

/**
 * Our model as a stream sees it ({@link StreamedSeries}), and at each asked row a {@link ForecastRollout} from
 * the stream's state, which stays as it was. A model of first differences ({@link ForecastData#differences}) is
 * read back into levels by summing its forecast differences onto the latest level:
 * ŷ_{t+s} = y_t + Σ_{j=1..s} Δŷ_{t+j}.
 */
final class SsmRolloutForecaster implements MultiStepForecaster {
    private final StreamedSeries stream;
    private final double[] levels;  // the normalised target when the model reads differences, else null
    private final int target;
    private final ForecastRollout rollout;
    private final float tau;        // τ of one sampling interval
    private final float[] rolled;   // (H_max, d_input)

    /**
     * @param series         the normalised model inputs, as the model was trained on them
     * @param levels         the normalised target when {@code series} holds differences, else null
     * @param target         the target's channel
     * @param samplingMicros the gap assumed between future rows
     */
    SsmRolloutForecaster(SsmModel model, KernelOps ops, EventSeries series, double[] levels, int target,
                         long samplingMicros, int maxHorizon) {
        this.stream = new StreamedSeries(model, ops, series);
        this.levels = levels;
        this.target = target;
        this.rollout = new ForecastRollout(model, ops);
        this.tau = TimeGap.tau(0, samplingMicros, model.config().dtUnitMs());
        this.rolled = new float[maxHorizon * series.channels()];
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        int d = stream.channels();
        rollout.forecast(stream.after(t), tau, horizon, rolled);
        double level = levels == null ? 0 : levels[t];
        for (int s = 0; s < horizon; s++) {
            out[s] = levels == null ? rolled[s * d + target] : (level += rolled[s * d + target]);
        }
    }
}
