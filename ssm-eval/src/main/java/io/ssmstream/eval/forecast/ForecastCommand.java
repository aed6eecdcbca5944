package io.ssmstream.eval.forecast;

import io.ssmstream.eval.EvalInputException;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssm-stream eval forecast}: trains our model on a series' training rows, streams the test rows through
 * it keeping state, forecasts 1..H rows ahead at every test row (by its direct head, or by rollout), and scores
 * it beside persistence,
 * seasonal naive and a linear autoregression (see {@link ForecastEvaluation} for the protocol).
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Multi-step forecasting quality on a CSV (e.g. ETTh1): our model trained on the training rows"
                + " (validation rows for early stopping), then streamed through the test rows keeping its state and"
                + " forecasting 1..H rows ahead at every row (by a direct head fitted for steps 1..H, or by rollout of the"
                + " one-step forecast), beside persistence, seasonal naive, a linear"
                + " autoregression. Values are normalised with the training rows' mean and std.",
            "Prints one table (MSE and MAE per horizon and method, at step h and averaged over steps 1..h) and"
                + " writes OUT/metrics.csv, OUT/forecast.png and OUT/model.safetensors."})
public final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "A header, then a timestamp and the value columns per row, in time order.")
    Path data;

    @Option(names = "--target", required = true, paramLabel = "COL", description = "The column to forecast.")
    String target;

    @Option(names = "--horizons", split = ",", paramLabel = "H", defaultValue = "1,24,48,96,192,336",
            description = "Steps ahead to report (default: ${DEFAULT-VALUE}); the largest is the rollout length.")
    int[] horizons;

    @Option(names = "--split", paramLabel = "SPEC", defaultValue = "0.6,0.2,0.2",
            description = "train,validation,test: fractions of the rows or row counts, consecutive from the first"
                    + " row (default: ${DEFAULT-VALUE}; the ETTh papers' borders are 8640,2880,2880).")
    String split;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "0",
            description = "Use only the first N rows of the file (default: all).")
    int rows;

    @Option(names = "--inputs", paramLabel = "target|all", defaultValue = "target",
            description = "The model reads the target only, or every value column and rolls them all out"
                    + " (default: ${DEFAULT-VALUE}).")
    String inputs;

    @Option(names = "--forecaster", paramLabel = "direct|rollout", defaultValue = "direct",
            description = "direct: the model gets a direct head for steps 1..H (the largest horizon), fitted by"
                    + " least squares on its state over the training rows, its poles placed by --season;"
                    + " rollout: the one-step forecast fed back H times (default: ${DEFAULT-VALUE}).")
    String forecaster;

    @Option(names = "--head-reads-network", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "The direct head also reads the network's last features, not only its own SSM of the"
                    + " inputs' changes (default: ${DEFAULT-VALUE}).")
    boolean headReadsNetwork;

    @Option(names = "--differences", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "With --forecaster rollout: the model reads and forecasts first differences of the"
                    + " normalised inputs, and its forecasts are summed onto the latest value (default:"
                    + " ${DEFAULT-VALUE}; the direct head reads changes itself).")
    boolean differences;

    @Option(names = "--season", paramLabel = "ROWS", defaultValue = "24",
            description = "Season in rows: of the seasonal naive forecast, and where the direct head's poles lie"
                    + " (default: ${DEFAULT-VALUE}, a day of hourly rows; 1: none).")
    int season;

    @Option(names = "--ar-lags", paramLabel = "P", defaultValue = "48",
            description = "Lags of the linear autoregression (default: ${DEFAULT-VALUE}).")
    int arLags;

    @Option(names = "--nlinear-lookback", paramLabel = "L", defaultValue = "336",
            description = "Rows the NLinear baseline reads (default: ${DEFAULT-VALUE}, the paper's; fewer when the"
                    + " training rows do not give twice as many equations).")
    int nlinearLookback;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "forecast-output",
            description = "Where metrics.csv, forecast.png and model.safetensors go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--arch", paramLabel = "mamba|s4d|s4|lssl|lru|s5|mamba2|spacetime", defaultValue = "mamba",
            description = "Model architecture (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--d-model", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int dModel;

    @Option(names = "--n-layers", defaultValue = "2", description = "Default: ${DEFAULT-VALUE}.")
    int nLayers;

    @Option(names = "--d-state", defaultValue = "16", description = "Default: ${DEFAULT-VALUE}.")
    int dState;

    @Option(names = "--epochs", defaultValue = "200", description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-minutes", defaultValue = "4",
            description = "Training wall-clock limit (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--patience", defaultValue = "12",
            description = "Epochs without a better validation loss before training stops (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--window", defaultValue = "256", description = "Training window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--restarts", paramLabel = "N", defaultValue = "1",
            description = "Train N models (seeds --seed, --seed+1, ...) and keep the one whose rollouts have the"
                    + " lowest MSE over steps 1..H on the validation rows (default: ${DEFAULT-VALUE}).")
    int restarts;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
            description = "Training device (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch intra-op threads (default: one per core).")
    Integer threads;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter progress = spec.commandLine().getErr();
        int[] hs = checkedHorizons();
        ForecastData.Inputs inputMode = parseInputs();
        Arch architecture = parseArch();
        boolean direct = parseForecaster();
        if (direct && differences) {
            throw new EvalInputException("--differences goes with --forecaster rollout: the direct head reads the"
                    + " changes of the inputs itself");
        }
        if (season < 1) {
            throw new EvalInputException("--season must be at least 1, got " + season);
        }
        if (nlinearLookback < 2) {
            throw new EvalInputException("--nlinear-lookback must be at least 2, got " + nlinearLookback);
        }
        if (restarts < 1) {
            throw new EvalInputException("--restarts must be at least 1, got " + restarts);
        }
        if (rows < 0) {
            throw new EvalInputException("--rows must be 0 (all) or positive, got " + rows);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new EvalInputException("--threads must be at least 1, got " + threads);
            }
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        ForecastData fd = ForecastData.load(data, target, inputMode, rows, split);
        TimeSplit ts = fd.split();
        int maxHorizon = hs[hs.length - 1];
        if (maxHorizon > ts.testRows()) {
            throw new EvalInputException("--horizons: " + maxHorizon + " is longer than the " + ts.testRows()
                    + " test rows");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new EvalInputException("--out " + out + ": cannot create the directory: " + e.getMessage());
        }

        double[] y = fd.targetValues();
        LinearAutoregression ar = LinearAutoregression.fit(y, ts.trainEnd(), arLags, maxHorizon); // fails fast
        int lookback = Math.max(2, Math.min(nlinearLookback, (ts.trainEnd() - maxHorizon + 1) / 3));
        NLinear nLinear = NLinear.fit(y, ts.trainEnd(), lookback, maxHorizon);

        EventSeries series = differences ? fd.differences() : fd.series();
        int selectionHorizon = Math.min(maxHorizon, ts.validationRows());
        Selected chosen = trainAndSelect(fd, series, architecture, direct, maxHorizon, selectionHorizon, progress);
        Trainer.Result trained = chosen.training();
        trained.model().save(out.resolve("model.safetensors"));

        long evalStart = System.nanoTime();
        List<MultiStepForecaster> methods = List.of(
                ours(trained.model(), direct, fd, series, maxHorizon),
                new Persistence(y),
                new SeasonalNaive(y, season),
                ar,
                nLinear);
        ForecastEvaluation.Result result = ForecastEvaluation.run(methods, y, ts, hs, 4);
        double evalSeconds = (System.nanoTime() - evalStart) / 1e9;

        ForecastReport.writeCsv(result.scores(), out.resolve("metrics.csv"));
        ForecastPlot.write(result.plot(), y, series.micros(), fd.source() + ": " + fd.targetName()
                        + " and forecasts 1.." + maxHorizon + " rows ahead from every " + maxHorizon + "th test row",
                fd.targetName(), List.of("persistence"), out.resolve("forecast.png"));

        stdout.printf(Locale.ROOT, "%s, target %s, model inputs: %s%s%n", fd.source(), fd.targetName(),
                String.join(",", series.columns()), differences ? " (first differences)" : "");
        stdout.printf(Locale.ROOT, "rows: train [0, %d), validation [%d, %d), test [%d, %d); values normalised with"
                        + " the training rows' mean and std (%s: mean %.4f, std %.4f)%n", ts.trainEnd(), ts.trainEnd(),
                ts.validationEnd(), ts.validationEnd(), ts.testEnd(), fd.targetName(), fd.mean()[fd.target()],
                fd.std()[fd.target()]);
        String forecasts = direct ? String.format(Locale.ROOT, "direct head for steps 1..%d (%d modes, season %d)",
                maxHorizon, trained.model().config().horizonModes(), headSeason()) : "forecasts by rollout";
        String selection = restarts == 1 ? "" : String.format(Locale.ROOT, " (lowest validation %s MSE 1..%d of %d"
                + " restarts: %.4f)", forecaster, selectionHorizon, restarts, chosen.validationMse());
        stdout.printf(Locale.ROOT, "ours: %s d_model=%d n_layers=%d d_state=%d, %s, seed %d%s, best epoch %d of %d"
                        + " (%s), validation NLL %.4f, trained in %s on %s; kernels %s%n", architecture.configName(), dModel,
                nLayers, dState, forecasts, chosen.seed(), selection,
                trained.bestEpoch(), trained.epochs(), trained.stopReason(), trained.validationLoss(),
                minutes(chosen.trainingSeconds()), trained.device(), KernelOpsProvider.get().name());
        stdout.printf(Locale.ROOT, "linear AR: %d lags and an intercept, least squares on the training rows;"
                + " seasonal naive: %d rows back; NLinear: %d rows in, %d out, least squares on the training rows%n",
                arLags, season, lookback, maxHorizon);
        stdout.println();
        ForecastReport.printTable(result.scores(), stdout);
        stdout.println();
        stdout.printf(Locale.ROOT, "evaluation %.1f s, total %s; wrote %s, %s, %s%n", evalSeconds,
                minutes((System.nanoTime() - start) / 1e9), out.resolve("metrics.csv"), out.resolve("forecast.png"),
                out.resolve("model.safetensors"));
        stdout.flush();
        return 0;
    }

    /** The training kept, its seed, its validation forecasts' MSE, and the time all restarts took. */
    private record Selected(Trainer.Result training, long seed, double validationMse, double trainingSeconds) {
    }

    /**
     * Trains {@code --restarts} models on the training rows (validation rows for early stopping) and keeps the
     * one whose rollouts score best over steps 1..H on the validation rows.
     */
    private Selected trainAndSelect(ForecastData fd, EventSeries series, Arch architecture, boolean direct,
                                    int maxHorizon, int selectionHorizon, PrintWriter progress) {
        TimeSplit ts = fd.split();
        double[] y = fd.targetValues();
        Selected best = null;
        double trainingSeconds = 0;
        for (int r = 0; r < restarts; r++) {
            TrainingOptions options = new TrainingOptions().arch(architecture).dModel(dModel).nLayers(nLayers)
                    .dState(dState).epochs(epochs).maxMinutes(maxMinutes).patience(patience).windowLength(window)
                    .burnIn(Math.min(16, window / 2)).learningRate(learningRate).seed(seed + r).device(device)
                    .version("eval-forecast-" + fd.source());
            if (direct) {
                options.horizon(maxHorizon).horizonSeason(headSeason()).horizonNetworkFeatures(headReadsNetwork);
            }
            Trainer.Result candidate = Trainer.train(List.of(series.slice(0, ts.trainEnd())),
                    List.of(series.slice(ts.trainEnd(), ts.validationEnd())), options, progress);
            trainingSeconds += candidate.seconds();
            double validationMse = ForecastEvaluation.validationMse(ours(candidate.model(), direct, fd, series,
                    selectionHorizon), y, ts, selectionHorizon);
            progress.printf(Locale.ROOT, "seed %d: validation NLL %.4f, validation %s MSE 1..%d %.4f%n",
                    seed + r, candidate.validationLoss(), forecaster, selectionHorizon, validationMse);
            progress.flush();
            if (best == null || validationMse < best.validationMse()) {
                best = new Selected(candidate, seed + r, validationMse, 0);
            }
        }
        return new Selected(best.training(), best.seed(), best.validationMse(), trainingSeconds);
    }

    /** Our model as a forecaster of the evaluation: its direct head, or rollouts of up to H steps. */
    private MultiStepForecaster ours(SsmModel model, boolean direct, ForecastData fd, EventSeries series, int horizon) {
        if (direct) {
            return new SsmDirectForecaster(model, KernelOpsProvider.get(), series, fd.target());
        }
        return new SsmRolloutForecaster(model, KernelOpsProvider.get(), series,
                differences ? fd.targetValues() : null, fd.target(), fd.samplingMicros(), horizon);
    }

    /** The season that places the direct head's poles: --season, or none for 1. */
    private int headSeason() {
        return season >= 2 ? season : 0;
    }

    private boolean parseForecaster() {
        switch (forecaster) {
            case "direct":
                return true;
            case "rollout":
                return false;
            default:
                throw new EvalInputException("--forecaster must be direct or rollout, got " + forecaster);
        }
    }

    private int[] checkedHorizons() {
        int[] hs = horizons.clone();
        Arrays.sort(hs);
        for (int i = 0; i < hs.length; i++) {
            if (hs[i] < 1) {
                throw new EvalInputException("--horizons must be positive, got " + hs[i]);
            }
            if (i > 0 && hs[i] == hs[i - 1]) {
                throw new EvalInputException("--horizons: " + hs[i] + " is given twice");
            }
        }
        return hs;
    }

    private ForecastData.Inputs parseInputs() {
        switch (inputs) {
            case "target":
                return ForecastData.Inputs.TARGET;
            case "all":
                return ForecastData.Inputs.ALL;
            default:
                throw new EvalInputException("--inputs must be target or all, got " + inputs);
        }
    }

    private Arch parseArch() {
        for (Arch a : Arch.values()) {
            if (a.configName().equals(arch)) {
                return a;
            }
        }
        throw new EvalInputException("--arch must be " + Arch.choices() + ", got " + arch);
    }

    private static String minutes(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
