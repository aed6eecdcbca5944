package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecastRollout;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.trainer.EventSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class SsmRolloutForecasterTest {
    private static final long HOUR = 3_600_000_000L;

    private final SsmModel model = ModelInitializer.initialize(ModelConfig.builder(Arch.LRU, 2).dModel(8).nLayers(1)
            .dState(4).dtUnitMs(3_600_000).build(), 3);

    private static EventSeries series(int n) {
        long[] t = new long[n];
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            t[i] = i * HOUR;
            v[2 * i] = (float) Math.sin(i / 3.0);
            v[2 * i + 1] = (float) Math.cos(i / 5.0);
        }
        return new EventSeries("s", List.of("a", "b"), t, v);
    }

    /** The stream stepped through rows 0..t, then rolled out H steps: the reference both modes are read from. */
    private float[] rolledByHand(EventSeries s, int t, int horizon) {
        StreamForecaster f = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = f.newState();
        for (int i = 0; i <= t; i++) {
            f.step(state, s.micros()[i], new float[] {s.value(i, 0), s.value(i, 1)});
        }
        float[] out = new float[horizon * 2];
        new ForecastRollout(model, KernelOpsProvider.scalar()).forecast(state, 1f, horizon, out);
        return out;
    }

    @Test
    void forecastsTheTargetChannelOfTheRolloutFromTheStreamAtRowT() {
        EventSeries s = series(60);
        SsmRolloutForecaster f = new SsmRolloutForecaster(model, KernelOpsProvider.scalar(), s, null, 1, HOUR, 5);
        double[] out = new double[5];
        f.forecast(20, 5, new double[5]); // an earlier origin: the stream carries on from it
        f.forecast(41, 5, out);
        float[] expected = rolledByHand(s, 41, 5);
        for (int k = 0; k < 5; k++) {
            assertEquals(expected[2 * k + 1], out[k], 0);
        }
    }

    @Test
    void differencesAreSummedOntoTheLatestLevel() {
        EventSeries s = series(60);
        double[] levels = new double[60];
        for (int i = 0; i < 60; i++) {
            levels[i] = 10 + i;
        }
        SsmRolloutForecaster f = new SsmRolloutForecaster(model, KernelOpsProvider.scalar(), s, levels, 0, HOUR, 4);
        double[] out = new double[4];
        f.forecast(33, 4, out);
        float[] rolled = rolledByHand(s, 33, 4);
        double level = levels[33];
        double[] expected = new double[4];
        for (int k = 0; k < 4; k++) {
            level += rolled[2 * k];
            expected[k] = level;
        }
        assertArrayEquals(expected, out, 0);
    }
}
