package io.ssmstream.eval.forecast;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.trainer.EventSeries;

/**
 * Our model with a direct head ({@code HorizonHead}) as a stream sees it ({@link StreamedSeries}), and at each
 * asked row the head's forecasts of the next H rows read from the stream's state
 * ({@link SsmRunner#forecastHorizon}), which stays as it was.
 */
final class SsmDirectForecaster implements MultiStepForecaster {
    private final StreamedSeries stream;
    private final int target;
    private final SsmRunner head;
    private final float[] forecast; // (H, d_input)

    /** @param series the normalised model inputs, as the model was trained on them */
    SsmDirectForecaster(SsmModel model, KernelOps ops, EventSeries series, int target) {
        if (!model.config().hasHorizonHead()) {
            throw new IllegalArgumentException("the model has no direct head");
        }
        this.stream = new StreamedSeries(model, ops, series);
        this.target = target;
        this.head = new SsmRunner(model, ops);
        this.forecast = new float[model.config().horizon() * series.channels()];
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        int d = stream.channels();
        if (horizon * d > forecast.length) {
            throw new IllegalArgumentException("the head forecasts " + forecast.length / d + " rows, asked for "
                    + horizon);
        }
        head.forecastHorizon(stream.after(t).ssm(), forecast);
        for (int s = 0; s < horizon; s++) {
            out[s] = forecast[s * d + target];
        }
    }
}
