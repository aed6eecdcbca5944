package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ssmstream.eval.EvalCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssm-stream eval nab} on a CI slice of nab-dev: two files, truncated. */
class NabCommandTest {
    /** From the module's folder, where Surefire runs. */
    static final Path NAB_DEV = Path.of("../../shared/data/nab-dev");
    private static final String[] FILES = {"realKnownCause/nyc_taxi.csv", "realAdExchange/exchange-2_cpc_results.csv"};
    private static final int ROWS = 1200;

    @TempDir
    Path out;

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int exit = EvalCli.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Tag("slow")
    void sliceWritesNabsLayoutPlotsAndPrintsTheTable() throws Exception {
        assumeTrue(Files.isDirectory(NAB_DEV), "NAB data absent (" + NAB_DEV.toAbsolutePath() + "): skipped");
        Run r = run("eval", "nab", "--data", NAB_DEV.toString(), "--out", out.toString(),
                "--files", "{" + String.join(",", FILES) + "}", "--max-rows", Integer.toString(ROWS),
                "--train-minutes", "0.1");
        assertEquals(0, r.exit(), r.stderr());
        for (String f : FILES) {
            List<String> input = Files.readAllLines(NAB_DEV.resolve("data").resolve(f)).subList(1, ROWS + 1);
            for (Path csv : List.of(out.resolve(f), out.resolve("peers/random-cut-forest").resolve(f),
                    out.resolve("peers/windowed-gaussian").resolve(f))) {
                List<String> lines = Files.readAllLines(csv);
                assertEquals(ResultsCsv.HEADER, lines.get(0));
                assertEquals(ROWS, lines.size() - 1, csv.toString());
                for (int i = 0; i < ROWS; i++) {
                    assertEquals(input.get(i).split(",")[0], lines.get(i + 1).split(",")[0]);
                    double score = Double.parseDouble(lines.get(i + 1).split(",")[2]);
                    assertTrue(score >= 0 && score <= 1, csv + " row " + i + ": " + score);
                }
            }
            Path png = out.resolve("plots").resolve(f.replace(".csv", ".png"));
            assertTrue(Files.size(png) > 10_000, png + " is a plot");
        }
        assertTrue(r.stdout().contains("NAB normalised scores on 2 files"), r.stdout());
        for (String row : List.of("ssm-mamba+likelihood", "random-cut-forest", "random-cut-forest-grade",
                "windowed-gaussian")) {
            assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith(row)), row + " in\n" + r.stdout());
        }
        for (String profile : List.of("standard", "reward_low_FP_rate", "reward_low_FN_rate")) {
            assertTrue(r.stdout().contains(profile), r.stdout());
        }
        assertEquals(1 + 4 * 3, Files.readAllLines(out.resolve("scores.csv")).size());
    }

    @Test
    @Tag("slow")
    void retrainingRunWritesOneScoreForEveryRow() throws Exception {
        assumeTrue(Files.isDirectory(NAB_DEV), "NAB data absent (" + NAB_DEV.toAbsolutePath() + "): skipped");
        Run r = run("eval", "nab", "--data", NAB_DEV.toString(), "--out", out.toString(), "--files", FILES[0],
                "--max-rows", "1000", "--train-minutes", "0.05", "--retrain-every", "300", "--no-peers",
                "--model-cache", out.resolve("models").toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(1001, Files.readAllLines(out.resolve(FILES[0])).size());
        try (var models = Files.walk(out.resolve("models"))) {
            // the probationary model and fine-tunings at rows 450 and 750 (probation 150, every 300)
            assertEquals(3, models.filter(p -> p.toString().endsWith(".safetensors")).count());
        }
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("ssm-mamba+likelihood")), r.stdout());
        assertTrue(r.stdout().lines().noneMatch(l -> l.startsWith("random-cut-forest")), r.stdout());
    }

    @Test
    void oneBadFileIsReportedAndTheOthersAreScored() throws Exception {
        Path data = out.resolve("nab");
        StringBuilder good = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 400; i++) {
            good.append(String.format(java.util.Locale.ROOT, "2014-01-%02d %02d:%02d:00,%.3f%n", 1 + i / 288,
                    i % 288 / 12, i % 12 * 5, Math.sin(i / 10.0)));
        }
        Files.createDirectories(data.resolve("data/cat"));
        Files.createDirectories(data.resolve("labels"));
        Files.writeString(data.resolve("data/cat/good.csv"), good);
        Files.writeString(data.resolve("data/cat/bad.csv"), "timestamp,value\n2014-01-01 00:00:00,oops\n");
        Files.writeString(data.resolve("labels/combined_windows.json"),
                "{\"cat/good.csv\": [], \"cat/bad.csv\": []}");

        Run r = run("eval", "nab", "--data", data.toString(), "--out", out.resolve("results").toString(),
                "--no-peers", "--train-minutes", "0.02");

        assertEquals(EvalCli.EXIT_FILES_FAILED, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("ssm-stream: cat/bad.csv: "), r.stderr());
        assertTrue(r.stderr().contains("1 of 2 files failed"), r.stderr());
        assertTrue(r.stdout().contains("NAB normalised scores on 1 files"), r.stdout());
        assertEquals(401, Files.readAllLines(out.resolve("results/cat/good.csv")).size());
    }

    @Test
    void missingDataDirectoryIsAOneLineUserError() {
        Run r = run("eval", "nab", "--data", out.resolve("nowhere").toString(), "--out", out.toString());
        assertEquals(EvalCli.EXIT_USER_ERROR, r.exit());
        assertEquals("ssm-stream: error: --data " + out.resolve("nowhere") + ": not a directory", r.stderr().strip());
    }

    @Test
    void unknownProfileIsAOneLineUserError() {
        assumeTrue(Files.isDirectory(NAB_DEV), "NAB data absent (" + NAB_DEV.toAbsolutePath() + "): skipped");
        Run r = run("eval", "nab", "--data", NAB_DEV.toString(), "--out", out.toString(), "--profile", "lenient");
        assertEquals(EvalCli.EXIT_USER_ERROR, r.exit());
        assertTrue(r.stderr().strip().startsWith("ssm-stream: error: --profile lenient: unknown; known: [standard"),
                r.stderr());
    }
}
