package io.ssmstream.eval.nab;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Ours: a small SSM trained on the file's probationary period only (the rows NAB does not score), then every
 * row streamed through {@link StreamForecaster} with the job's {@link LikelihoodScorer}, exactly the per-event
 * code of the Flink job; optionally fine-tuned every so many rows on the history so far and swapped in with the
 * stream's state kept. Nothing after a row is used to score it.
 */
public final class SsmDetector implements NabDetector {
    /** DJL's PyTorch engine records gradients for one training at a time per process: files train in turn. */
    private static final Object TRAINING = new Object();
    /** Rows of history a retraining sees at most. */
    static final int RETRAIN_HISTORY = 4000;

    private final Settings settings;

    /**
     * @param arch         SSM architecture
     * @param dModel       model width
     * @param epochs       most training epochs per file
     * @param trainMinutes wall-clock limit of one file's training
     * @param modelCache   folder where each file's trained models are kept and reused by later runs, or null
     * @param retrainEvery rows between fine-tunings on the history so far (at most the last
     *                     {@value #RETRAIN_HISTORY} rows), counted from the end of the probationary period; 0: never
     */
    public record Settings(Arch arch, int dModel, int epochs, double trainMinutes, Path modelCache,
                           int retrainEvery) {
        public static final Settings DEFAULT = new Settings(Arch.MAMBA, 8, 60, 0.5, null, 0);

        public Settings {
            if (dModel < 1 || epochs < 1 || !(trainMinutes > 0) || retrainEvery < 0) {
                throw new IllegalArgumentException("dModel and epochs must be at least 1, trainMinutes positive and"
                        + " retrainEvery at least 0, got " + dModel + ", " + epochs + ", " + trainMinutes + ", "
                        + retrainEvery);
            }
        }

        TrainingOptions options(int rows) {
            return new TrainingOptions().arch(arch).dModel(dModel).nLayers(2).dState(8).epochs(epochs)
                    .maxMinutes(trainMinutes).device("cpu").seed(0).windowLength(Math.min(128, Math.max(16, rows / 4)))
                    .burnIn(8).batchSize(8).patience(8).version("nab");
        }
    }

    public SsmDetector(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "ssm-" + settings.arch().name().toLowerCase() + "+likelihood";
    }

    @Override
    public Output run(NabSeries series, boolean[] applied) {
        int probation = NabScorer.probationaryLength(series.size());
        long trainStart = System.nanoTime();
        SsmModel model = train(series, applied, 0, probation, null, ".p" + probation);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.get(), new LikelihoodScorer());
        ForecasterState state = forecaster.newState();
        int n = series.size();
        double[] scores = new double[n];
        float[] mean = new float[n];
        float[] std = new float[n];
        Arrays.fill(mean, Float.NaN);
        Arrays.fill(std, Float.NaN);
        float[] value = new float[1];
        int events = 0;
        int trainedTo = probation;
        long streamNanos = 0;
        for (int i = 0; i < n; i++) {
            if (settings.retrainEvery() > 0 && i - trainedTo >= settings.retrainEvery()) {
                // fine-tune on the history so far and swap the model in, keeping the stream's state
                long retrainStart = System.nanoTime();
                model = train(series, applied, Math.max(0, i - RETRAIN_HISTORY), i, model,
                        ".p" + probation + ".every" + settings.retrainEvery() + ".r" + i);
                trainSeconds += (System.nanoTime() - retrainStart) / 1e9;
                forecaster = new StreamForecaster(model, KernelOpsProvider.get(), new LikelihoodScorer());
                if (!forecaster.fits(state)) {
                    throw new IllegalStateException(series.name() + ": the retrained model does not fit the state");
                }
                trainedTo = i;
            }
            if (!applied[i]) {
                continue;
            }
            long start = System.nanoTime();
            if (state.hasEvents()) {
                mean[i] = state.forecastMean()[0];
                std[i] = state.forecastStd()[0];
            }
            value[0] = series.values()[i];
            scores[i] = forecaster.step(state, series.micros()[i], value);
            streamNanos += System.nanoTime() - start;
            events++;
        }
        return new Output(scores, mean, std, streamNanos, events, trainSeconds);
    }

    /**
     * Trains on the applied rows [from, to), from {@code initFrom}'s weights and normalisation when given (so the
     * stream's state still fits), or reuses that model from the cache.
     */
    private SsmModel train(NabSeries series, boolean[] applied, int from, int to, SsmModel initFrom, String key) {
        Path cached = settings.modelCache() == null ? null : settings.modelCache()
                .resolve(settings.arch().name().toLowerCase() + "-d" + settings.dModel() + "-e" + settings.epochs())
                .resolve(series.name().replaceAll("\\.csv$", "") + key + ".safetensors");
        if (cached != null && Files.isRegularFile(cached)) {
            return SsmModel.load(cached);
        }
        SsmModel model = trainOn(series, applied, from, to, initFrom);
        if (cached != null) {
            try {
                Files.createDirectories(cached.getParent());
                model.save(cached);
            } catch (IOException e) {
                throw new UncheckedIOException(cached + ": cannot write: " + e.getMessage(), e);
            }
        }
        return model;
    }

    private SsmModel trainOn(NabSeries series, boolean[] applied, int from, int to, SsmModel initFrom) {
        int rows = 0;
        for (int i = from; i < to; i++) {
            rows += applied[i] ? 1 : 0;
        }
        long[] micros = new long[rows];
        float[] values = new float[rows];
        for (int i = from, r = 0; i < to; i++) {
            if (applied[i]) {
                micros[r] = series.micros()[i];
                values[r++] = series.values()[i];
            }
        }
        EventSeries history = new EventSeries(series.name(), List.of("value"), micros, values);
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        TrainingOptions options = settings.options(rows);
        if (initFrom != null) {
            options.initFrom(initFrom);
        }
        synchronized (TRAINING) {
            return Trainer.train(List.of(history), null, options, quiet).model();
        }
    }
}
