package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.eval.EvalInputException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearAutoregressionTest {

    /** y_t = 0.5 + 1.2 y_{t-1} - 0.5 y_{t-2} + N(0, 0.1²). */
    private static double[] ar2(int n, long seed) {
        Random random = new Random(seed);
        double[] y = new double[n];
        for (int t = 2; t < n; t++) {
            y[t] = 0.5 + 1.2 * y[t - 1] - 0.5 * y[t - 2] + 0.1 * random.nextGaussian();
        }
        return y;
    }

    @Test
    void leastSquaresRecoversTheCoefficientsOfAnAr2Process() {
        double[] y = ar2(20_000, 1);
        LinearAutoregression ar = LinearAutoregression.fit(y, y.length, 2, 4);
        assertEquals(0.5, ar.intercept(), 0.03);
        assertArrayEquals(new double[] {1.2, -0.5}, ar.lagCoefficients(), 0.02);
    }

    @Test
    void forecastsRecursivelyFeedingEachForecastBackAsALag() {
        double[] y = ar2(2_000, 2);
        LinearAutoregression ar = LinearAutoregression.fit(y, 1_500, 3, 5);
        double c = ar.intercept();
        double[] a = ar.lagCoefficients();
        int t = 1_700;
        double[] history = {y[t - 2], y[t - 1], y[t], 0, 0, 0, 0, 0};
        double[] expected = new double[5];
        for (int s = 0; s < 5; s++) {
            int latest = 2 + s;
            history[latest + 1] = c + a[0] * history[latest] + a[1] * history[latest - 1] + a[2] * history[latest - 2];
            expected[s] = history[latest + 1];
        }
        double[] out = new double[5];
        ar.forecast(t, 5, out);
        assertArrayEquals(expected, out, 1e-12);
        // the forecast reads rows up to t only
        y[t + 1] = 1e6;
        double[] again = new double[5];
        ar.forecast(t, 5, again);
        assertArrayEquals(out, again);
    }

    @Test
    void tooFewTrainingRowsForTheLagsIsAUserError() {
        double[] y = ar2(100, 3);
        EvalInputException e = assertThrows(EvalInputException.class, () -> LinearAutoregression.fit(y, 100, 48, 4));
        assertEquals("--ar-lags 48: needs at least 1 lag and 2·(lags+1) = 98 equations, the 100 training rows give 52",
                e.getMessage());
    }
}
