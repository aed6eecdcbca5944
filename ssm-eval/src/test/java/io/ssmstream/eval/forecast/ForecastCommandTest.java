package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.eval.EvalCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = EvalCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** metrics.csv as method -> horizon -> the row's numbers. */
    static Map<String, Map<Integer, double[]>> readMetrics(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertEquals(ForecastReport.CSV_HEADER, lines.get(0));
        Map<String, Map<Integer, double[]>> byMethod = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            double[] numbers = new double[f.length - 2];
            for (int i = 2; i < f.length; i++) {
                numbers[i - 2] = Double.parseDouble(f[i]);
            }
            byMethod.computeIfAbsent(f[1], k -> new HashMap<>()).put(Integer.parseInt(f[0]), numbers);
        }
        return byMethod;
    }

    static void assertPng(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 1000, png + " has " + bytes.length + " bytes");
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3, StandardCharsets.US_ASCII));
    }

    @Test
    @Tag("slow")
    void directHeadAndLinearArBeatPersistenceBeyondOneStepOnADailySineWithArNoise() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 1200, 1);
        Path out = dir.resolve("out");
        Run r = run("eval", "forecast", "--data", csv.toString(), "--target", "load", "--horizons", "1,6,12",
                "--out", out.toString(), "--d-model", "8", "--n-layers", "1", "--d-state", "8", "--window", "96",
                "--epochs", "40", "--patience", "8", "--lr", "1e-2", "--max-minutes", "1", "--ar-lags", "24",
                "--threads", "1");
        assertEquals(0, r.exit(), r.err());

        Map<String, Map<Integer, double[]>> m = readMetrics(out.resolve("metrics.csv"));
        assertEquals(List.of("NLinear(236)", "linear AR(24)", "ours", "persistence", "seasonal naive"),
                m.keySet().stream().sorted().toList(), "NLinear's lookback: (720 training rows - 12 + 1) / 3");
        // 240 test rows: 240 - h + 1 origins per horizon
        assertEquals(229, (int) m.get("ours").get(12)[0]);
        for (int h : new int[] {6, 12}) {
            double persistence = m.get("persistence").get(h)[1];
            assertTrue(m.get("ours").get(h)[1] < persistence,
                    "ours MSE at " + h + " " + m.get("ours").get(h)[1] + " vs persistence " + persistence);
            assertTrue(m.get("linear AR(24)").get(h)[1] < persistence,
                    "AR MSE at " + h + " " + m.get("linear AR(24)").get(h)[1] + " vs persistence " + persistence);
        }
        // at one step ahead the mean over 1..h is the error at h
        assertEquals(m.get("ours").get(1)[1], m.get("ours").get(1)[3], 1e-9);

        assertTrue(r.out().contains("direct head for steps 1..12 (42 modes, season 24)"), r.out());
        assertTrue(r.out().contains("MSE 1..h"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("12  seasonal naive")), r.out());
        assertPng(out.resolve("forecast.png"));
        assertTrue(Files.size(out.resolve("model.safetensors")) > 0);
    }

    @Test
    void unknownTargetColumnIsAOneLineUserErrorNamingTheColumns() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 200, 2);
        Run r = run("eval", "forecast", "--data", csv.toString(), "--target", "OT", "--out", dir.toString());
        assertEquals(EvalCli.EXIT_USER_ERROR, r.exit());
        assertEquals("ssm-stream: error: " + csv + ": no column \"OT\"; value columns: load, temp", r.err().strip());
    }

    @Test
    void horizonLongerThanTheTestPartIsAUserError() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 200, 3);
        Run r = run("eval", "forecast", "--data", csv.toString(), "--target", "load", "--horizons", "1,96",
                "--out", dir.toString());
        assertEquals(EvalCli.EXIT_USER_ERROR, r.exit());
        assertEquals("ssm-stream: error: --horizons: 96 is longer than the 40 test rows", r.err().strip());
    }

    @Test
    void badSplitAndBadOptionsAreOneLineUserErrors() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 200, 4);
        String[][] cases = {
            {"--split", "0.7,0.2"},
            {"--split", "150,40,40"},
            {"--inputs", "some"},
            {"--horizons", "0,4"},
            {"--arch", "transformer"},
            {"--ar-lags", "80"},
            {"--forecaster", "both"},
            {"--differences", "--forecaster=direct"},
            {"--nlinear-lookback", "1"},
        };
        for (String[] c : cases) {
            Run r = run("eval", "forecast", "--data", csv.toString(), "--target", "load", "--horizons", "1,4",
                    "--out", dir.toString(), c[0], c[1]);
            assertEquals(EvalCli.EXIT_USER_ERROR, r.exit(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("ssm-stream: error: " + c[0]), r.err());
        }
    }
}
