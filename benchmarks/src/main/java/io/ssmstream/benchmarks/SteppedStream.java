package io.ssmstream.benchmarks;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;

/**
 * One stream stepped by the benchmarks: a primed state fed a cycled noisy sine, with preallocated output
 * arrays so that the measured op is the step alone.
 */
final class SteppedStream {
    private final SsmRunner runner;
    private final StreamState state;
    private final float[] series;
    private final float[] values = new float[1];
    private final float[] forecastMean = new float[1];
    private final float[] forecastStd = new float[1];
    private int t;

    /** @param primeTaus the gaps cycled through while priming the state, see {@link BenchModels#prime} */
    SteppedStream(String model, String impl, boolean timeAware, float[] primeTaus) {
        SsmModel m = BenchModels.model(model, timeAware);
        runner = new SsmRunner(m, BenchModels.ops(impl));
        state = StreamState.zeros(m);
        series = BenchModels.series();
        BenchModels.prime(runner, state, series, primeTaus);
    }

    /** Applies the next value of the series with gap {@code tau}; returns something the JIT cannot drop. */
    float step(float tau) {
        values[0] = series[t++ & (BenchModels.SERIES_LENGTH - 1)];
        runner.step(state, values, tau, forecastMean, forecastStd);
        return forecastMean[0] + forecastStd[0];
    }
}
