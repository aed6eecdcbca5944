package io.ssmstream.eval.forecast;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.trainer.EventSeries;

/**
 * A series as one stream sees it: one state advanced event by event with the streaming job's
 * {@link StreamForecaster} from the series' first row, so the state at a row has seen all history before it,
 * as a deployed stream's would. Rows are asked for in time order.
 */
final class StreamedSeries {
    private final EventSeries series;
    private final StreamForecaster forecaster;
    private final ForecasterState state;
    private final float[] event; // (d_input)
    private int applied;         // rows stepped so far

    StreamedSeries(SsmModel model, KernelOps ops, EventSeries series) {
        this.series = series;
        this.forecaster = new StreamForecaster(model, ops, new GaussianTailScorer());
        this.state = forecaster.newState();
        this.event = new float[series.channels()];
    }

    /**
     * The stream's state after row {@code t}; the caller reads it and leaves it as it is.
     *
     * @throws IllegalArgumentException when row t is behind the rows already stepped
     */
    ForecasterState after(int t) {
        if (t + 1 < applied) {
            throw new IllegalArgumentException("row " + t + " is behind the stream, which has seen " + applied);
        }
        int d = event.length;
        while (applied <= t) {
            System.arraycopy(series.values(), applied * d, event, 0, d);
            forecaster.step(state, series.micros()[applied], event);
            applied++;
        }
        return state;
    }

    int channels() {
        return event.length;
    }
}
