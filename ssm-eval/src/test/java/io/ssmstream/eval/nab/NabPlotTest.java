package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabPlotTest {
    private static final long MINUTE = 60_000_000L;

    @Test
    void seriesWithBackwardTimestampIsPlotted(@TempDir Path dir) {
        long[] micros = {0, 5 * MINUTE, 10 * MINUTE, -50 * MINUTE, -45 * MINUTE, 15 * MINUTE};
        float[] values = {1, 2, 3, 4, 5, 6};
        List<String> timestamps = List.of("a", "b", "c", "d", "e", "f");
        NabSeries series = new NabSeries("backward.csv", timestamps, micros, values);
        double[] scores = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
        float[] mean = {Float.NaN, 1, 2, 3, 4, 5};
        float[] std = {Float.NaN, 1, 1, 1, 1, 1};
        NabDetector.Output ours = new NabDetector.Output(scores, mean, std, 0, values.length, 0);
        double[] unweighted = {0, 0, 1, 1, 0, 0};
        NabScorer.Sweep sweep = new NabScorer.Sweep("backward.csv", scores, unweighted,
            new int[] {-1, -1, 0, 0, -1, -1}, new int[] {2});
        Map<String, double[]> byDetector = new LinkedHashMap<>();
        byDetector.put("ssm", scores);

        Path png = dir.resolve("plots").resolve("backward.png");
        NabPlot.write(png, series, ours, byDetector, sweep, series.applied());

        assertTrue(Files.isRegularFile(png), "plot written");
    }
}
