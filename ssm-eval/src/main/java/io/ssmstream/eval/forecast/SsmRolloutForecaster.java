package io.ssmstream.eval.forecast;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.stream.ForecastRollout;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.trainer.EventSeries;

/**
 * Our model as a stream sees it: one state advanced event by event with the streaming job's
 * {@link StreamForecaster}, from the series' first row (so the state at a test row has seen all history, as a
 * deployed stream's would), and at each asked row a {@link ForecastRollout} from that state, which stays as it
 * was. A model of first differences ({@link ForecastData#differences}) is read back into levels by summing its
 * forecast differences onto the latest level: ŷ_{t+s} = y_t + Σ_{j=1..s} Δŷ_{t+j}.
 */
final class SsmRolloutForecaster implements MultiStepForecaster {
    private final EventSeries series;
    private final double[] levels;  // the normalised target when the model reads differences, else null
    private final int target;
    private final StreamForecaster forecaster;
    private final ForecastRollout rollout;
    private final ForecasterState state;
    private final float tau;        // τ of one sampling interval
    private final float[] event;    // (d_input)
    private final float[] rolled;   // (H_max, d_input)
    private int applied;            // rows stepped so far

    /**
     * @param series         the normalised model inputs, as the model was trained on them
     * @param levels         the normalised target when {@code series} holds differences, else null
     * @param target         the target's channel
     * @param samplingMicros the gap assumed between future rows
     */
    SsmRolloutForecaster(SsmModel model, KernelOps ops, EventSeries series, double[] levels, int target,
                         long samplingMicros, int maxHorizon) {
        this.series = series;
        this.levels = levels;
        this.target = target;
        this.forecaster = new StreamForecaster(model, ops, new GaussianTailScorer());
        this.rollout = new ForecastRollout(model, ops);
        this.state = forecaster.newState();
        this.tau = TimeGap.tau(0, samplingMicros, model.config().dtUnitMs());
        this.event = new float[series.channels()];
        this.rolled = new float[maxHorizon * series.channels()];
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        if (t + 1 < applied) {
            throw new IllegalArgumentException("row " + t + " is behind the stream, which has seen " + applied);
        }
        int d = series.channels();
        while (applied <= t) {
            System.arraycopy(series.values(), applied * d, event, 0, d);
            forecaster.step(state, series.micros()[applied], event);
            applied++;
        }
        rollout.forecast(state, tau, horizon, rolled);
        double level = levels == null ? 0 : levels[t];
        for (int s = 0; s < horizon; s++) {
            out[s] = levels == null ? rolled[s * d + target] : (level += rolled[s * d + target]);
        }
    }
}
