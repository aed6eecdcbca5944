package io.ssmstream.eval.audio;

import io.ssmstream.eval.EvalCli;
import io.ssmstream.eval.EvalInputException;
import io.ssmstream.kernels.audio.AudioClip;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.AudioSeries;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssm-stream eval audio}: machine-sound anomaly detection on an ESC-10-like data set. A model is trained
 * on the normal class's clips of the training folds only; the clips of the other folds are scored as the job
 * scores them ({@link ClipScorer}); for each other class the ROC AUC of its clips against the held-out normal
 * clips is printed (1: every anomalous clip scores above every normal one; 0.5: chance).
 */
@Command(name = "audio", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Train on the normal class's clips of some folds, score the clips of the other folds through",
            "the streaming front end and the kernels, print the ROC AUC of each other class against held-out normal",
            "clips. --data: class folders of clips plus labels.csv (path,category_id,category,fold,...)."})
public final class AudioEvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Data set directory (e.g. ../shared/data/audio-esc10).")
    Path data;

    @Option(names = "--normal", required = true, paramLabel = "CLASS",
            description = "The normal class, as in labels.csv's category (case, spaces and underscores ignored).")
    String normal;

    @Option(names = "--train-folds", split = ",", defaultValue = "1,2,3", paramLabel = "N,N",
            description = "Folds whose normal clips train the model; the others are scored (default: ${DEFAULT-VALUE}).")
    List<Integer> trainFolds;

    @Option(names = "--max-clips", paramLabel = "N", defaultValue = "0",
            description = "At most N clips per class and split, 0 for all (default: ${DEFAULT-VALUE}).")
    int maxClips;

    @Option(names = "--top-fraction", paramLabel = "F", defaultValue = "1",
            description = "Clip score: mean of this fraction of its highest frame scores; 1, all frames, ranks best on"
                    + " ESC-10 (impulsive normal sounds have high top frames) (default: ${DEFAULT-VALUE}).")
    double topFraction;

    @Option(names = "--bands", defaultValue = "32", description = "Mel bands (default: ${DEFAULT-VALUE}).")
    int bands;

    @Option(names = "--d-model", defaultValue = "16", description = "Model width (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--n-layers", defaultValue = "2", description = "Layers (default: ${DEFAULT-VALUE}).")
    int nLayers;

    @Option(names = "--d-state", defaultValue = "16", description = "State size (default: ${DEFAULT-VALUE}).")
    int dState;

    @Option(names = "--epochs", defaultValue = "30", description = "At most this many epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-minutes", defaultValue = "3", description = "Training time limit (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--seed", defaultValue = "0", description = "Initialisation and shuffling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: one per core).")
    Integer threads;

    @Option(names = "--save-model", paramLabel = "FILE", description = "Also write the trained audio model here.")
    Path saveModel;

    /** Clips read or left out so far, for the summary line. */
    private int clipsLookedAt;

    @Override
    public Integer call() throws IOException {
        if (threads != null) {
            if (threads < 1) {
                throw new EvalInputException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        if (!(topFraction > 0 && topFraction <= 1)) {
            throw new EvalInputException("--top-fraction must be in (0, 1], got " + topFraction);
        }
        if (!Files.isDirectory(data)) {
            throw new EvalInputException(data + ": not a directory");
        }
        AudioFeatures features;
        try {
            features = AudioFeatures.builder().bands(bands).build();
        } catch (IllegalArgumentException e) {
            throw new EvalInputException("--bands: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Esc10Clips.Clip> clips = Esc10Clips.read(data);
        String normalKey = Esc10Clips.key(normal);
        Map<String, String> classes = new LinkedHashMap<>();
        clips.forEach(c -> classes.putIfAbsent(Esc10Clips.key(c.category()), c.category()));
        if (!classes.containsKey(normalKey)) {
            throw new EvalInputException("--normal " + normal + ": no such class in " + data.resolve("labels.csv")
                    + " (classes: " + String.join(", ", classes.values()) + ")");
        }
        Set<Integer> train = new TreeSet<>(trainFolds);
        List<Esc10Clips.Clip> trainClips = limit(clips.stream()
                .filter(c -> Esc10Clips.key(c.category()).equals(normalKey) && train.contains(c.fold())).toList());
        Set<Integer> testFolds = clips.stream().map(Esc10Clips.Clip::fold).filter(f -> !train.contains(f))
                .collect(Collectors.toCollection(TreeSet::new));
        if (trainClips.isEmpty() || testFolds.isEmpty()) {
            throw new EvalInputException("--train-folds " + train + " leaves " + trainClips.size()
                    + " normal training clips and test folds " + testFolds + ": both must be non-empty");
        }

        List<String> failures = new ArrayList<>();
        List<EventSeries> series = new ArrayList<>();
        for (Esc10Clips.Clip c : trainClips) {
            AudioClip clip = readOrReport(c, err, failures);
            if (clip != null) {
                series.add(AudioSeries.frames(clip, features));
            }
        }
        if (series.isEmpty()) {
            throw new EvalInputException("none of the " + trainClips.size() + " " + classes.get(normalKey)
                    + " training clips of folds " + train + " can be read");
        }
        err.printf(Locale.ROOT, "training on %d %s clips of folds %s (%d frames of %d bands)%n", trainClips.size(),
                classes.get(normalKey), train, series.stream().mapToInt(EventSeries::size).sum(), bands);
        err.flush();
        TrainingOptions o = new TrainingOptions().dModel(dModel).nLayers(nLayers).dState(dState).epochs(epochs)
                .maxMinutes(maxMinutes).seed(seed).device("cpu").version("eval-audio-" + normalKey.replace(' ', '-'));
        Trainer.Result trained = Trainer.train(series, null, o, err);
        SsmModel model = AudioSeries.withFeatures(trained.model(), features, series);
        if (saveModel != null) {
            model.save(saveModel);
        }

        ClipScorer scorer = new ClipScorer(model, features, topFraction);
        Map<String, List<ClipScorer.Scores>> scored = new LinkedHashMap<>();
        for (String key : classes.keySet()) {
            List<Esc10Clips.Clip> test = limit(clips.stream()
                    .filter(c -> Esc10Clips.key(c.category()).equals(key) && testFolds.contains(c.fold())).toList());
            List<ClipScorer.Scores> s = new ArrayList<>();
            for (Esc10Clips.Clip c : test) {
                AudioClip clip = readOrReport(c, err, failures);
                if (clip != null) {
                    s.add(scorer.score(clip));
                }
            }
            scored.put(key, s);
            err.printf(Locale.ROOT, "scored %d %s clips of folds %s%n", s.size(), classes.get(key), testFolds);
            err.flush();
        }
        List<ClipScorer.Scores> normals = scored.get(normalKey);
        if (normals.isEmpty()) {
            throw new EvalInputException("no held-out " + classes.get(normalKey) + " clips in folds " + testFolds);
        }
        out.printf(Locale.ROOT, "normal: %s (trained on %d clips of folds %s, val loss %.4f); scored: folds %s;"
                        + " clip score: mean of %s frame scores%n", classes.get(normalKey), trainClips.size(), train,
                trained.validationLoss(), testFolds,
                topFraction == 1 ? "all its" : String.format(Locale.ROOT, "its top %.0f%%", topFraction * 100));
        out.printf(Locale.ROOT, "%-16s %6s %12s %10s %10s%n", "class", "clips", "AUC(score)", "AUC(tail)", "AUC(nll)");
        for (Map.Entry<String, List<ClipScorer.Scores>> e : scored.entrySet()) {
            if (e.getKey().equals(normalKey)) {
                continue;
            }
            List<ClipScorer.Scores> anomalies = e.getValue();
            out.printf(Locale.ROOT, "%-16s %6d %12.3f %10.3f %10.3f%n", classes.get(e.getKey()), anomalies.size(),
                    RocAuc.of(column(anomalies, ClipScorer.Scores::score), column(normals, ClipScorer.Scores::score)),
                    RocAuc.of(column(anomalies, ClipScorer.Scores::tail), column(normals, ClipScorer.Scores::tail)),
                    RocAuc.of(column(anomalies, ClipScorer.Scores::nll), column(normals, ClipScorer.Scores::nll)));
        }
        out.printf(Locale.ROOT, "%-16s %6d   (held-out normal clips)%n", classes.get(normalKey), normals.size());
        out.flush();
        if (!failures.isEmpty()) {
            err.println("ssm-stream: " + failures.size() + " of " + clipsLookedAt + " clips failed (listed above);"
                    + " the table is over the others");
            err.flush();
            return EvalCli.EXIT_FILES_FAILED;
        }
        return 0;
    }

    private List<Esc10Clips.Clip> limit(List<Esc10Clips.Clip> clips) {
        return maxClips > 0 && clips.size() > maxClips ? clips.subList(0, maxClips) : clips;
    }

    /** The clip, or null after printing {@code ssm-stream: file: problem} when it cannot be decoded. */
    private AudioClip readOrReport(Esc10Clips.Clip c, PrintWriter err, List<String> failures) {
        clipsLookedAt++;
        try {
            return AudioClip.read(c.file());
        } catch (AudioClip.AudioFileException e) {
            failures.add(e.getMessage());
            err.println("ssm-stream: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    private static double[] column(List<ClipScorer.Scores> s, ToDoubleFunction<ClipScorer.Scores> which) {
        return s.stream().mapToDouble(which).toArray();
    }
}
