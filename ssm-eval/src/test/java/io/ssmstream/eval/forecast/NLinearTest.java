package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.eval.EvalInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NLinearTest {

    @Test
    void aRepeatingSeriesIsForecastWithinItsNoiseAtALevelTrainingNeverSaw() {
        int period = 10;
        double[] y = new double[1_000];
        Random random = new Random(3);
        double[] cycle = new double[period];
        for (int i = 0; i < period; i++) {
            cycle[i] = random.nextGaussian();
        }
        for (int t = 0; t < y.length; t++) {
            y[t] = cycle[t % period] + 0.01 * random.nextGaussian() + (t >= 700 ? 5 : 0); // a new level from row 700
        }
        NLinear model = NLinear.fit(y, 600, 2 * period, 15);
        double[] out = new double[15];
        double worst = 0;
        for (int t = 720; t < 800; t++) {
            model.forecast(t, 15, out);
            for (int j = 0; j < 15; j++) {
                worst = Math.max(worst, Math.abs(out[j] - y[t + 1 + j]));
            }
        }
        assertTrue(worst < 0.1, "largest error " + worst + " with noise of std 0.01");
    }

    @Test
    void tooFewTrainingRowsForTheLookbackIsAUserError() {
        EvalInputException e = assertThrows(EvalInputException.class, () -> NLinear.fit(new double[500], 400,
                336, 96));
        assertEquals("--nlinear-lookback 336: needs at least 2 rows and 2·L = 672 training origins with 96 rows"
                + " after them, the 400 training rows give 0", e.getMessage());
    }

    @Test
    void refusesMoreStepsThanItWasFittedFor() {
        double[] y = new double[300];
        for (int t = 0; t < y.length; t++) {
            y[t] = Math.sin(t / 3.0);
        }
        NLinear model = NLinear.fit(y, 300, 8, 4);
        assertThrows(IllegalArgumentException.class, () -> model.forecast(100, 5, new double[5]));
    }
}
