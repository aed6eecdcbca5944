package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NabScorerTest {
    private static final long FIVE_MINUTES = 300_000_000L;
    private static final int ROWS = 100;            // probationary period: 15 rows
    private static final int LEFT = 40;
    private static final int RIGHT = 49;            // width 10
    private static final double SIGMA_MINUS_1 = 2 / (1 + Math.exp(-5)) - 1;

    private static long[] times(int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_400_000_000_000_000L + i * FIVE_MINUTES;
        }
        return t;
    }

    private static List<NabWindows.Window> oneWindow() {
        long[] t = times(ROWS);
        return List.of(new NabWindows.Window(t[LEFT], t[RIGHT]));
    }

    private static NabScorer.Sweep sweep(int... detections) {
        double[] scores = new double[ROWS];
        for (int d : detections) {
            scores[d] = 1;
        }
        return NabScorer.sweep("cat/f.csv", times(ROWS), scores, oneWindow());
    }

    private static NabScorer.Result evaluate(NabProfile p, int... detections) {
        return NabScorer.evaluate(List.of(sweep(detections)), p);
    }

    @Test
    void probationaryPeriodIsFifteenPercentCappedAt750() {
        assertEquals(15, NabScorer.probationaryLength(100));
        assertEquals(604, NabScorer.probationaryLength(4032));
        assertEquals(750, NabScorer.probationaryLength(15_902));
    }

    @Test
    void perfectDetectorScores100AndNullDetectorZero() {
        for (NabProfile p : List.of(NabProfile.STANDARD, NabProfile.LOW_FP, NabProfile.LOW_FN)) {
            assertEquals(100, evaluate(p, LEFT).normalized(), 1e-9, p.name());
            assertEquals(0, evaluate(p).normalized(), 1e-9, p.name());
            assertEquals(-p.fnWeight(), evaluate(p).nullRaw(), 1e-12);
            assertEquals(p.tpWeight(), evaluate(p).perfectRaw(), 1e-12);
        }
    }

    @Test
    void detectionAtTheRightEdgeEarnsTheSigmoidOfMinusOneOverWidth() {
        double tp = (2 / (1 + Math.exp(-0.5)) - 1) / SIGMA_MINUS_1; // y = -1/10
        NabScorer.Result r = evaluate(NabProfile.STANDARD, RIGHT);
        assertEquals(tp, r.raw(), 1e-12);
        assertEquals(100 * (tp + 1) / 2, r.normalized(), 1e-9);
        assertEquals(0.24824, tp, 1e-5);
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        assertEquals(1, evaluate(NabProfile.STANDARD, LEFT, LEFT + 5, RIGHT).raw(), 1e-12);
    }

    @Test
    void falsePositiveBeforeAnyWindowCostsTheFullFpWeight() {
        assertEquals(1 - 0.11, NabScorer.score(sweep(LEFT, 20), NabProfile.STANDARD, 0.5), 1e-12);
        assertEquals(1 - 0.22, NabScorer.score(sweep(LEFT, 20), NabProfile.LOW_FP, 0.5), 1e-12);
    }

    @Test
    void falsePositiveAfterAWindowCostsLessTheCloserItIs() {
        double justAfter = 2 / (1 + Math.exp(5 * (1 / 9.0))) - 1;  // y = 1/(w-1)
        double oneWidthAfter = 2 / (1 + Math.exp(5)) - 1;          // y = 9/9
        assertEquals(1 + 0.11 * justAfter, NabScorer.score(sweep(LEFT, RIGHT + 1), NabProfile.STANDARD, 0.5), 1e-12);
        assertEquals(1 + 0.11 * oneWidthAfter, NabScorer.score(sweep(LEFT, RIGHT + 9), NabProfile.STANDARD, 0.5),
                1e-12);
        // more than three widths after the window: the full cost
        assertEquals(1 - 0.11, NabScorer.score(sweep(LEFT, RIGHT + 28), NabProfile.STANDARD, 0.5), 1e-12);
    }

    @Test
    void detectionsInTheProbationaryPeriodAreNotScored() {
        assertEquals(0, evaluate(NabProfile.STANDARD, 3, 14).normalized(), 1e-9);
        assertEquals(1 - 0.11, NabScorer.score(sweep(LEFT, 15), NabProfile.STANDARD, 0.5), 1e-12);
    }

    @Test
    void windowInsideTheProbationaryPeriodIsNeitherHitNorMissed() {
        long[] t = times(ROWS);
        NabScorer.Sweep s = NabScorer.sweep("cat/f.csv", t, new double[ROWS],
                List.of(new NabWindows.Window(t[2], t[8])));
        assertEquals(0, s.scoredWindows());
        assertEquals(0, NabScorer.score(s, NabProfile.LOW_FN, 0.5), 1e-12);
    }

    @Test
    void thresholdIsChosenOverTheWholeCorpus() {
        // file a: a true positive scored 0.6 and false positives scored 0.9; file b: a false positive at 0.7
        double[] a = new double[ROWS];
        a[LEFT] = 0.6;
        a[20] = 0.9;
        double[] b = new double[ROWS];
        b[30] = 0.7;
        List<NabScorer.Sweep> corpus = List.of(NabScorer.sweep("a.csv", times(ROWS), a, oneWindow()),
                NabScorer.sweep("b.csv", times(ROWS), b, List.of()));
        NabScorer.Optimum o = NabScorer.optimize(corpus, NabProfile.STANDARD);
        assertEquals(0.6, o.threshold());
        assertEquals(1 - 0.11 - 0.11, o.score(), 1e-12);
        // with a high enough false-positive weight it is better never to fire
        NabScorer.Optimum never = NabScorer.optimize(corpus, new NabProfile("strict", 1, 10, 1));
        assertEquals(NabScorer.NEVER, never.threshold());
        assertEquals(-1, never.score(), 1e-12);
    }

    @Test
    void optimumAgreesWithScoringEveryThreshold() {
        java.util.Random rnd = new java.util.Random(7);
        double[] s = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            s[i] = Math.round(rnd.nextDouble() * 20) / 20.0;
        }
        NabScorer.Sweep sw = NabScorer.sweep("f.csv", times(ROWS), s, oneWindow());
        for (NabProfile p : List.of(NabProfile.STANDARD, NabProfile.LOW_FP, NabProfile.LOW_FN)) {
            double best = NabScorer.score(sw, p, NabScorer.NEVER);
            for (double v : s) {
                best = Math.max(best, NabScorer.score(sw, p, v));
            }
            NabScorer.Optimum o = NabScorer.optimize(List.of(sw), p);
            assertEquals(best, o.score(), 1e-9, p.name());
            assertEquals(o.score(), NabScorer.score(sw, p, o.threshold()), 1e-9, p.name());
        }
    }

    @Test
    void scoreOutsideZeroToOneIsRejected() {
        double[] s = new double[ROWS];
        s[5] = 1.5;
        assertThrows(IllegalArgumentException.class, () -> NabScorer.sweep("f.csv", times(ROWS), s, List.of()));
    }
}
