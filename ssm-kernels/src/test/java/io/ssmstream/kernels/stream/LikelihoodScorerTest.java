package io.ssmstream.kernels.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.testing.RandomModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LikelihoodScorerTest {
    private final LikelihoodScorer scorer = new LikelihoodScorer();
    private final Random rnd = new Random(3);

    private float[] newState() {
        float[] s = new float[scorer.stateSize(1)];
        scorer.initState(s);
        return s;
    }

    /** Scores one event whose standardized error is z (forecast 0 ± std). */
    private double score(float[] state, double z, float std) {
        return scorer.score(new float[] {(float) (z * std)}, new float[] {0}, new float[] {std}, state);
    }

    private double maxOverNormalErrors(float[] state, int events, float std) {
        double max = 0;
        for (int i = 0; i < events; i++) {
            max = Math.max(max, score(state, rnd.nextGaussian(), std));
        }
        return max;
    }

    @Test
    void warmUpEventsScoreZero() {
        float[] state = newState();
        for (int i = 0; i < LikelihoodScorer.DEFAULT_WARM_UP; i++) {
            assertEquals(0, score(state, i % 2 == 0 ? 0.1 : 8, 1));
        }
    }

    @Test
    void aBurstOfLargeErrorsAfterCalmOnesScoresHighAndIsReportedOnce() {
        float[] state = newState();
        double calm = maxOverNormalErrors(state, 3000, 1);
        assertTrue(calm < 0.5, "calm stream's highest score " + calm);
        double first = 0;
        int red = 0;
        for (int i = 0; i < 5; i++) {
            double s = score(state, 6, 1);
            first = Math.max(first, s);
            red += s >= 0.5 ? 1 : 0;
        }
        assertTrue(first > 0.5, "burst scored " + first);
        assertEquals(1, red, "a lasting anomaly is red once, then yellow");
    }

    @Test
    void aForecasterThatIsTenTimesTooConfidentIsRecalibrated() {
        float[] state = newState();
        maxOverNormalErrors(state, 2000, 1);
        // the same errors with σ ten times too small: z ten times too large, at first alarming, then calibrated
        maxOverNormalErrors(state, 3 * LikelihoodScorer.DEFAULT_HORIZON, 0.1f);
        double calm = maxOverNormalErrors(state, 2000, 0.1f);
        assertTrue(calm < 0.5, "recalibrated stream's highest score " + calm);
    }

    @Test
    void scoresStayInZeroToOne() {
        float[] state = newState();
        for (int i = 0; i < 5000; i++) {
            double z = i % 97 == 0 ? 1e6 : i % 89 == 0 ? 0 : rnd.nextGaussian();
            double s = score(state, z, 1);
            assertTrue(s >= 0 && s <= 1, "score " + s);
        }
    }

    @Test
    void stateMadeByAnotherScorerIsNotOwned() {
        assertTrue(scorer.owns(newState(), 1));
        assertFalse(scorer.owns(new float[0], 1));
        assertFalse(scorer.owns(new float[scorer.stateSize(1)], 1), "a blank state of the right length");
        LikelihoodScorer other = new LikelihoodScorer(10, 500, 100);
        float[] otherState = new float[other.stateSize(1)];
        other.initState(otherState);
        assertFalse(scorer.owns(otherState, 1), "same length, other horizon");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LikelihoodScorer(0, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> new LikelihoodScorer(10, 5, 100));
        assertThrows(IllegalArgumentException.class, () -> new LikelihoodScorer(10, 100, 5));
    }

    @Test
    void forecasterReplacesAStateRestoredFromAnotherScorerAndKeepsTheSsmState() {
        SsmModel model = RandomModels.create(Arch.S4D, 1, 8, 1, 4, true, 5);
        StreamForecaster old = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = old.newState();
        for (int i = 0; i < 5; i++) {
            old.step(state, i * 60_000_000L, new float[] {i});
        }
        ForecasterState restored = ForecasterStateCodec.fromBytes(ForecasterStateCodec.toBytes(state));
        StreamForecaster current = new StreamForecaster(model, KernelOpsProvider.scalar(), scorer);
        assertFalse(current.fits(restored));
        current.step(restored, 5 * 60_000_000L, new float[] {5});
        old.step(state, 5 * 60_000_000L, new float[] {5});
        assertTrue(current.fits(restored));
        assertEquals(scorer.stateSize(1), restored.scorerState().length);
        assertArrayEquals(state.forecastMean(), restored.forecastMean(), "the SSM state carried on");
        ForecasterState again = ForecasterStateCodec.fromBytes(ForecasterStateCodec.toBytes(restored));
        assertEquals(restored, again);
    }
}
