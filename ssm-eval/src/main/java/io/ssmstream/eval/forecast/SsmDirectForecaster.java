package io.ssmstream.eval.forecast;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.trainer.EventSeries;

/**
 * Our model with a direct head ({@code HorizonHead}) as a stream sees it: one state advanced event by event
 * with the streaming job's {@link StreamForecaster} from the series' first row, and at each asked row the
 * head's forecasts of the next H rows read from that state ({@link SsmRunner#forecastHorizon}), which stays as
 * it was.
 */
final class SsmDirectForecaster implements MultiStepForecaster {
    private final EventSeries series;
    private final int target;
    private final StreamForecaster forecaster;
    private final SsmRunner head;
    private final ForecasterState state;
    private final float[] event;    // (d_input)
    private final float[] forecast; // (H, d_input)
    private int applied;            // rows stepped so far

    /** @param series the normalised model inputs, as the model was trained on them */
    SsmDirectForecaster(SsmModel model, KernelOps ops, EventSeries series, int target) {
        if (!model.config().hasHorizonHead()) {
            throw new IllegalArgumentException("the model has no direct head");
        }
        this.series = series;
        this.target = target;
        this.forecaster = new StreamForecaster(model, ops, new GaussianTailScorer());
        this.head = new SsmRunner(model, ops);
        this.state = forecaster.newState();
        this.event = new float[series.channels()];
        this.forecast = new float[model.config().horizon() * series.channels()];
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
        if (horizon * d > forecast.length) {
            throw new IllegalArgumentException("the head forecasts " + forecast.length / d + " rows, asked for "
                    + horizon);
        }
        while (applied <= t) {
            System.arraycopy(series.values(), applied * d, event, 0, d);
            forecaster.step(state, series.micros()[applied], event);
            applied++;
        }
        head.forecastHorizon(state.ssm(), forecast);
        for (int s = 0; s < horizon; s++) {
            out[s] = forecast[s * d + target];
        }
    }
}
