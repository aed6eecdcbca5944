package io.ssmstream.kernels.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.RandomModels;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NllQuantileScorerTest {

    /** Likelihoods of standard-normal events under an N(0, 1) forecast, one channel. */
    private static double[] calibrationNlls(int n, long seed) {
        Random random = new Random(seed);
        double[] nlls = new double[n];
        for (int i = 0; i < n; i++) {
            float v = (float) random.nextGaussian();
            nlls[i] = NllQuantileScorer.nll(new float[] {v}, new float[] {0}, new float[] {1});
        }
        return nlls;
    }

    @Test
    void scoresAreTheFractionOfCalibrationEventsThatWereMoreLikely() {
        NllQuantileScorer scorer = NllQuantileScorer.of(NllQuantileScorer.quantilesOf(calibrationNlls(200_000, 1),
                NllQuantileScorer.DEFAULT_QUANTILES));
        // |z| = 1.96: 95% of standard-normal events are closer to the mean
        assertEquals(0.95, scorer.score(new float[] {1.96f}, new float[] {0}, new float[] {1}, new float[0]), 0.005);
        assertEquals(0.0, scorer.score(new float[] {0}, new float[] {0}, new float[] {1}, new float[0]), 0.005);
        assertEquals(1.0, scorer.score(new float[] {9}, new float[] {0}, new float[] {1}, new float[0]));
    }

    @Test
    void aWideForecastOfAnOrdinaryLookingEventStillScoresHigh() {
        NllQuantileScorer scorer = NllQuantileScorer.of(NllQuantileScorer.quantilesOf(calibrationNlls(50_000, 2),
                NllQuantileScorer.DEFAULT_QUANTILES));
        float[] v = {3f};
        float[] mean = {0f};
        float[] wide = {20f}; // z = 0.15: the tail score calls it ordinary
        assertTrue(new GaussianTailScorer().score(v, mean, wide, new float[0]) < 0.2);
        // nll = ½·0.15² + ln 20 ≈ 3.01: as unlikely as |z| ≈ 2.45 under the calibration's forecast, P ≈ 0.986
        assertEquals(0.986, scorer.score(v, mean, wide, new float[0]), 0.004);
    }

    @Test
    void quantilesAreInterpolatedOrderStatistics() {
        double[] nlls = {4, 1, 3, 2};
        assertArrayEquals(new float[] {1, 2, 3, 4}, NllQuantileScorer.quantilesOf(nlls, 4));
        assertArrayEquals(new float[] {1.5f, 3.5f}, NllQuantileScorer.quantilesOf(nlls, 2));
    }

    @Test
    void theModelFilesQuantilesChooseTheScorerAndAModelWithoutThemKeepsTheTailScore() {
        SsmModel plain = RandomModels.create(Arch.LRU, 2, 8, 1, 4, true, 5);
        assertInstanceOf(GaussianTailScorer.class, NllQuantileScorer.forModel(plain, "m"));
        SsmModel calibrated = SsmModel.of(plain.config(), plain.tensors(),
                Map.of(NllQuantileScorer.METADATA_KEY, NllQuantileScorer.toJson(new float[] {-1, 0.5f, 2})));
        AnomalyScorer scorer = NllQuantileScorer.forModel(calibrated, "m");
        assertInstanceOf(NllQuantileScorer.class, scorer);
        assertEquals(0.5, ((NllQuantileScorer) scorer).cdf(0.5), 1e-9);
    }

    @Test
    void malformedQuantilesInAModelFileAreAFormatErrorNamingTheEntry() {
        SsmModel plain = RandomModels.create(Arch.S4D, 1, 8, 1, 4, true, 6);
        String[][] cases = {
            {"[3, 1]", "m: __metadata__[\"ssm_stream.nll_quantiles\"]: quantiles must ascend: 3.0 at 0, then 1.0"},
            {"{\"a\": 1}", "m: __metadata__[\"ssm_stream.nll_quantiles\"] must be a JSON array of numbers"},
            {"[1, \"x\"]", "m: __metadata__[\"ssm_stream.nll_quantiles\"][1] is not a number: \"x\""},
            {"[1]", "m: __metadata__[\"ssm_stream.nll_quantiles\"]: need at least 2 quantiles, got 1"},
        };
        for (String[] c : cases) {
            SsmModel bad = SsmModel.of(plain.config(), plain.tensors(), Map.of(NllQuantileScorer.METADATA_KEY, c[0]));
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> NllQuantileScorer.fromModel(bad, "m"));
            assertEquals(c[1], e.getMessage());
        }
    }
}
