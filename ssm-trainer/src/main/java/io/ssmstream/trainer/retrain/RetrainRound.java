package io.ssmstream.trainer.retrain;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingDataException;
import io.ssmstream.trainer.TrainingOptions;
import io.ssmstream.trainer.store.ModelStore;
import io.ssmstream.trainer.store.StoredModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One retraining round: read the data, train (optionally fine-tuning the current model), write the new version
 * to the model store, announce it on the model-update topic. The same round runs from the command line
 * ({@code ssm-stream retrain}, once or every interval) and as a Flink batch job's task ({@link RetrainJob}).
 *
 * <p>Either one global model over all streams (default), named {@code modelName}, or one model per stream
 * ({@code perStream}), named after the stream (a CSV file's name without {@code .csv}). A round's versions are
 * {@code v} and the round's start time in UTC to the millisecond, so rounds never collide in the store.
 */
public final class RetrainRound {
    static final DateTimeFormatter VERSION_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** Where a round's training data comes from (a CSV file or directory, the input topic). */
    public interface DataSource {
        /** The series to train on; progress and skipped-record counts go to {@code log}. */
        List<EventSeries> read(Instant now, PrintWriter log);

        /** For the log, e.g. {@code topic sensor-events (last PT24H)}. */
        String describe();
    }

    /** What to start training from. */
    public sealed interface InitFrom {
        /** A new model with the papers' initialisation. */
        record Fresh() implements InitFrom {
        }

        /** Fine-tune the newest version of the same model in the store; a new model when there is none. */
        record Latest() implements InitFrom {
        }

        /** Fine-tune this model file (a path or a Flink FileSystem URI). */
        record Model(URI uri) implements InitFrom {
        }
    }

    private final DataSource data;
    private final Function<SsmModel, TrainingOptions> options;
    private final InitFrom initFrom;
    private final ModelStore store;
    private final String modelName;
    private final boolean perStream;
    private final Consumer<ModelUpdate> publisher;
    private final Clock clock;

    /**
     * @param options   the training options for a given model to fine-tune (null: a new model); called per model
     * @param publisher announces each stored version; null: store only
     */
    public RetrainRound(DataSource data, Function<SsmModel, TrainingOptions> options, InitFrom initFrom,
                        ModelStore store, String modelName, boolean perStream, Consumer<ModelUpdate> publisher,
                        Clock clock) {
        this.data = Objects.requireNonNull(data, "data");
        this.options = Objects.requireNonNull(options, "options");
        this.initFrom = Objects.requireNonNull(initFrom, "initFrom");
        this.store = Objects.requireNonNull(store, "store");
        this.modelName = Objects.requireNonNull(modelName, "modelName");
        this.perStream = perStream;
        this.publisher = publisher;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Runs the round.
     *
     * @param device the DJL device ({@code cpu}, {@code gpu:0}, ...) or null for the options' own
     * @return the versions stored (per-stream mode: one per stream that trained; streams that failed are logged)
     * @throws TrainingDataException when the data or a setting is unusable, or no stream could be trained
     */
    public List<StoredModel> run(int round, String device, PrintWriter log) {
        Instant start = clock.instant();
        String version = "v" + VERSION_TIME.format(start);
        log.printf(Locale.ROOT, "retrain round %d: reading %s%n", round, data.describe());
        log.flush();
        List<EventSeries> series = data.read(start, log);
        List<StoredModel> stored = new ArrayList<>();
        if (!perStream) {
            stored.add(trainOne(round, modelName, series, version, device, log));
            return stored;
        }
        List<String> failed = new ArrayList<>();
        for (EventSeries s : series) {
            String name = streamModelName(s.source());
            try {
                stored.add(trainOne(round, name, List.of(s), version, device, log));
            } catch (RuntimeException e) {
                failed.add(name);
                log.printf(Locale.ROOT, "retrain round %d: stream %s not trained: %s%n", round, name, e.getMessage());
                log.flush();
            }
        }
        if (stored.isEmpty()) {
            throw new TrainingDataException("no stream could be trained (" + failed.size() + " failed: " + failed + ")");
        }
        return stored;
    }

    private StoredModel trainOne(int round, String name, List<EventSeries> series, String version, String device,
                                 PrintWriter log) {
        SsmModel parent = parent(round, name, log);
        TrainingOptions o = options.apply(parent).version(version);
        if (device != null) {
            o.device(device);
        }
        Trainer.Result r = Trainer.train(series, null, o, log);
        StoredModel stored;
        try {
            stored = store.write(name, r.model());
        } catch (IOException e) {
            throw new UncheckedIOException("model store " + store.uri() + ": " + e.getMessage(), e);
        }
        String published = "not published (no --model-updates-topic)";
        if (publisher != null) {
            publisher.accept(stored.toUpdate(clock.millis()));
            published = "published";
        }
        log.printf(Locale.ROOT, "retrain round %d: model %s version %s (parent %s): train loss %.4f, validation loss"
                        + " %.4f, %d epochs, %s on %s; stored %s (sha256 %s, %d bytes); %s%n", round, name,
                stored.version(), parent == null ? "none" : parent.metadata().getOrDefault(Trainer.VERSION, "?"),
                r.trainLoss(), r.validationLoss(), r.epochs(), Trainer.duration(r.seconds()), r.device(), stored.uri(),
                stored.sha256(), stored.bytes(), published);
        log.flush();
        return stored;
    }

    private SsmModel parent(int round, String name, PrintWriter log) {
        URI uri;
        if (initFrom instanceof InitFrom.Model m) {
            uri = m.uri();
        } else if (initFrom instanceof InitFrom.Latest) {
            try {
                uri = store.latest(name);
            } catch (IOException e) {
                throw new UncheckedIOException("model store " + store.uri() + ": " + e.getMessage(), e);
            }
            if (uri == null) {
                log.printf(Locale.ROOT, "retrain round %d: no stored version of model %s yet: training a new model%n",
                        round, name);
                return null;
            }
        } else {
            return null;
        }
        try {
            return SsmModel.fromFile(SafetensorsFile.read(store.read(uri), uri.toString()), uri.toString());
        } catch (IOException e) {
            throw new TrainingDataException("--init-from " + uri + ": cannot read: " + e.getMessage());
        }
    }

    /** A CSV stream's model is named after its file without {@code .csv}; a topic's stream keeps its id. */
    static String streamModelName(String source) {
        return source.toLowerCase(Locale.ROOT).endsWith(".csv") ? source.substring(0, source.length() - 4) : source;
    }
}
