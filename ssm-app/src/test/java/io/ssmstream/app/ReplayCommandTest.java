package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.time.TimestampParser;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplayCommandTest {
    private static final String HEADER = "timestamp,a,b\n";
    private static final String GOOD = HEADER
            + "2024-01-01 00:00:00,1.50,-2\n"
            + "2024-01-01 00:01:00,1.75,-1.5\n"
            + "2024-01-01 00:03:30.250001,+2,1e0\n"
            + "2024-01-01 00:03:30.250001,2.5,0\n"
            + "2024-01-01 01:00:00,3,0.25\n";

    @TempDir
    Path dir;
    Path modelFile;
    SsmModel model;

    @BeforeEach
    void writeModel() throws IOException {
        ModelConfig config = ModelConfig.builder(Arch.MAMBA, 2).dModel(8).nLayers(2).dState(4).dtUnitMs(60_000)
                .inputMean(new float[] {2f, -0.5f}).inputStd(new float[] {0.5f, 1.5f}).build();
        modelFile = dir.resolve("model.safetensors");
        ModelInitializer.initialize(config, 7).save(modelFile);
        model = SsmModel.load(modelFile);
    }

    private Path csv(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    /** Forecasts and stds as the runner gives them directly, Float.toString'd, for rows "ts,v1,v2,...". */
    private List<String[]> expectedForecasts(List<String> rows) {
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.get());
        StreamState state = StreamState.zeros(model);
        int d = model.config().dInput();
        float[] mean = new float[d];
        float[] std = new float[d];
        List<String[]> expected = new ArrayList<>();
        long previous = 0;
        for (int r = 0; r < rows.size(); r++) {
            String[] fields = rows.get(r).split(",");
            long micros = TimestampParser.parseMicros(fields[0]);
            float[] values = new float[d];
            for (int k = 0; k < d; k++) {
                values[k] = Float.parseFloat(fields[1 + k]);
            }
            float tau = r == 0 ? TimeGap.FIRST_EVENT : TimeGap.tau(previous, micros, model.config().dtUnitMs());
            previous = micros;
            runner.step(state, values, tau, mean, std);
            String[] row = new String[2 * d];
            for (int k = 0; k < d; k++) {
                row[k] = Float.toString(mean[k]);
                row[d + k] = Float.toString(std[k]);
            }
            expected.add(row);
        }
        return expected;
    }

    private static List<String> dataRows(String csv) {
        return csv.lines().skip(1).filter(l -> !l.isBlank()).toList();
    }

    @Test
    void writesHeaderAndOneRowPerInputRowToStdout() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        List<String> lines = run.outLines();
        assertEquals("timestamp,a,b,a_forecast,b_forecast,a_std,b_std", lines.get(0));
        assertEquals(6, lines.size(), run::toString);
    }

    @Test
    void copiesTimestampAndValuesVerbatim() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        List<String> inputRows = dataRows(GOOD);
        for (int r = 0; r < inputRows.size(); r++) {
            assertTrue(run.outLines().get(1 + r).startsWith(inputRows.get(r) + ","), run.outLines().get(1 + r));
        }
    }

    @Test
    void firstRowForecastEqualsTheRunnerDirectly() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        String[] first = run.outLines().get(1).split(",");
        String[] expected = expectedForecasts(dataRows(GOOD)).get(0);
        assertEquals(List.of(expected), List.of(first).subList(3, 7));
    }

    @Test
    void everyRowMatchesTheRunnerWithIrregularGapsAndMicroseconds() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        List<String[]> expected = expectedForecasts(dataRows(GOOD));
        for (int r = 0; r < expected.size(); r++) {
            String[] got = run.outLines().get(1 + r).split(",");
            assertEquals(Arrays.asList(expected.get(r)), Arrays.asList(got).subList(3, 7), "row " + r);
        }
    }

    @Test
    void aGapLongerThanTheIdleTtlStartsTheStreamOverAndOneOfExactlyTheTtlDoesNot() throws IOException {
        List<String> before = List.of("2024-01-01 00:00:00,1.5,-2", "2024-01-01 00:01:00,1.75,-1.5");
        List<String> after = List.of("2024-01-01 02:01:00,2,1", "2024-01-01 03:01:00,2.5,0",
                "2024-01-01 03:02:00,3,0.25");
        List<String> rows = new ArrayList<>(before);
        rows.addAll(after); // gaps: 2 hours (over the TTL), then 1 hour (the TTL)
        Path in = csv("in.csv", HEADER + String.join("\n", rows) + "\n");
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--idle-ttl", "1h");
        assertEquals(0, run.exitCode(), run::toString);
        List<String[]> expected = new ArrayList<>(expectedForecasts(before));
        expected.addAll(expectedForecasts(after));
        for (int r = 0; r < expected.size(); r++) {
            String[] got = run.outLines().get(1 + r).split(",");
            assertEquals(Arrays.asList(expected.get(r)), Arrays.asList(got).subList(3, 7), "row " + r);
        }
        assertTrue(run.err().contains("1 restart after gaps over --idle-ttl"), run::toString);
    }

    @Test
    void theDefaultIdleTtlIsSevenDays() throws IOException {
        List<String> rows = List.of("2024-01-01 00:00:00,1.5,-2", "2024-01-08 00:00:00,1.75,-1.5",
                "2024-01-15 00:00:01,2,1");
        Path in = csv("in.csv", HEADER + String.join("\n", rows) + "\n");
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        List<String[]> expected = new ArrayList<>(expectedForecasts(rows.subList(0, 2)));
        expected.addAll(expectedForecasts(rows.subList(2, 3)));
        for (int r = 0; r < expected.size(); r++) {
            String[] got = run.outLines().get(1 + r).split(",");
            assertEquals(Arrays.asList(expected.get(r)), Arrays.asList(got).subList(3, 7), "row " + r);
        }
    }

    @Test
    void aZeroIdleTtlFailsWithOneLine() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--idle-ttl", "0s");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("--idle-ttl must be positive"), run::toString);
    }

    @Test
    void outputFileHasTheSameContentAndNoTemporaryFileIsLeft() throws IOException {
        Path in = csv("in.csv", GOOD);
        Path out = dir.resolve("out.csv");
        CliRun toStdout = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        CliRun toFile = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(0, toFile.exitCode(), toFile::toString);
        assertEquals("", toFile.out(), "stdout stays empty with --output");
        assertEquals(toStdout.out(), Files.readString(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void summaryLineOnStderrNamesRowsAndKernels() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString());
        assertEquals(1, run.errLines().size(), run::toString);
        String summary = run.errLines().get(0);
        assertTrue(summary.contains("5 rows") && summary.contains("0 skipped")
                && summary.contains("no gap over --idle-ttl")
                && summary.contains("kernels " + KernelOpsProvider.get().name()) && summary.contains("events/s"), summary);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "too few columns|2024-01-01 00:00:00,1\\n|line 2|2 columns but expected 3|d_input=2",
        "too many columns|2024-01-01 00:00:00,1,2,3\\n|line 2|4 columns but expected 3|d_input=2",
        "not a number|2024-01-01 00:00:00,1,2\\n2024-01-01 00:01:00,1,abc\\n|line 3|column \"b\"|\"abc\" is not a number",
        "empty value|2024-01-01 00:00:00,,2\\n|line 2|column \"a\" is empty|",
        "NaN|2024-01-01 00:00:00,NaN,2\\n|line 2|column \"a\"|not finite",
        "infinity|2024-01-01 00:00:00,1,-Infinity\\n|line 2|column \"b\"|not finite",
        "overflow|2024-01-01 00:00:00,1e39,2\\n|line 2|column \"a\"|out of float range",
        "bad timestamp|2024-01-01 00:00:00,1,2\\n2024-01-01 25:00:00,1,2\\n|line 3|unparsable timestamp \"2024-01-01 25:00:00\"|",
        "backwards|2024-01-01 00:05:00,1,2\\n2024-01-01 00:04:59,1,2\\n|line 3|\"2024-01-01 00:04:59\"|\"2024-01-01 00:05:00\"",
        "blank lines count|2024-01-01 00:00:00,1,2\\n\\n\\n2024-01-01 00:01:00,x,2\\n|line 5|column \"a\"|",
    })
    void badRowFailsWithOneLineNamingFileLineAndProblem(String name, String rows, String line, String problem,
                                                       String detail) throws IOException {
        Path in = csv("bad-input.csv", HEADER + rows.replace("\\n", "\n"));
        Path out = dir.resolve("out.csv");
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        String message = run.errLines().get(0);
        assertTrue(message.startsWith("ssm-stream: error: "), message);
        assertTrue(message.contains("bad-input.csv"), message);
        assertTrue(message.contains(line + ":"), message);
        assertTrue(message.contains(problem), message);
        if (detail != null) {
            assertTrue(message.contains(detail), message);
        }
        assertFalse(Files.exists(out), "no output file after a failed run");
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty file||empty file",
        "header only blank lines|\\n\\n|empty file",
        "missing header|2024-01-01 00:00:00,1,2\\n2024-01-01 00:01:00,1,2\\n|line 1: missing header",
        "header with too few columns|timestamp,a\\n2024-01-01 00:00:00,1\\n|line 1: the header has 2 columns but the model needs 3",
        "header with too many columns|timestamp,a,b,c\\n|line 1: the header has 4 columns",
    })
    void badFileFailsEvenWithSkipBad(String name, String content, String problem) throws IOException {
        Path in = csv("bad-file.csv", content == null ? "" : content.replace("\\n", "\n"));
        for (String[] extra : new String[][] {{}, {"--skip-bad"}}) {
            List<String> args = new ArrayList<>(List.of("replay", "--model", modelFile.toString(), "--input",
                    in.toString()));
            args.addAll(List.of(extra));
            CliRun run = CliRun.plain(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals(List.of(), run.outLines(), "nothing on stdout: the header is checked before writing");
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(run.err().contains("bad-file.csv") && run.err().contains(problem), run::toString);
        }
    }

    @Test
    void failedRunKeepsAnExistingOutputFile() throws IOException {
        Path in = csv("in.csv", HEADER + "2024-01-01 00:00:00,1,2\n2024-01-01 00:00:01,oops,2\n");
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "previous results\n");
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--output", out.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("previous results\n", Files.readString(out));
    }

    @Test
    void skipBadSkipsBadRowsReportsThemAndExitsZero() throws IOException {
        String content = HEADER
                + "2024-01-01 00:00:00,1,2\n"       // line 2
                + "2024-01-01 00:01:00,x,2\n"       // line 3: not a number
                + "2024-01-01 00:02:00,1.5,2.5\n"   // line 4
                + "2024-01-01 00:01:30,1,2\n"       // line 5: backwards
                + "2024-01-01 00:03:00,1,2,3\n"     // line 6: column count
                + "2024-01-01 00:04:00,NaN,2\n"     // line 7: not finite
                + "2024-01-01 00:05:00,2,3\n";      // line 8
        Path in = csv("in.csv", content);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(), "--skip-bad");
        assertEquals(0, run.exitCode(), run::toString);
        List<String> good = List.of("2024-01-01 00:00:00,1,2", "2024-01-01 00:02:00,1.5,2.5",
                "2024-01-01 00:05:00,2,3");
        assertEquals(1 + good.size(), run.outLines().size(), run::toString);
        List<String[]> expected = expectedForecasts(good);
        for (int r = 0; r < good.size(); r++) {
            String[] got = run.outLines().get(1 + r).split(",");
            assertEquals(good.get(r), String.join(",", Arrays.asList(got).subList(0, 3)));
            assertEquals(Arrays.asList(expected.get(r)), Arrays.asList(got).subList(3, 7),
                    "skipped rows do not touch the state, row " + r);
        }
        assertEquals(2, run.errLines().size(), run::toString);
        String report = run.errLines().get(0);
        assertTrue(report.contains("skipped 4 bad rows") && report.contains("in.csv"), report);
        assertTrue(report.contains("line 3: column \"b\"") || report.contains("line 3: column \"a\""), report);
        assertTrue(report.contains("line 5: timestamp \"2024-01-01 00:01:30\" goes backwards"), report);
        assertTrue(report.contains("line 6: 4 columns"), report);
        assertTrue(report.contains("first " + ReplayCommand.REASONS_SHOWN + " shown"), report);
        assertFalse(report.contains("line 7"), "only the first reasons are quoted: " + report);
        assertTrue(run.errLines().get(1).contains("3 rows, 4 skipped"), run.errLines().get(1));
    }

    @Test
    void truncatedModelFileFailsWithOneLine() throws IOException {
        byte[] bytes = Files.readAllBytes(modelFile);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", truncated.toString(), "--input", in.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("ssm-stream: error: ") && run.err().contains("truncated.safetensors"),
                run::toString);
        assertEquals("", run.out());
    }

    @Test
    void fileThatIsNotAModelFailsWithOneLine() throws IOException {
        Path notModel = csv("not-a-model.safetensors", GOOD);
        CliRun run = CliRun.plain("replay", "--model", notModel.toString(), "--input", notModel.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("not-a-model.safetensors"), run::toString);
    }

    @Test
    void missingModelFileFailsWithOneLine() {
        CliRun run = CliRun.plain("replay", "--model", dir.resolve("nope.safetensors").toString(),
                "--input", dir.resolve("in.csv").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("nope.safetensors") && run.err().contains("no such file"), run::toString);
    }

    @Test
    void missingInputFileFailsWithOneLine() {
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(),
                "--input", dir.resolve("missing.csv").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("missing.csv") && run.err().contains("no such file"), run::toString);
    }

    @Test
    void outputIntoMissingDirectoryFailsWithOneLine() throws IOException {
        Path in = csv("in.csv", GOOD);
        CliRun run = CliRun.plain("replay", "--model", modelFile.toString(), "--input", in.toString(),
                "--output", dir.resolve("no-such-dir/out.csv").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("no-such-dir") && run.err().contains("does not exist"), run::toString);
    }

    @Test
    void missingRequiredOptionIsOneLineWithExitTwo() {
        CliRun run = CliRun.main("replay", "--model", modelFile.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("ssm-stream: error: Missing required option: '--input=FILE'"), run::toString);
    }
}
