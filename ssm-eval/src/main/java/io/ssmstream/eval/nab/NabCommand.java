package io.ssmstream.eval.nab;

import io.ssmstream.eval.EvalCli;
import io.ssmstream.eval.EvalInputException;
import io.ssmstream.kernels.model.Arch;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ssm-stream eval nab}: ours, Random Cut Forest and the windowed Gaussian on a NAB corpus, side by side. */
@Command(name = "nab", mixinStandardHelpOptions = true,
        description = {"Streams every NAB file through our detector (a small SSM trained on the file's probationary"
                + " period, then the job's forecaster and likelihood scorer), AWS Random Cut Forest and NAB's"
                + " windowed Gaussian; writes results in NAB's layout and a plot per file; prints the normalised"
                + " NAB scores per detector and profile."})
public final class NabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "NAB's layout: data/<category>/<file>.csv, labels/combined_windows.json,"
                    + " config/profiles.json (optional; NAB's three profiles otherwise).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "OUTDIR",
            description = "Results: <category>/<file>.csv (ours), peers/<detector>/..., plots/..., scores.csv.")
    Path out;

    @Option(names = "--profile", split = ",", paramLabel = "NAME",
            description = "Profiles to score (default: all in config/profiles.json).")
    List<String> profileNames;

    @Option(names = "--files", paramLabel = "GLOB", defaultValue = "*/*.csv",
            description = "Files to run, a glob over category/file.csv (default: ${DEFAULT-VALUE}).")
    String files;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "0",
            description = "Only the first N rows of each file, for quick slices (default: all).")
    int maxRows;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Files streamed at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "MAMBA",
            description = "Our model's architecture: MAMBA, S4D, S4, LSSL, LRU, S5, MAMBA2 or SPACETIME (default: ${DEFAULT-VALUE}).")
    Arch arch;

    @Option(names = "--train-minutes", paramLabel = "M", defaultValue = "0.5",
            description = "Training time limit per file (default: ${DEFAULT-VALUE}).")
    double trainMinutes;

    @Option(names = "--model-cache", paramLabel = "DIR",
            description = "Keep each file's trained model here and reuse it in later runs with the same settings"
                    + " (default: train every run).")
    Path modelCache;

    @Option(names = "--retrain-every", paramLabel = "N", defaultValue = "0",
            description = "Fine-tune our model every N rows after the probationary period on the history so far"
                    + " (at most the last 4000 rows) and swap it in, keeping the stream's state (default: 0, never).")
    int retrainEvery;

    @Option(names = "--peers", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also run the peers, Random Cut Forest and the windowed Gaussian (default: ${DEFAULT-VALUE};"
                    + " --no-peers runs ours only, for quick iterations).")
    boolean peers;

    @Override
    public Integer call() {
        if (!Files.isDirectory(data)) {
            throw new EvalInputException("--data " + data + ": not a directory");
        }
        if (!(trainMinutes > 0)) {
            throw new EvalInputException("--train-minutes must be positive, got " + trainMinutes);
        }
        if (retrainEvery < 0) {
            throw new EvalInputException("--retrain-every must be 0 or positive, got " + retrainEvery);
        }
        List<NabProfile> profiles = profiles();
        SsmDetector.Settings settings = new SsmDetector.Settings(arch, SsmDetector.Settings.DEFAULT.dModel(),
                SsmDetector.Settings.DEFAULT.epochs(), trainMinutes, modelCache, retrainEvery);
        List<NabDetector> detectors = peers
                ? List.of(new SsmDetector(settings), new RcfDetector(false), new RcfDetector(true),
                        new WindowedGaussianDetector())
                : List.of(new SsmDetector(settings));
        NabEvaluation evaluation = new NabEvaluation(data, detectors, profiles, files, maxRows, threads);
        int fileCount = evaluation.files().size();
        long start = System.nanoTime();
        NabEvaluation.Outcome outcome = evaluation.run(out, System.err);
        NabEvaluation.writeScores(out.resolve("scores.csv"), outcome.results());
        PrintWriter table = spec.commandLine().getOut();
        NabEvaluation.printTable(outcome.results(), outcome.scoredFiles(), table);
        table.printf(Locale.ROOT, "wall time %.0f s; results in %s%n", (System.nanoTime() - start) / 1e9, out);
        table.flush();
        if (outcome.failures().isEmpty()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        outcome.failures().forEach(f -> err.println("ssm-stream: " + f));
        err.printf(Locale.ROOT, "ssm-stream: %d of %d files failed (listed above); the table scores the other %d%n",
                outcome.failures().size(), fileCount, outcome.scoredFiles());
        err.flush();
        return EvalCli.EXIT_FILES_FAILED;
    }

    private List<NabProfile> profiles() {
        Path file = data.resolve("config").resolve("profiles.json");
        List<NabProfile> all = Files.isRegularFile(file) ? NabProfile.read(file)
                : List.of(NabProfile.STANDARD, NabProfile.LOW_FP, NabProfile.LOW_FN);
        if (profileNames == null || profileNames.isEmpty()) {
            return all;
        }
        List<NabProfile> chosen = new ArrayList<>();
        for (String name : profileNames) {
            chosen.add(all.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(
                    () -> new EvalInputException("--profile " + name + ": unknown; known: "
                            + all.stream().map(NabProfile::name).toList())));
        }
        return chosen;
    }
}
