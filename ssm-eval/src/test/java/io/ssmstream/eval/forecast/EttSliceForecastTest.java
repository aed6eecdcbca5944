package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command on the first 1500 rows of ETTh1, read in place (the data's licence forbids copies). */
class EttSliceForecastTest {
    /** ../shared/data from the repository root; tests run in the module's directory. */
    static final Path ETTH1 = Path.of("../../shared/data/ett/ETTh1.csv");

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void evaluatesAllMethodsOnASliceOfEtth1WithAllColumnsAsDifferencedInputsAndTwoRestarts() throws IOException {
        assumeTrue(Files.isRegularFile(ETTH1), ETTH1.toAbsolutePath() + " is absent: skipping the ETTh1 slice");
        Path out = dir.resolve("out");
        ForecastCommandTest.Run r = ForecastCommandTest.run("eval", "forecast", "--data", ETTH1.toString(),
                "--target", "OT", "--rows", "1500", "--horizons", "1,24,48", "--inputs", "all", "--forecaster", "rollout", "--differences", "--out",
                out.toString(), "--d-model", "8", "--n-layers", "1", "--d-state", "8", "--window", "128",
                "--epochs", "2", "--restarts", "2", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("ETTh1.csv, target OT, model inputs: HUFL,HULL,MUFL,MULL,LUFL,LULL,OT (first differences)"),
                r.out());
        assertTrue(r.out().contains("rows: train [0, 900), validation [900, 1200), test [1200, 1500)"), r.out());
        assertTrue(r.out().contains("(lowest validation rollout MSE 1..48 of 2 restarts: "), r.out());
        assertEquals(2, r.err().lines().filter(l -> l.matches("seed [01]: validation NLL .*")).count(), r.err());

        Map<String, Map<Integer, double[]>> m = ForecastCommandTest.readMetrics(out.resolve("metrics.csv"));
        assertEquals(5, m.size());
        for (Map<Integer, double[]> byHorizon : m.values()) {
            assertEquals(3, byHorizon.size());
            assertEquals(300 - 48 + 1, (int) byHorizon.get(48)[0]);
            for (double[] row : byHorizon.values()) {
                for (int i = 1; i < row.length; i++) {
                    assertTrue(Double.isFinite(row[i]) && row[i] >= 0, "metric " + row[i]);
                }
            }
        }
        ForecastCommandTest.assertPng(out.resolve("forecast.png"));
    }
}
