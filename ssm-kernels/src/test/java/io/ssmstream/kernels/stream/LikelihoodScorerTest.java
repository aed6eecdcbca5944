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
    /**
     * Without the spatial check, whose new extremes of a long Gaussian stream would score 1, and without the record
     * surprise and flat run checks: the short average's likelihood alone.
     */
    private final LikelihoodScorer likelihoodOnly = LikelihoodScorer.builder().spatialTolerance(0).recordFactor(0)
            .flatRunFactor(0).build();
    /** Spatial check off: the likelihood, record surprises and flat runs. */
    private final LikelihoodScorer noSpatial = LikelihoodScorer.builder().spatialTolerance(0).build();
    private final Random rnd = new Random(3);

    private float[] newState() {
        float[] s = new float[scorer.stateSize(1)];
        scorer.initState(s);
        return s;
    }

    private float[] likelihoodOnlyState() {
        float[] s = new float[likelihoodOnly.stateSize(1)];
        likelihoodOnly.initState(s);
        return s;
    }

    /** Scores one event whose standardized error is z (forecast 0 ± std), with the scorer whose state it is. */
    private double score(float[] state, double z, float std) {
        AnomalyScorer s = scorer.owns(state, 1) ? scorer : likelihoodOnly;
        return s.score(new float[] {(float) (z * std)}, new float[] {0}, new float[] {std}, state);
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
        for (int i = 0; i < 100; i++) {
            assertEquals(0, score(state, i % 2 == 0 ? 0.1 : 8, 1));
        }
    }

    @Test
    void aBurstOfLargeErrorsAfterCalmOnesScoresHighAndIsReportedOnce() {
        float[] state = likelihoodOnlyState();
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

    private double burst(float[] state) {
        double max = 0;
        for (int i = 0; i < 5; i++) {
            max = Math.max(max, score(state, 6, 1));
        }
        return max;
    }

    private void calm(float[] state, int events) {
        for (int i = 0; i < events; i++) {
            score(state, 0.5 * Math.sin(i), 1);
        }
    }

    @Test
    void aSecondAnomalyWithinTheQuietPeriodIsYellowOneAfterItRedAgain() {
        float[] state = likelihoodOnlyState();
        calm(state, 3000);
        assertTrue(burst(state) >= 0.5);
        calm(state, 20);
        double soon = burst(state);
        assertTrue(soon < 0.5, "within the quiet period of 50 events: " + soon);
        calm(state, 1000);
        assertTrue(burst(state) >= 0.5, "long after");
    }

    @Test
    void aForecasterThatIsTenTimesTooConfidentIsRecalibrated() {
        float[] state = likelihoodOnlyState();
        maxOverNormalErrors(state, 2000, 1);
        // the same errors with σ ten times too small: z ten times too large, at first alarming, then calibrated
        maxOverNormalErrors(state, 3 * 2000, 0.1f);
        double calm = maxOverNormalErrors(state, 2000, 0.1f);
        assertTrue(calm < 0.5, "recalibrated stream's highest score " + calm);
    }

    @Test
    void aLevelNeverSeenScoresOneEvenWhenTheForecastExpectedIt() {
        float[] state = newState();
        float[] std = {1};
        for (int i = 0; i < 1000; i++) {
            float v = i % 11;
            scorer.score(new float[] {v}, new float[] {v}, std, state);
        }
        assertEquals(1, scorer.score(new float[] {10.6f}, new float[] {10.6f}, std, state));
        assertTrue(scorer.score(new float[] {10.7f}, new float[] {10.7f}, std, state) < 0.5,
                "within 5 % of the widened range");
        LikelihoodScorer off = LikelihoodScorer.builder().spatialTolerance(0).build();
        float[] offState = new float[off.stateSize(1)];
        off.initState(offState);
        for (int i = 0; i < 1000; i++) {
            float v = i % 11;
            off.score(new float[] {v}, new float[] {v}, std, offState);
        }
        assertTrue(off.score(new float[] {20}, new float[] {20}, std, offState) < 0.5);
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
        LikelihoodScorer other = LikelihoodScorer.builder().horizon(500).build();
        float[] otherState = new float[other.stateSize(1)];
        other.initState(otherState);
        assertFalse(scorer.owns(otherState, 1), "same length, other horizon");
        LikelihoodScorer noRecord = LikelihoodScorer.builder().recordFactor(0).build();
        float[] noRecordState = new float[noRecord.stateSize(1)];
        noRecord.initState(noRecordState);
        assertFalse(scorer.owns(noRecordState, 1), "same length, record surprises off");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().shortWindow(0));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().horizon(5).build());
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().warmUp(5).build());
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().spatialTolerance(-1));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().quietPeriod(0));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().recordFactor(0.5));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().flatRunFactor(-1));
        assertThrows(IllegalArgumentException.class, () -> LikelihoodScorer.builder().flatRunMin(0));
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

    private static float[] newState(LikelihoodScorer s) {
        float[] state = new float[s.stateSize(1)];
        s.initState(state);
        return state;
    }

    /** Scores one event whose standardized error is z (forecast 0 ± 1). */
    private static double scoreError(LikelihoodScorer s, float[] state, double z) {
        return s.score(new float[] {(float) z}, new float[] {0}, new float[] {1}, state);
    }

    @Test
    void aSingleSpikeLargerThanAnyBeforeIsRedThoughTheShortAverageBarelyMoves() {
        float[] state = newState(noSpatial);
        float[] averageOnly = newState(likelihoodOnly);
        for (int i = 0; i < 3000; i++) {
            double z = rnd.nextGaussian();
            scoreError(noSpatial, state, z);
            scoreError(likelihoodOnly, averageOnly, z);
        }
        assertTrue(scoreError(noSpatial, state, 9) >= 0.5, "a record surprise is red");
        assertTrue(scoreError(likelihoodOnly, averageOnly, 9) < 0.5, "the short average alone misses it");
    }

    @Test
    void aSpikeNoLargerThanTheStreamsUsualSpikesIsNotRed() {
        float[] state = newState(noSpatial);
        for (int i = 0; i < 3000; i++) {
            scoreError(noSpatial, state, i % 200 == 150 ? 9 : rnd.nextGaussian());
        }
        calmErrors(state, 150);
        assertTrue(scoreError(noSpatial, state, 9) < 0.5, "as large as the stream's usual spikes");
        calmErrors(state, 150);
        assertTrue(scoreError(noSpatial, state, 12) >= 0.5, "well above them");
    }

    private void calmErrors(float[] state, int events) {
        for (int i = 0; i < events; i++) {
            scoreError(noSpatial, state, 0.5 * Math.sin(i));
        }
    }

    /** Scores {@code events} events of value v, forecast exactly (error 0); returns how many were red. */
    private static int redWhileConstant(LikelihoodScorer s, float[] state, float v, int events) {
        int red = 0;
        for (int i = 0; i < events; i++) {
            red += s.score(new float[] {v}, new float[] {v}, new float[] {1}, state) >= 0.5 ? 1 : 0;
        }
        return red;
    }

    /** Scores {@code events} events of noisy values around 0, forecast with errors ~ N(0, 1); returns reds. */
    private int redWhileMoving(LikelihoodScorer s, float[] state, int events) {
        int red = 0;
        for (int i = 0; i < events; i++) {
            float v = (float) rnd.nextGaussian();
            red += s.score(new float[] {v}, new float[] {(float) rnd.nextGaussian()}, new float[] {1.5f}, state)
                    >= 0.5 ? 1 : 0;
        }
        return red;
    }

    @Test
    void aStreamThatStopsMovingIsRedOnceWhenItsRunOfRepeatsBreaksTheRecord() {
        float[] state = newState(noSpatial);
        redWhileMoving(noSpatial, state, 2000);
        assertEquals(1, redWhileConstant(noSpatial, state, 0.3f, 300), "one alarm, at the 50th repeat");
        LikelihoodScorer off = LikelihoodScorer.builder().spatialTolerance(0).flatRunFactor(0).build();
        float[] offState = newState(off);
        redWhileMoving(off, offState, 2000);
        assertEquals(0, redWhileConstant(off, offState, 0.3f, 300), "flat runs off");
    }

    @Test
    void aStreamThatIsOftenConstantIsRedOnlyForARunWellBeyondItsLongest() {
        float[] state = newState(noSpatial);
        redWhileMoving(noSpatial, state, 500);
        redWhileConstant(noSpatial, state, 1, 80);
        for (int i = 0; i < 10; i++) {
            redWhileMoving(noSpatial, state, 100); // the first moves after a run are record surprises
            assertEquals(0, redWhileConstant(noSpatial, state, 1, 80), "a run as long as the usual ones");
        }
        redWhileMoving(noSpatial, state, 100);
        assertEquals(0, redWhileConstant(noSpatial, state, 1, 119), "shorter than 1.5 × 80");
        redWhileMoving(noSpatial, state, 100);
        assertEquals(1, redWhileConstant(noSpatial, state, 1, 200), "reaches 1.5 × 80");
    }

    /** Scores {@code events} events with errors bias + N(0, 1); returns how many were red. */
    private int redWithErrors(LikelihoodScorer s, float[] state, double bias, int events, Random noise) {
        int red = 0;
        for (int i = 0; i < events; i++) {
            red += scoreError(s, state, bias + noise.nextGaussian()) >= 0.5 ? 1 : 0;
        }
        return red;
    }

    @Test
    void aForecastThatStaysTooLowByLessThanItsSpreadIsRedOnceWhenTheDriftBreaksTheRecord() {
        float[] state = newState(noSpatial);
        float[] averageOnly = newState(likelihoodOnly);
        redWithErrors(noSpatial, state, 0, 3000, new Random(5));
        redWithErrors(likelihoodOnly, averageOnly, 0, 3000, new Random(5));
        assertEquals(0, redWithErrors(noSpatial, state, 0, 1000, new Random(6)), "no drift, no alarm");
        redWithErrors(likelihoodOnly, averageOnly, 0, 1000, new Random(6));
        assertEquals(1, redWithErrors(noSpatial, state, 0.7, 150, new Random(7)), "errors of one sign add up");
        assertEquals(0, redWithErrors(likelihoodOnly, averageOnly, 0.7, 150, new Random(7)),
                "each too small to surprise");
        redWithErrors(noSpatial, state, 0, 300, new Random(8));
        assertEquals(1, redWithErrors(noSpatial, state, -0.7, 250, new Random(9)), "the other sign, larger");
    }
}
