package io.ssmstream.kernels.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import org.junit.jupiter.api.Test;

/** Rebuilding a stream's state for another model from its input window. */
class ModelSwapRebuildTest {
    private static final long MINUTE = 60_000_000L;
    private final StreamForecaster oldModel = forecaster(RandomModels.create(Arch.S4D, 2, 8, 1, 4, true, 5));
    private final StreamForecaster newModel = forecaster(RandomModels.create(Arch.MAMBA, 2, 8, 2, 4, true, 9));

    private static StreamForecaster forecaster(SsmModel model) {
        return new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
    }

    private static float[] event(int i) {
        return new float[] {(float) Math.sin(i * 0.3), i % 7};
    }

    @Test
    void windowKeepsTheLatestEventsOldestFirst() {
        ForecasterState state = oldModel.newState("v1", 4);
        for (int i = 0; i < 10; i++) {
            oldModel.step(state, i * MINUTE, event(i));
        }
        InputWindow w = state.window();
        assertEquals(4, w.size());
        float[] values = new float[2];
        for (int i = 0; i < 4; i++) {
            assertEquals((6 + i) * MINUTE, w.tsMicros(i));
            w.values(i, values);
            assertArrayEquals(event(6 + i), values);
        }
    }

    @Test
    void rebuiltStateForecastsExactlyAsAFreshReplayOfTheWindowThroughTheNewModel() {
        ForecasterState state = oldModel.newState("v1", 16);
        for (int i = 0; i < 50; i++) {
            oldModel.step(state, i * MINUTE + (i % 3) * 1_000_000L, event(i));
        }
        ForecasterState rebuilt = newModel.rebuild(state, "v2");

        ForecasterState replay = newModel.newState("v2", 16);
        for (int i = 34; i < 50; i++) {
            newModel.step(replay, i * MINUTE + (i % 3) * 1_000_000L, event(i));
        }
        assertEquals("v2", rebuilt.modelVersion());
        assertArrayEquals(replay.forecastMean(), rebuilt.forecastMean());
        assertArrayEquals(replay.forecastStd(), rebuilt.forecastStd());
        assertArrayEquals(state.scorerState(), rebuilt.scorerState(), "the scorer's history carries over");
        assertEquals(replay.window(), rebuilt.window());
        assertEquals(replay.lastTsMicros(), rebuilt.lastTsMicros());
        assertEquals(50, rebuilt.ssm().events(), "the stream's event count carries over");
        // The next event's forecast continues identically.
        newModel.step(rebuilt, 51 * MINUTE, event(51));
        newModel.step(replay, 51 * MINUTE, event(51));
        assertArrayEquals(replay.forecastMean(), rebuilt.forecastMean());
        // The old state is untouched and still the old model's.
        assertEquals("v1", state.modelVersion());
        assertFalse(newModel.fits(state));
    }

    @Test
    void anEmptyWindowRebuildsToANewStream() {
        ForecasterState windowless = oldModel.newState();
        oldModel.step(windowless, 0, event(0));
        ForecasterState rebuilt = newModel.rebuild(windowless, "v2");
        assertFalse(rebuilt.hasEvents());
        assertEquals(0.0, newModel.step(rebuilt, MINUTE, event(1)), "scored as a stream's first event");
    }

    @Test
    void windowCapacityChangesKeepTheLatestEvents() {
        ForecasterState state = oldModel.newState("v1", 8);
        for (int i = 0; i < 8; i++) {
            oldModel.step(state, i * MINUTE, event(i));
        }
        assertSame(state, state.withWindowCapacity(8));
        ForecasterState smaller = state.withWindowCapacity(3);
        assertEquals(3, smaller.window().size());
        assertEquals(5 * MINUTE, smaller.window().tsMicros(0));
        ForecasterState larger = smaller.withWindowCapacity(64);
        assertEquals(64, larger.window().capacity());
        assertEquals(smaller.window().size(), larger.window().size());
        assertNotEquals(state, smaller);
        assertEquals(0, state.withWindowCapacity(0).window().capacity());
    }

    @Test
    void theScorersHistoryCarriesOverSoAStreamDoesNotGoBackIntoWarmUp() {
        StreamForecaster before = new StreamForecaster(RandomModels.create(Arch.S4D, 2, 8, 1, 4, true, 5),
                KernelOpsProvider.scalar(), new LikelihoodScorer());
        StreamForecaster after = new StreamForecaster(RandomModels.create(Arch.MAMBA, 2, 8, 2, 4, true, 9),
                KernelOpsProvider.scalar(), new LikelihoodScorer());
        ForecasterState state = before.newState("v1", 16);
        for (int i = 0; i < 150; i++) {
            before.step(state, i * MINUTE, event(i));
        }
        ForecasterState rebuilt = after.rebuild(state, "v2");
        assertTrue(state.scorerState().length > 0);
        assertArrayEquals(state.scorerState(), rebuilt.scorerState());
        ForecasterState fresh = after.rebuild(after.newState("v2", 16), "v2");
        assertFalse(java.util.Arrays.equals(fresh.scorerState(), rebuilt.scorerState()),
                "a replay of the window alone would have started the scorer over");
    }
}
