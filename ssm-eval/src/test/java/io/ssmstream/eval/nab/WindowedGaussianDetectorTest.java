package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedGaussianDetectorTest {
    @Test
    void valueFarFromThePastWindowScoresNearOneAndTheFirstRowZero() {
        int n = 300;
        float[] values = new float[n];
        List<String> ts = new ArrayList<>();
        long[] micros = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 2 == 0 ? 1 : -1; // mean 0, deviation 1
            micros[i] = i * 60_000_000L;
            ts.add(Long.toString(i));
        }
        values[250] = 5;
        boolean[] applied = new boolean[n];
        Arrays.fill(applied, true);
        double[] s = new WindowedGaussianDetector().run(new NabSeries("c/f.csv", ts, micros, values), applied).scores();
        assertEquals(0, s[0]);
        // z = 5: 1 - Q(5) = 1 - 2.9e-7
        assertEquals(1 - 2.87e-7, s[250], 1e-8);
        // an ordinary value, |z| = 1: 1 - Q(1) = 0.8413
        assertEquals(0.8413, s[200], 1e-3);
        assertTrue(s[251] < s[250]);
    }
}
