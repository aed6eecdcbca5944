package io.ssmstream.kernels.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.testing.RandomModels;
import org.junit.jupiter.api.Test;

class StreamForecasterTest {
    private final SsmModel model = RandomModels.create(Arch.S4D, 2, 8, 1, 4, true, 5);
    private final StreamForecaster forecaster =
            new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());

    @Test
    void firstEventScoresZeroAndLaterEventsUseTheGapAndThePreviousForecast() {
        ForecasterState state = forecaster.newState();
        assertEquals(0.0, forecaster.step(state, 0, new float[] {50, 60}));
        float[] mean = state.forecastMean().clone();
        float[] std = state.forecastStd().clone();

        // The same two events through the runner directly: τ = 1 for the first, 2 minutes / 1 minute = 2 next.
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState ssm = StreamState.zeros(model);
        float[] m = new float[2];
        float[] s = new float[2];
        runner.step(ssm, new float[] {50, 60}, 1f, m, s);
        assertArrayEquals(m, mean);
        float[] second = {mean[0] + 3 * std[0], mean[1]};
        double score = forecaster.step(state, 120_000_000L, second);
        runner.step(ssm, second, 2f, m, s);
        assertArrayEquals(m, state.forecastMean());
        assertArrayEquals(s, state.forecastStd());
        // |z| = 3 on channel 0: P(|Z| <= 3) = 0.99730.
        assertEquals(0.9973002, score, 1e-6);
        assertEquals(2, state.ssm().events());
        assertEquals(120_000_000L, state.lastTsMicros());
    }

    @Test
    void batchedStepsGiveEachStreamTheScoresAndStateOfItsOwnSteps() {
        StreamForecaster batched = new StreamForecaster(model, KernelOpsProvider.scalar(), new LikelihoodScorer());
        StreamForecaster alone = new StreamForecaster(model, KernelOpsProvider.scalar(), new LikelihoodScorer());
        int streams = 5;
        ForecasterState[] together = new ForecasterState[streams];
        ForecasterState[] apart = new ForecasterState[streams];
        for (int b = 0; b < streams; b++) {
            together[b] = batched.newState("v1", 8);
            apart[b] = alone.newState("v1", 8);
        }
        long[] ts = new long[streams];
        float[][] values = new float[streams][2];
        double[] scores = new double[streams];
        for (int event = 0; event < 60; event++) {
            for (int b = 0; b < streams; b++) {
                ts[b] = (event * (b + 1) + (event % 3 == 0 ? b : 0)) * 60_000_000L; // each stream its own gaps
                values[b][0] = (float) Math.sin(event / (3.0 + b)) * 10 + (event == 40 && b == 2 ? 50 : 0);
                values[b][1] = (event * 7 + b) % 11;
            }
            batched.stepBatch(streams, together, ts, values, scores);
            for (int b = 0; b < streams; b++) {
                float[] row = values[b].clone();
                assertEquals(alone.step(apart[b], ts[b], row), scores[b], "stream " + b + " event " + event);
                assertEquals(apart[b], together[b], "stream " + b + " event " + event);
            }
        }
        assertTrue(scores[2] >= 0 && together[2].ssm().events() == 60);
    }

    @Test
    void aBatchWithAnEventBeforeItsStreamsPreviousOneChangesNoState() {
        ForecasterState first = forecaster.newState();
        ForecasterState second = forecaster.newState();
        forecaster.step(second, 120_000_000L, new float[] {1, 2});
        ForecasterState secondBefore = second.copy();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> forecaster.stepBatch(2,
                new ForecasterState[] {first, second}, new long[] {0, 60_000_000L}, new float[][] {{1, 2}, {3, 4}},
                new double[2]));
        assertTrue(e.getMessage().contains("before the previous event"), e.getMessage());
        assertEquals(forecaster.newState(), first);
        assertEquals(secondBefore, second);
    }

    @Test
    void warmUpRunsTheRequestedEventsAndLeavesLaterResultsUnchanged() {
        StreamForecaster cold = new StreamForecaster(model, KernelOpsProvider.scalar(), new LikelihoodScorer());
        StreamForecaster warmed = new StreamForecaster(model, KernelOpsProvider.scalar(), new LikelihoodScorer());
        assertEquals(300, warmed.warmUp(300, Long.MAX_VALUE));
        assertEquals(0, warmed.warmUp(300, 0), "no time left: no event");
        ForecasterState a = cold.newState();
        ForecasterState b = warmed.newState();
        for (int i = 0; i < 50; i++) {
            float[] values = {(float) Math.sin(i), i % 7};
            assertEquals(cold.step(a, i * 60_000_000L, values), warmed.step(b, i * 60_000_000L, values));
            assertArrayEquals(a.forecastMean(), b.forecastMean());
            assertArrayEquals(a.forecastStd(), b.forecastStd());
        }
    }

    @Test
    void eventOlderThanThePreviousIsRefused() {
        ForecasterState state = forecaster.newState();
        forecaster.step(state, 1_000_000, new float[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> forecaster.step(state, 999_999, new float[] {1, 2}));
    }

    @Test
    void stateRoundTripsThroughItsCodecAndContinuesIdentically() {
        ForecasterState a = forecaster.newState();
        for (int i = 0; i < 10; i++) {
            forecaster.step(a, i * 60_000_000L, new float[] {i, 2 * i});
        }
        ForecasterState b = ForecasterStateCodec.fromBytes(ForecasterStateCodec.toBytes(a));
        assertEquals(a, b);
        assertTrue(forecaster.fits(b));
        double sa = forecaster.step(a, 11 * 60_000_000L, new float[] {3, 4});
        double sb = forecaster.step(b, 11 * 60_000_000L, new float[] {3, 4});
        assertEquals(sa, sb);
        assertEquals(a, b);
    }
}
