package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForecastEvaluationTest {
    private final TimeSplit split = new TimeSplit(60, 80, 100); // 20 test rows

    private static ForecastEvaluation.Score find(ForecastEvaluation.Result r, String method, int h) {
        return r.scores().stream().filter(s -> s.method().equals(method) && s.horizon() == h).findFirst()
                .orElseThrow();
    }

    @Test
    void persistenceOnARampErrsByTheStepsAheadAtEveryOrigin() {
        double[] ramp = new double[120];
        for (int t = 0; t < ramp.length; t++) {
            ramp[t] = t;
        }
        ForecastEvaluation.Result r = ForecastEvaluation.run(List.of(new Persistence(ramp)), ramp, split,
                new int[] {1, 4}, 0);
        ForecastEvaluation.Score h4 = find(r, "persistence", 4);
        assertEquals(17, h4.origins()); // origins 79..95: their forecasts 1..4 all fall in rows 80..99
        assertEquals(16, h4.mseAt(), 1e-9);
        assertEquals(4, h4.maeAt(), 1e-9);
        assertEquals((1 + 4 + 9 + 16) / 4.0, h4.mseMean(), 1e-9);
        assertEquals((1 + 2 + 3 + 4) / 4.0, h4.maeMean(), 1e-9);
        assertEquals(20, find(r, "persistence", 1).origins());
    }

    @Test
    void seasonalNaiveIsExactOnAPurelyPeriodicSeries() {
        double[] periodic = new double[120];
        for (int t = 0; t < periodic.length; t++) {
            periodic[t] = Math.sin(2 * Math.PI * t / 6);
        }
        ForecastEvaluation.Result r = ForecastEvaluation.run(List.of(new SeasonalNaive(periodic, 6),
                new Persistence(periodic)), periodic, split, new int[] {3, 13}, 0);
        assertEquals(0, find(r, "seasonal naive", 13).mseMean(), 1e-12);
        assertEquals(0, find(r, "seasonal naive", 3).maeAt(), 1e-6);
        assertEquals(8, find(r, "seasonal naive", 13).origins());
    }

    @Test
    void plotKeepsConsecutivePathsFromOriginsHMaxApart() {
        double[] ramp = new double[120];
        for (int t = 0; t < ramp.length; t++) {
            ramp[t] = t;
        }
        ForecastEvaluation.Result r = ForecastEvaluation.run(List.of(new Persistence(ramp)), ramp, split,
                new int[] {5}, 10);
        ForecastEvaluation.PlotPaths plot = r.plot();
        assertEquals(79, plot.first());
        assertEquals(5, plot.length());
        // 20 test rows hold 4 paths of 5: from origins 79, 84, 89, 94
        double[] expected = new double[20];
        for (int i = 0; i < 20; i++) {
            expected[i] = 79 + 5 * (i / 5);
        }
        assertArrayEquals(expected, plot.paths().get(0));
    }
}
