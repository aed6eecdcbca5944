package io.ssmstream.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.sun.management.OperatingSystemMXBean;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains a model on event series: next-event Gaussian negative log-likelihood on normalised inputs, Adam
 * (DJL's optimizer) on gradients from DJL's autograd, shuffled windows, early stopping on the validation
 * loss with the best epoch's weights kept, and a wall-clock limit.
 */
public final class Trainer {
    /** Metadata keys written into the model file. */
    public static final String VERSION = "ssm_stream.version";
    public static final String TRAINED_AT = "trained_at";
    public static final String DATA_FROM = "data_from";
    public static final String DATA_TO = "data_to";
    public static final String VALIDATION_LOSS = "validation_loss";
    public static final String TRAIN_LOSS = "train_loss";
    public static final String PARENT_VERSION = "parent_version";

    /** Halve the learning rate after this many epochs without a better validation loss. */
    private static final int PLATEAU_EPOCHS = 4;
    private static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /**
     * @param model            the best epoch's model, with config (normalisation, time unit) and metadata
     * @param trainLoss        mean training NLL of the best epoch
     * @param validationLoss   validation NLL of the best epoch (the training loss when there is no validation)
     * @param bestEpoch        1-based
     * @param epochs           epochs run
     * @param eventsPerSecond  training throughput (window events through forward and backward per second)
     * @param device           the DJL device trained on
     * @param seconds          wall-clock time of the whole run
     * @param stopReason       why training ended
     */
    public record Result(SsmModel model, double trainLoss, double validationLoss, int bestEpoch, int epochs,
                         double eventsPerSecond, String device, double seconds, String stopReason) {
    }

    private Trainer() {
    }

    /**
     * Refuses a training whose batch's recurrent states alone (one copy: batch × window × the model's state floats
     * per event; the forward and backward passes keep several, and S4's matrix path N times more) would fill half
     * of this machine's memory, before the engine runs out of it: a mistyped {@code --d-state 65536} took 24 GB and
     * was killed by the system.
     */
    static void checkStateMemory(SsmModel model, TrainingOptions o) {
        long floats = model.stateFloats();
        double bytes = 4.0 * floats * o.batchSize * o.windowLength;
        long memory = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (bytes > memory / 2.0) {
            ModelConfig c = model.config();
            throw new TrainingDataException(String.format(Locale.ROOT, "a batch of %d windows of %d events holds"
                    + " %.1f GB of recurrent state (%d floats per event: %s, d_model %d, d_state %d, %d layers),"
                    + " more than half of this machine's %.1f GB; use a smaller --d-state, --d-model, --batch-size"
                    + " or --window", o.batchSize, o.windowLength, bytes / 1e9, floats, c.arch().configName(),
                    c.dModel(), c.dState(), c.nLayers(), memory / 1e9));
        }
    }

    /**
     * The device that {@code --device} names: auto is a CUDA GPU when DJL's engine sees one, else the CPU;
     * {@code gpu:N} is the CUDA device with index N (as a Flink external resource names it).
     */
    public static Device device(String name) {
        int gpus = Engine.getInstance().getGpuCount();
        if (name.startsWith("gpu:")) {
            int index = Integer.parseInt(name.substring(4));
            if (index >= gpus) {
                throw new TrainingDataException("--device " + name + ": DJL's PyTorch engine sees " + gpus
                        + " CUDA GPUs");
            }
            return Device.gpu(index);
        }
        switch (name) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new TrainingDataException("--device gpu: no CUDA GPU is visible to DJL's PyTorch engine"
                            + " (this build bundles the CPU PyTorch library; use --device cpu or auto)");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /**
     * @param series     training series (one per file); without {@code validation} the last
     *                   validation fraction of each series in time is held out
     * @param validation separate validation series, or null
     * @param log        progress lines
     */
    public static Result train(List<EventSeries> series, List<EventSeries> validation, TrainingOptions o,
                               PrintWriter log) {
        o.validate();
        long startNanos = System.nanoTime();
        int d = series.get(0).channels();
        if (validation != null && !validation.isEmpty() && validation.get(0).channels() != d) {
            throw new TrainingDataException("the validation data has " + validation.get(0).channels()
                    + " value columns but the training data has " + d);
        }
        if (o.initFrom != null && o.initFrom.config().dInput() != d) {
            throw new TrainingDataException("--init-from model has d_input " + o.initFrom.config().dInput()
                    + " but the data has " + d + " value columns");
        }

        // ---- data: time split, normalisation, windows
        List<EventSeries> evalSeries;
        int[] trainEnds = new int[series.size()];
        List<Windows.Window> evalWindows = new ArrayList<>();
        int minHoldOut = 2;
        if (validation == null || validation.isEmpty()) {
            evalSeries = series;
            for (int i = 0; i < series.size(); i++) {
                int n = series.get(i).size();
                int hold = (int) Math.round(n * o.validationFraction);
                if (hold < minHoldOut || n - hold < 2) {
                    trainEnds[i] = n; // too short to split
                    continue;
                }
                trainEnds[i] = n - hold;
                // scored from the output that predicts the first held-out event; the events before it only
                // warm the state up
                int scoreStart = trainEnds[i] - 1;
                int from = Math.max(0, scoreStart - o.burnIn);
                evalWindows.addAll(Windows.evaluation(i, from, scoreStart, n, o.windowLength, o.burnIn));
            }
        } else {
            evalSeries = validation;
            for (int i = 0; i < series.size(); i++) {
                trainEnds[i] = series.get(i).size();
            }
            for (int i = 0; i < validation.size(); i++) {
                evalWindows.addAll(Windows.evaluation(i, 0, 0, validation.get(i).size(), o.windowLength, o.burnIn));
            }
        }
        List<Windows.Window> trainWindows = new ArrayList<>();
        long trainEvents = 0;
        for (int i = 0; i < series.size(); i++) {
            trainWindows.addAll(Windows.training(i, trainEnds[i], o.windowLength, o.burnIn));
            trainEvents += trainEnds[i];
        }
        if (trainWindows.isEmpty()) {
            throw new TrainingDataException("not enough training data: need at least 2 events before the validation"
                    + " split");
        }

        ModelConfig config;
        SsmModel initial;
        if (o.initFrom != null) {
            config = o.initFrom.config().toBuilder().horizon(0, 0).build(); // the head is fitted after training
            initial = o.initFrom;
        } else {
            Windows.Scaling sc = Windows.scaling(series, trainEnds);
            try {
                config = ModelConfig.builder(o.arch, d).dModel(o.dModel).nLayers(o.nLayers).dState(o.dState)
                        .timeAware(o.timeAware).dtUnitMs(sc.dtUnitMs()).inputMean(sc.mean()).inputStd(sc.std())
                        .build();
            } catch (IllegalArgumentException e) {
                throw new TrainingDataException(e.getMessage());
            }
            initial = ModelInitializer.initialize(config, o.seed);
        }
        checkStateMemory(initial, o);
        Windows.Scaling scaling = new Windows.Scaling(config.inputMean(), config.inputStd(), config.dtUnitMs());

        // ---- model and optimizer
        Device device = device(o.device);
        Random random = new Random(o.seed);
        MutableRate rate = new MutableRate(o.learningRate);
        Optimizer adam = Adam.builder().optLearningRateTracker(rate).optWeightDecays(0f).build();
        long limitNanos = (long) (o.maxMinutes * 60e9);
        try (NDManager root = NDManager.newBaseManager(device);
             SsmTrainingModel model = SsmTrainingModel.fromModel(initial, root, new ChunkedScan(o.chunk, o.scan))) {
            log.printf(Locale.ROOT, "training %s d_model=%d n_layers=%d d_state=%d on %s: %d events in %d series, "
                            + "%d training windows of %d, %d validation windows; %s scan, chunks of %d%n",
                    config.arch().configName(), config.dModel(), config.nLayers(), config.dState(), device,
                    trainEvents, series.size(), trainWindows.size(), o.windowLength, evalWindows.size(),
                    o.scan.name().toLowerCase(Locale.ROOT), o.chunk);
            Map<String, Tensor> best = model.snapshot();
            double bestVal = Double.POSITIVE_INFINITY;
            double bestTrain = Double.NaN;
            int bestEpoch = 0;
            int sinceBest = 0;
            int epoch = 0;
            long trainedEvents = 0;
            long trainNanos = 0;
            String stop = "reached " + o.epochs + " epochs";
            while (epoch < o.epochs) {
                long elapsed = System.nanoTime() - startNanos;
                if (epoch > 0 && elapsed + trainNanos / epoch > limitNanos) {
                    stop = "time limit of " + o.maxMinutes + " min";
                    break;
                }
                epoch++;
                List<Windows.Window> order = new ArrayList<>(trainWindows);
                Collections.shuffle(order, random);
                double lossSum = 0;
                long scoredSum = 0;
                int skipped = 0;
                long epochStart = System.nanoTime();
                boolean outOfTime = false;
                for (int b = 0; b < order.size(); b += o.batchSize) {
                    Windows.Batch batch = Windows.batch(series, order.subList(b, Math.min(order.size(),
                            b + o.batchSize)), scaling, o.windowLength);
                    if (batch.scored() == 0) {
                        continue;
                    }
                    double loss = step(model, root, batch, adam, o.clipNorm);
                    if (Double.isFinite(loss)) {
                        lossSum += loss * batch.scored();
                        scoredSum += batch.scored();
                    } else {
                        skipped++;
                    }
                    trainedEvents += batch.events();
                    if (System.nanoTime() - startNanos > limitNanos) {
                        outOfTime = true;
                        break;
                    }
                }
                trainNanos += System.nanoTime() - epochStart;
                double trainLoss = scoredSum == 0 ? Double.NaN : lossSum / scoredSum;
                double valLoss = evalWindows.isEmpty() ? trainLoss
                        : evaluate(model, root, evalSeries, evalWindows, scaling, o);
                boolean improved = valLoss < bestVal - 1e-4 * Math.max(1, Math.abs(bestVal))
                        || (Double.isFinite(valLoss) && !Double.isFinite(bestVal));
                if (improved) {
                    bestVal = valLoss;
                    bestTrain = trainLoss;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    best = model.snapshot();
                } else {
                    sinceBest++;
                    if (sinceBest % PLATEAU_EPOCHS == 0) {
                        rate.value /= 2;
                    }
                }
                double eventsPerSecond = trainedEvents / (trainNanos / 1e9);
                double secs = (System.nanoTime() - startNanos) / 1e9;
                double perEpoch = secs / epoch;
                double eta = Math.min((o.epochs - epoch) * perEpoch, Math.max(0, o.maxMinutes * 60 - secs));
                log.printf(Locale.ROOT, "epoch %d/%d  train %.4f  val %.4f%s  %.0f events/s  elapsed %s  ETA %s%s%n",
                        epoch, o.epochs, trainLoss, valLoss, improved ? " *" : "", eventsPerSecond,
                        duration(secs), duration(eta),
                        skipped == 0 ? "" : "  (" + skipped + " batches skipped: loss or gradient not finite)");
                log.flush();
                if (outOfTime) {
                    stop = "time limit of " + o.maxMinutes + " min";
                    break;
                }
                if (sinceBest >= o.patience) {
                    stop = "no better validation loss for " + o.patience + " epochs";
                    break;
                }
            }
            Instant now = Instant.now();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put(VERSION, o.version != null ? o.version : "v" + VERSION_TIME.format(now));
            meta.put(TRAINED_AT, DateTimeFormatter.ISO_INSTANT.format(now));
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (int i = 0; i < series.size(); i++) {
                from = Math.min(from, series.get(i).micros()[0]);
                to = Math.max(to, series.get(i).micros()[trainEnds[i] - 1]);
            }
            meta.put(DATA_FROM, isoMicros(from));
            meta.put(DATA_TO, isoMicros(to));
            meta.put(VALIDATION_LOSS, String.format(Locale.ROOT, "%.6f", bestVal));
            meta.put(TRAIN_LOSS, String.format(Locale.ROOT, "%.6f", bestTrain));
            if (o.initFrom != null && o.initFrom.metadata().get(VERSION) != null) {
                meta.put(PARENT_VERSION, o.initFrom.metadata().get(VERSION));
            }
            SsmModel trained = SsmModel.of(config, best, meta); // the best epoch's weights
            trained = withHorizonHead(trained, series, trainEnds, validation, o, log);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return new Result(trained, bestTrain, bestVal, bestEpoch, epoch,
                    trainNanos == 0 ? 0 : trainedEvents / (trainNanos / 1e9), device.toString(), seconds, stop);
        }
    }

    /**
     * {@code trained} with a direct head fitted on the training events when the options ask for one or the
     * model trained from had one (its poles and horizon kept), else {@code trained} itself. The ridge penalty is
     * chosen on the validation series, or on the held-out ends of the training series without them.
     */
    private static SsmModel withHorizonHead(SsmModel trained, List<EventSeries> series, int[] trainEnds,
                                            List<EventSeries> validation, TrainingOptions o, PrintWriter log) {
        HorizonPoles poles;
        int horizon;
        if (o.horizon > 0) {
            poles = HorizonPoles.of(o.horizonSeason);
            horizon = o.horizon;
        } else if (o.initFrom != null && o.initFrom.config().hasHorizonHead()) {
            poles = new HorizonPoles(o.initFrom.tensors().get("horizon.log_timescale").data(),
                    o.initFrom.tensors().get("horizon.frequency").data());
            horizon = o.initFrom.config().horizon();
        } else {
            return trained;
        }
        List<EventSeries> fit = new ArrayList<>();
        List<EventSeries> selection = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            fit.add(series.get(i).slice(0, trainEnds[i]));
            if (validation == null || validation.isEmpty()) {
                selection.add(series.get(i).slice(Math.max(0, trainEnds[i] - HorizonFit.WARM_UP),
                        series.get(i).size()));
            }
        }
        if (validation != null) {
            selection.addAll(validation);
        }
        return HorizonFit.fit(trained, poles, horizon, o.horizonNetworkFeatures, fit, selection, log).model();
    }

    private static final NDIndex ALL = new NDIndex("...");

    /**
     * One optimizer step on a batch; returns the batch's loss, or NaN and no update when the loss or the
     * gradient is not finite.
     */
    static double step(SsmTrainingModel model, NDManager root, Windows.Batch batch, Optimizer optimizer,
                       float clipNorm) {
        float loss;
        try (NDManager m = root.newSubManager()) {
            Inputs in = Inputs.of(m, batch);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = SsmTrainingModel.gaussianNll(model.forward(in.u, in.tau), in.target, in.mask);
                loss = l.getFloat();
                if (Float.isFinite(loss)) {
                    gc.backward(l);
                }
            }
        } // the step's arrays are freed here; the parameters are back in the model's manager
        Map<String, NDArray> grads = new LinkedHashMap<>();
        try {
            double sumSq = 0;
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray g = e.getValue().getGradient();
                grads.put(e.getKey(), g);
                sumSq += g.square().sum().getFloat();
            }
            if (Float.isFinite(loss) && Double.isFinite(sumSq)) {
                double norm = Math.sqrt(sumSq);
                float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
                for (Map.Entry<String, NDArray> e : grads.entrySet()) {
                    NDArray g = e.getValue();
                    if (scale != 1f) {
                        g.muli(scale);
                    }
                    optimizer.update(e.getKey(), model.parameters().get(e.getKey()), g);
                }
            }
            if (!Float.isFinite(loss) || !Double.isFinite(sumSq)) {
                return Double.NaN;
            }
        } finally {
            for (NDArray g : grads.values()) {
                // gradients accumulate in PyTorch: clear them for the next step, by assignment (g - g would keep
                // a NaN or an infinity forever)
                g.set(ALL, 0);
                g.close();
            }
        }
        return loss;
    }

    /** Mean NLL over the scored events of {@code windows}, without gradients. */
    static double evaluate(SsmTrainingModel model, NDManager root, List<EventSeries> series,
                           List<Windows.Window> windows, Windows.Scaling scaling, TrainingOptions o) {
        double sum = 0;
        long count = 0;
        for (int b = 0; b < windows.size(); b += o.batchSize) {
            Windows.Batch batch = Windows.batch(series, windows.subList(b, Math.min(windows.size(), b + o.batchSize)),
                    scaling, o.windowLength);
            if (batch.scored() == 0) {
                continue;
            }
            try (NDManager m = root.newSubManager()) {
                Inputs in = Inputs.of(m, batch);
                double loss = SsmTrainingModel.gaussianNll(model.forward(in.u, in.tau), in.target, in.mask).getFloat();
                sum += loss * batch.scored();
                count += batch.scored();
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private record Inputs(NDArray u, NDArray tau, NDArray target, NDArray mask) {
        static Inputs of(NDManager m, Windows.Batch b) {
            Shape seq = new Shape(b.size(), b.length());
            Shape values = new Shape(b.size(), b.length(), b.channels());
            return new Inputs(m.create(b.u(), values), m.create(b.tau(), seq), m.create(b.target(), values),
                    m.create(b.mask(), seq));
        }
    }

    /** A learning rate that the plateau rule lowers. */
    private static final class MutableRate implements Tracker {
        volatile float value;

        MutableRate(float value) {
            this.value = value;
        }

        @Override
        public float getNewValue(int numUpdate) {
            return value;
        }
    }

    static String isoMicros(long micros) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    /** m:ss or h:mm:ss. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
