package io.ssmstream.kernels.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForecastRolloutTest {
    private static final int D = 2;
    private static final long MINUTE_MICROS = 60_000_000L; // RandomModels' dt_unit_ms is one minute

    /** A stream that has seen 40 events at irregular gaps, so that its state is far from zero. */
    private static ForecasterState streamAfterEvents(StreamForecaster forecaster, SsmModel model) {
        ForecasterState state = forecaster.newState();
        float[][] values = RandomModels.series(model.config(), 40, 3);
        float[] taus = RandomModels.irregularTaus(40, 4);
        long t = 0;
        for (int i = 0; i < values.length; i++) {
            t += (long) (taus[i] * MINUTE_MICROS);
            forecaster.step(state, t, values[i]);
        }
        return state;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void rolloutEqualsSteppingACopyOfTheStateOnItsOwnForecastsByHand(Arch arch) {
        SsmModel model = RandomModels.create(arch, D, 16, 2, 8, true, 11);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = streamAfterEvents(forecaster, model);
        int horizon = 12;
        float tau = 1.5f;
        float[] out = new float[horizon * D];
        new ForecastRollout(model, KernelOpsProvider.scalar()).forecast(state, tau, horizon, out);

        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState copy = state.ssm().copy();
        float[] expected = new float[horizon * D];
        float[] previous = state.forecastMean().clone();
        System.arraycopy(previous, 0, expected, 0, D);
        float[] mean = new float[D];
        float[] std = new float[D];
        for (int s = 1; s < horizon; s++) {
            runner.step(copy, previous, tau, mean, std);
            System.arraycopy(mean, 0, expected, s * D, D);
            previous = mean.clone();
        }
        assertArrayEquals(expected, out);
        // a rollout that merely repeated the first forecast would pass the first two entries only
        assertNotEquals(out[0], out[(horizon - 1) * D]);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void rolloutLeavesTheStreamUnchangedSoTheNextEventContinuesFromIt(Arch arch) {
        SsmModel model = RandomModels.create(arch, D, 16, 2, 8, true, 12);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = streamAfterEvents(forecaster, model);
        ForecasterState before = state.copy();
        ForecastRollout rollout = new ForecastRollout(model, KernelOpsProvider.scalar());
        float[] out = new float[24 * D];
        rollout.forecast(state, 1f, 24, out);
        assertEquals(before, state);

        // a second rollout from the same state gives the same forecasts (the scratch state is reset each time)
        float[] again = new float[24 * D];
        rollout.forecast(state, 1f, 24, again);
        assertArrayEquals(out, again);
    }

    @Test
    void horizonOneIsTheForecastKeptWithTheStream() {
        SsmModel model = RandomModels.create(Arch.LRU, D, 8, 1, 4, true, 13);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = streamAfterEvents(forecaster, model);
        float[] out = {Float.NaN, Float.NaN, 7f};
        new ForecastRollout(model, KernelOpsProvider.scalar()).forecast(state, 1f, 1, out);
        assertArrayEquals(new float[] {state.forecastMean()[0], state.forecastMean()[1], 7f}, out);
    }

    @Test
    void rolloutAllocatesNothingPerCall() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SsmModel model = RandomModels.create(Arch.MAMBA, D, 16, 2, 8, true, 14);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = streamAfterEvents(forecaster, model);
        ForecastRollout rollout = new ForecastRollout(model, KernelOpsProvider.scalar());
        float[] out = new float[48 * D];
        for (int i = 0; i < 200; i++) {
            rollout.forecast(state, 1f, 48, out);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500; i++) {
            rollout.forecast(state, 1f, 48, out);
        }
        assertEquals(0, threads.getCurrentThreadAllocatedBytes() - before, "bytes allocated by 500 rollouts");
    }

    @Test
    void rejectsAStreamWithoutEventsAShortOutputAndAnotherModelsState() {
        SsmModel model = RandomModels.create(Arch.S4D, D, 8, 1, 4, true, 15);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecastRollout rollout = new ForecastRollout(model, KernelOpsProvider.scalar());
        float[] out = new float[4 * D];
        assertThrows(IllegalArgumentException.class, () -> rollout.forecast(forecaster.newState(), 1f, 4, out));
        ForecasterState state = streamAfterEvents(forecaster, model);
        assertThrows(IllegalArgumentException.class, () -> rollout.forecast(state, 1f, 5, out));
        assertThrows(IllegalArgumentException.class, () -> rollout.forecast(state, 1f, 0, out));

        SsmModel bigger = RandomModels.create(Arch.S4D, D, 8, 2, 4, true, 15);
        StreamForecaster other = new StreamForecaster(bigger, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState otherState = streamAfterEvents(other, bigger);
        assertThrows(IllegalArgumentException.class, () -> rollout.forecast(otherState, 1f, 4, out));
        assertArrayEquals(new float[4 * D], Arrays.copyOf(out, 4 * D), "nothing written on rejection");
    }
}
