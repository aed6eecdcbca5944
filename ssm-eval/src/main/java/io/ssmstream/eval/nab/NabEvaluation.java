package io.ssmstream.eval.nab;

import io.ssmstream.eval.EvalInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Runs detectors over a NAB corpus: every file streamed through each detector (files in parallel), results in
 * NAB's layout, a plot per file, and the corpus scores per detector and profile.
 *
 * <p>Output: {@code out/<category>/<file>.csv} for the first detector (ours), {@code out/peers/<detector>/<category>/
 * <file>.csv} for the others, {@code out/plots/<category>/<file>.png}, and {@code out/scores.csv}.
 */
public final class NabEvaluation {
    private final Path dir;
    private final List<NabDetector> detectors;
    private final List<NabProfile> profiles;
    private final String filesGlob;
    private final int maxRows;
    private final int threads;

    /**
     * @param dir       NAB's layout: {@code data/<category>/<file>.csv}, {@code labels/combined_windows.json}
     * @param detectors ours first, then the peers
     * @param profiles  the profiles to score
     * @param filesGlob which files, matched against {@code category/file.csv}
     * @param maxRows   the first rows of each file only (CI slices); 0: all
     * @param threads   files streamed at once
     */
    public NabEvaluation(Path dir, List<NabDetector> detectors, List<NabProfile> profiles, String filesGlob,
                         int maxRows, int threads) {
        if (detectors.isEmpty() || profiles.isEmpty()) {
            throw new IllegalArgumentException("need at least one detector and one profile");
        }
        if (maxRows < 0 || threads < 1) {
            throw new EvalInputException("--max-rows must be at least 0 and --threads at least 1, got " + maxRows
                    + " and " + threads);
        }
        this.dir = dir;
        this.detectors = List.copyOf(detectors);
        this.profiles = List.copyOf(profiles);
        this.filesGlob = filesGlob;
        this.maxRows = maxRows;
        this.threads = threads;
    }

    /** One detector's corpus result. */
    public record DetectorResult(String detector, List<NabScorer.Result> byProfile, long events, long streamNanos,
                                 double trainSeconds) {
        public double eventsPerSecond() {
            return events / (streamNanos / 1e9);
        }
    }

    /** NAB's {@code category/file.csv} names of the files under {@code dir/data} that the glob selects, sorted. */
    public List<String> files() {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            throw new EvalInputException(dir + ": no data/ folder (expected NAB's layout data/<category>/<file>.csv)");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + filesGlob);
        try (Stream<Path> paths = Files.walk(data, 2)) {
            List<String> names = paths.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p))
                    .map(p -> data.relativize(p).toString().replace('\\', '/'))
                    .filter(name -> name.contains("/") && matcher.matches(Path.of(name)))
                    .sorted().toList();
            if (names.isEmpty()) {
                throw new EvalInputException(data + ": no files match --files " + filesGlob);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(data + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * The corpus results over the files that ran, and {@code file: problem} for each file that did not: one
     * file's failure leaves the others scored.
     */
    public record Outcome(List<DetectorResult> results, int scoredFiles, List<String> failures) {
    }

    public Outcome run(Path out, PrintStream progress) {
        Path windowsFile = dir.resolve("labels").resolve("combined_windows.json");
        if (!Files.isRegularFile(windowsFile)) {
            throw new EvalInputException(dir + ": no labels/combined_windows.json");
        }
        Map<String, List<NabWindows.Window>> windows = NabWindows.read(windowsFile);
        List<String> files = files();
        for (String f : files) {
            if (!windows.containsKey(f)) {
                throw new EvalInputException(windowsFile + ": no windows for " + f);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<FileResult>>> futures = new ArrayList<>();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("NAB").setInitialMax(files.size())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(
                        progress)).setUnit(" files", 1).build()) {
            for (String f : files) {
                futures.add(pool.submit(() -> {
                    try {
                        return runFile(f, windows.get(f), out);
                    } finally {
                        bar.step();
                    }
                }));
            }
            List<List<FileResult>> perFile = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                try {
                    perFile.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    failures.add(files.get(i) + ": " + problem(e.getCause()));
                }
            }
            if (perFile.isEmpty()) {
                throw new EvalInputException("every file failed; the first: " + failures.get(0));
            }
            return new Outcome(summarize(perFile), perFile.size(), failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A user's data problem says itself; anything else also names its kind. */
    private static String problem(Throwable t) {
        if (t instanceof EvalInputException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private record FileResult(NabScorer.Sweep sweep, NabDetector.Output output) {
    }

    private List<FileResult> runFile(String name, List<NabWindows.Window> fileWindows, Path out) {
        NabSeries series = NabSeries.read(dir.resolve("data"), name);
        if (maxRows > 0) {
            series = series.head(maxRows);
        }
        boolean[] applied = series.applied();
        List<FileResult> results = new ArrayList<>();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (int d = 0; d < detectors.size(); d++) {
            NabDetector detector = detectors.get(d);
            NabDetector.Output o = detector.run(series, applied);
            Path csv = d == 0 ? out.resolve(name) : out.resolve("peers").resolve(detector.name()).resolve(name);
            ResultsCsv.write(csv, series, o.scores());
            results.add(new FileResult(NabScorer.sweep(name, series.micros(), o.scores(), fileWindows), o));
            scores.put(detector.name(), o.scores());
        }
        NabPlot.write(out.resolve("plots").resolve(name.replaceAll("\\.csv$", ".png")), series,
                results.get(0).output(), scores, results.get(0).sweep(), applied);
        return results;
    }

    private List<DetectorResult> summarize(List<List<FileResult>> perFile) {
        List<DetectorResult> results = new ArrayList<>();
        for (int d = 0; d < detectors.size(); d++) {
            List<NabScorer.Sweep> sweeps = new ArrayList<>();
            long events = 0;
            long nanos = 0;
            double train = 0;
            for (List<FileResult> file : perFile) {
                FileResult r = file.get(d);
                sweeps.add(r.sweep());
                events += r.output().events();
                nanos += r.output().streamNanos();
                train += r.output().trainSeconds();
            }
            List<NabScorer.Result> byProfile = new ArrayList<>();
            for (NabProfile p : profiles) {
                byProfile.add(NabScorer.evaluate(sweeps, p));
            }
            results.add(new DetectorResult(detectors.get(d).name(), byProfile, events, nanos, train));
        }
        return results;
    }

    /** The table: detector × profile (normalised score, threshold), events/s of the stream, training time. */
    public static void printTable(List<DetectorResult> results, int files, PrintWriter out) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-26s", "detector"));
        for (NabScorer.Result r : results.get(0).byProfile()) {
            header.append(String.format(Locale.ROOT, " %26s", r.profile().name() + " (thr)"));
        }
        header.append(String.format(Locale.ROOT, " %12s %9s", "events/s", "train s"));
        out.println("NAB normalised scores on " + files + " files (one threshold per detector and profile):");
        out.println(header);
        for (DetectorResult d : results) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-26s", d.detector()));
            for (NabScorer.Result r : d.byProfile()) {
                row.append(String.format(Locale.ROOT, " %26s",
                        String.format(Locale.ROOT, "%.1f (%.4f)", r.normalized(), r.threshold())));
            }
            row.append(String.format(Locale.ROOT, " %12.0f %9.1f", d.eventsPerSecond(), d.trainSeconds()));
            out.println(row);
        }
    }

    /** {@code out/scores.csv}: detector,profile,threshold,raw,null_raw,perfect_raw,normalized,events_per_second. */
    public static void writeScores(Path file, List<DetectorResult> results) {
        StringBuilder sb = new StringBuilder("detector,profile,threshold,raw,null_raw,perfect_raw,normalized,"
                + "events_per_second,train_seconds\n");
        for (DetectorResult d : results) {
            for (NabScorer.Result r : d.byProfile()) {
                sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%.4f,%.0f,%.1f%n", d.detector(),
                        r.profile().name(), r.threshold(), r.raw(), r.nullRaw(), r.perfectRaw(), r.normalized(),
                        d.eventsPerSecond(), d.trainSeconds()));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, sb);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }
}
