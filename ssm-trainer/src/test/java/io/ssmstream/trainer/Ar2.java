package io.ssmstream.trainer;

import java.util.List;
import java.util.Random;

/** A synthetic AR(2) series x_k = φ1 x_{k-1} + φ2 x_{k-2} + ε_k, ε ~ N(0, σ²), plus an offset, one per second. */
final class Ar2 {
    static final double PHI1 = 1.5;
    static final double PHI2 = -0.75;

    private Ar2() {
    }

    static EventSeries series(int n, double sigma, long seed) {
        Random r = new Random(seed);
        long[] micros = new long[n];
        float[] values = new float[n];
        double x1 = 0;
        double x2 = 0;
        for (int k = -200; k < n; k++) { // 200 steps to forget the start
            double x = PHI1 * x1 + PHI2 * x2 + sigma * r.nextGaussian();
            x2 = x1;
            x1 = x;
            if (k >= 0) {
                micros[k] = 1_700_000_000_000_000L + k * 1_000_000L;
                values[k] = (float) (20 + x);
            }
        }
        return new EventSeries("ar2", List.of("value"), micros, values);
    }

    static String csv(EventSeries s) {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int k = 0; k < s.size(); k++) {
            b.append(s.micros()[k] / 1000).append(',').append(s.values()[k]).append('\n');
        }
        return b.toString();
    }
}
