package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HorizonFitTest {
    private static final long HOUR_MICROS = 3_600_000_000L;
    private static final int HORIZON = 48;

    /** Hourly rows: a daily cycle whose amplitude wanders, a level that random-walks, and noise. */
    private static EventSeries daily(int n, long seed) {
        Random r = new Random(seed);
        long[] micros = new long[n];
        float[] values = new float[n];
        double level = 0;
        double amplitude = 3;
        for (int t = 0; t < n; t++) {
            level += 0.05 * r.nextGaussian();
            amplitude = Math.max(1, amplitude + 0.02 * r.nextGaussian());
            micros[t] = 1_700_000_000_000_000L + t * HOUR_MICROS;
            values[t] = (float) (50 + level + amplitude * Math.sin(2 * Math.PI * t / 24) + 0.2 * r.nextGaussian());
        }
        return new EventSeries("daily", List.of("value"), micros, values);
    }

    /** An untrained model normalised for {@code s}: the head does not need a trained network to be fitted. */
    private static SsmModel untrained(Arch arch, EventSeries s) {
        double sum = 0;
        double sq = 0;
        for (float v : s.values()) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / s.size();
        double std = Math.sqrt(sq / s.size() - mean * mean);
        ModelConfig config = ModelConfig.builder(arch, 1).dModel(8).nLayers(1).dState(4).dtUnitMs(3_600_000)
                .inputMean(new float[] {(float) mean}).inputStd(new float[] {(float) std}).build();
        return ModelInitializer.initialize(config, 1);
    }

    /** Mean squared error over steps 1..H from the rows [from, to − H) of {@code s}, raw units. */
    private static double[] directAndPersistenceMse(SsmModel model, EventSeries s, int from, int to) {
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(model);
        float[] out = new float[HORIZON];
        double direct = 0;
        double persistence = 0;
        int count = 0;
        for (int t = 0; t < to - HORIZON; t++) {
            runner.step(state, new float[] {s.values()[t]}, 1f, new float[1], new float[1]);
            if (t < from) {
                continue;
            }
            runner.forecastHorizon(state, out);
            for (int j = 0; j < HORIZON; j++) {
                double actual = s.values()[t + 1 + j];
                direct += (out[j] - actual) * (out[j] - actual);
                persistence += (s.values()[t] - actual) * (s.values()[t] - actual);
                count++;
            }
        }
        return new double[] {direct / count, persistence / count};
    }

    @Test
    void fittedHeadForecastsADailyCycleFarBetterThanPersistence() {
        EventSeries s = daily(4000, 7);
        SsmModel model = untrained(Arch.LRU, s);
        HorizonFit.Result fit = HorizonFit.fit(model, HorizonPoles.of(24), HORIZON, true, List.of(s.slice(0, 2500)),
                List.of(s.slice(2500, 3200)), null);
        assertEquals(HORIZON, fit.model().config().horizon());
        assertEquals(42, fit.model().config().horizonModes());
        assertEquals(2500 - HorizonFit.WARM_UP - HORIZON, fit.equations());
        double[] mse = directAndPersistenceMse(fit.model(), s, 3200, 4000);
        assertTrue(mse[0] < 0.2 * mse[1], "direct " + mse[0] + " against persistence " + mse[1]);
    }

    @Test
    void selectionErrorFromTheSumsIsTheErrorOfStreamingTheFittedModel() {
        EventSeries s = daily(2000, 8);
        SsmModel model = untrained(Arch.MAMBA, s);
        EventSeries selection = s.slice(1200, 2000);
        HorizonFit.Result fit = HorizonFit.fit(model, HorizonPoles.of(0), HORIZON, true, List.of(s.slice(0, 1200)),
                List.of(selection), null);
        double[] mse = directAndPersistenceMse(fit.model(), selection, HorizonFit.WARM_UP, selection.size());
        float std = model.config().inputStd()[0];
        assertEquals(mse[0] / (std * std), fit.selectionMse(), 1e-3 * fit.selectionMse());
    }

    @Test
    void aConstantSeriesIsForecastAsThatConstant() {
        long[] micros = new long[600];
        float[] values = new float[600];
        for (int t = 0; t < micros.length; t++) {
            micros[t] = t * HOUR_MICROS;
            values[t] = 12.5f;
        }
        EventSeries flat = new EventSeries("flat", List.of("value"), micros, values);
        ModelConfig config = ModelConfig.builder(Arch.S4D, 1).dModel(8).nLayers(1).dState(4).dtUnitMs(3_600_000)
                .inputMean(new float[] {10}).inputStd(new float[] {2}).build();
        HorizonFit.Result fit = HorizonFit.fit(ModelInitializer.initialize(config, 2), HorizonPoles.of(24), 12, true,
                List.of(flat), List.of(), null);
        SsmRunner runner = new SsmRunner(fit.model(), KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(fit.model());
        for (int t = 0; t < 300; t++) {
            runner.step(state, new float[] {12.5f}, 1f, new float[1], new float[1]);
        }
        float[] out = new float[12];
        runner.forecastHorizon(state, out);
        for (float v : out) {
            assertEquals(12.5f, v, 1e-4f);
        }
    }

    /** {@code s} with a second channel of white noise beside it. */
    private static EventSeries withNoiseChannel(EventSeries s, long seed) {
        Random r = new Random(seed);
        float[] values = new float[2 * s.size()];
        for (int t = 0; t < s.size(); t++) {
            values[2 * t] = s.values()[t];
            values[2 * t + 1] = (float) (5 * r.nextGaussian());
        }
        return new EventSeries(s.source(), List.of("value", "noise"), s.micros(), values);
    }

    @Test
    void aChannelOfPureNoiseBesideTheSeriesCostsItsForecastsNothingMuch() {
        EventSeries s = daily(4000, 10);
        EventSeries pair = withNoiseChannel(s, 11);
        ModelConfig one = untrained(Arch.LRU, s).config();
        ModelConfig config = ModelConfig.builder(Arch.LRU, 2).dModel(8).nLayers(1).dState(4).dtUnitMs(3_600_000)
                .inputMean(new float[] {one.inputMean()[0], 0}).inputStd(new float[] {one.inputStd()[0], 5}).build();
        HorizonFit.Result alone = HorizonFit.fit(untrained(Arch.LRU, s), HorizonPoles.of(24), HORIZON, false,
                List.of(s.slice(0, 2500)), List.of(s.slice(2500, 3200)), null);
        HorizonFit.Result beside = HorizonFit.fit(ModelInitializer.initialize(config, 1), HorizonPoles.of(24),
                HORIZON, false, List.of(pair.slice(0, 2500)), List.of(pair.slice(2500, 3200)), null);
        double aloneMse = directAndPersistenceMse(alone.model(), s, 3200, 4000)[0];

        SsmRunner runner = new SsmRunner(beside.model(), KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(beside.model());
        float[] out = new float[2 * HORIZON];
        double sse = 0;
        int count = 0;
        for (int t = 0; t < 4000 - HORIZON; t++) {
            runner.step(state, new float[] {pair.values()[2 * t], pair.values()[2 * t + 1]}, 1f, new float[2],
                    new float[2]);
            if (t >= 3200) {
                runner.forecastHorizon(state, out);
                for (int j = 0; j < HORIZON; j++) {
                    double e = out[2 * j] - s.values()[t + 1 + j];
                    sse += e * e;
                    count++;
                }
            }
        }
        assertTrue(sse / count < 1.05 * aloneMse, "beside noise " + sse / count + ", alone " + aloneMse);
    }

    @Test
    void seriesTooShortForOneEquationIsAClearError() {
        EventSeries s = daily(240, 9);
        TrainingDataException e = assertThrows(TrainingDataException.class, () -> HorizonFit.fit(
                untrained(Arch.LRU, s), HorizonPoles.of(24), HORIZON, false, List.of(s), List.of(), null));
        assertEquals("the direct head needs training series longer than 200 warm-up events + its horizon (48)"
                + " events to fit on; the longest has 240", e.getMessage());
    }

    @Test
    void polesFollowTheSeason() {
        HorizonPoles daily = HorizonPoles.of(24);
        assertEquals(42, daily.modes());
        assertEquals((float) (2 * Math.PI / 24), daily.frequency()[3], 1e-7f);
        assertEquals((float) Math.log(24), daily.logTimescale()[3], 1e-6f);
        assertEquals(64, HorizonPoles.of(0).modes());
        assertEquals(3 * 3 + 3, HorizonPoles.of(4).modes(), "harmonics up to S/2");
        assertThrows(IllegalArgumentException.class, () -> HorizonPoles.of(1));
    }
}
