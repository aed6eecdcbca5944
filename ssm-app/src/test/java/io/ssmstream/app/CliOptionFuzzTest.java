package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.Fuzz;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The file-level commands ({@code init}, {@code replay}) under random option lists drawn from their own picocli
 * specs, so that a new option is fuzzed as soon as it exists: each option present or not, its value from a pool of
 * good, edge and bad values for its type (numbers out of range, NaN, garbage, missing files, directories, corrupt
 * models), sometimes an unknown option. Property: the command succeeds (exit 0) or reports a user error (exit 2)
 * as one {@code ssm-stream: error:} line without a stack trace; never an internal error or an exception.
 */
class CliOptionFuzzTest {
    private static final int TRIES = 300; // each try may write a model file

    private static final List<String> INTEGERS = List.of("1", "2", "3", "8", "0", "-1", "17", "2147483648", "abc",
            "", "4.5", "65536");
    private static final List<String> NUMBERS = List.of("1000", "0.5", "0", "-5", "NaN", "Infinity", "1e308", "x",
            "");
    private static final List<String> BOOLEANS = List.of("true", "false", "maybe", "");
    private static final List<String> LISTS = List.of("1", "1,2", "0,-1", "NaN", "a,b", "", "1e39", "3,4,5");
    private static final List<String> ARCHES = List.of("mamba", "s4d", "s4", "lssl", "lru", "s5", "mamba2",
            "spacetime", "MAMBA", "transformer", "");
    private static final List<String> DURATIONS = List.of("7d", "1h", "30s", "0s", "-1d", "soon", "");

    @TempDir
    Path dir;

    private final Map<String, List<String>> paths = new HashMap<>();

    @BeforeEach
    void files() throws IOException {
        Path model = dir.resolve("model.safetensors");
        CliRun init = CliRun.main("init", "--arch", "mamba", "--d-input", "1", "--d-model", "8", "--d-state", "4",
                "--out", model.toString());
        assertTrue(init.exitCode() == 0, init.toString());
        Path corruptModel = dir.resolve("corrupt.safetensors");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corruptModel, Arrays.copyOf(bytes, bytes.length / 2));
        Path series = dir.resolve("series.csv");
        Files.write(series, Fuzz.firstLines(Path.of("../examples/machine-temperature.csv"), 40));
        Path twoColumns = dir.resolve("two.csv");
        Files.writeString(twoColumns, "timestamp,a,b\n2024-01-01 00:00:00,1,2\n2024-01-01 00:01:00,3,x\n",
                StandardCharsets.UTF_8);
        Path missing = dir.resolve("missing/none.csv");
        Files.createDirectories(dir.resolve("sub"));
        paths.put("--model", List.of(model.toString(), corruptModel.toString(), series.toString(), missing.toString(),
                dir.toString(), ""));
        paths.put("--input", List.of(series.toString(), twoColumns.toString(), model.toString(), missing.toString(),
                dir.toString(), ""));
        paths.put("--output", List.of(dir.resolve("out.csv").toString(), dir.resolve("sub").toString(),
                missing.toString(), ""));
        paths.put("--out", List.of(dir.resolve("new.safetensors").toString(), model.toString(),
                dir.resolve("sub").toString(), missing.toString(), ""));
    }

    @Test
    void initUnderRandomOptionsSucceedsOrReportsOneErrorLine() {
        Fuzz.check(20261207, TRIES, r -> arguments("init", r), CliOptionFuzzTest::succeedsOrReportsUserError);
    }

    @Test
    void replayUnderRandomOptionsSucceedsOrReportsOneErrorLine() {
        Fuzz.check(20261208, TRIES, r -> arguments("replay", r), CliOptionFuzzTest::succeedsOrReportsUserError);
    }

    private List<String> arguments(String command, Random r) {
        List<String> args = new ArrayList<>(List.of(command));
        List<OptionSpec> options = SsmStreamCli.newCommandLine().getSubcommands().get(command).getCommandSpec()
                .options();
        for (OptionSpec o : options) {
            if (o.usageHelp() || o.versionHelp() || r.nextInt(o.required() ? 12 : 2) == 0) {
                continue; // a required option is left out now and then
            }
            args.add(o.longestName());
            if (o.arity().max() > 0) {
                args.add(value(o, r));
            }
        }
        if (r.nextInt(10) == 0) {
            args.add(1 + r.nextInt(args.size()), "--no-such-option");
        }
        return args;
    }

    private String value(OptionSpec o, Random r) {
        List<String> pool = paths.get(o.longestName());
        if (pool == null) {
            Class<?> type = o.type();
            if (o.longestName().equals("--arch")) {
                pool = ARCHES;
            } else if (type.isArray() || List.class.isAssignableFrom(type)) {
                pool = LISTS;
            } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                pool = INTEGERS;
            } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
                pool = NUMBERS;
            } else if (type == boolean.class || type == Boolean.class) {
                pool = BOOLEANS;
            } else if (type == Duration.class) {
                pool = DURATIONS;
            } else {
                throw new AssertionError("no value pool for " + o.longestName() + " of " + type
                        + ": add one to this test");
            }
        }
        return pool.get(r.nextInt(pool.size()));
    }

    private static void succeedsOrReportsUserError(List<String> args) {
        CliRun run = CliRun.main(args.toArray(String[]::new));
        String what = String.join(" ", args) + "\n" + run;
        assertTrue(run.exitCode() == SsmStreamCli.EXIT_OK || run.exitCode() == SsmStreamCli.EXIT_USER_ERROR, what);
        assertTrue(!run.err().contains("\tat ") && !run.out().contains("\tat "), "a stack trace: " + what);
        if (run.exitCode() == SsmStreamCli.EXIT_USER_ERROR) {
            List<String> errors = run.errLines().stream().filter(l -> l.startsWith("ssm-stream: error:")).toList();
            assertTrue(errors.size() == 1, "not one error line: " + what);
        }
    }
}
