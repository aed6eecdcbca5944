package io.ssmstream.trainer;

import io.ssmstream.connectors.kafka.KafkaConnectionCheck;
import io.ssmstream.connectors.kafka.KafkaProperties;
import io.ssmstream.connectors.kafka.ModelUpdatePublisher;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.kafka.KafkaTrainingData;
import io.ssmstream.trainer.retrain.RetrainLoop;
import io.ssmstream.trainer.retrain.RetrainRound;
import io.ssmstream.trainer.store.ModelStore;
import io.ssmstream.trainer.store.StoredModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ssm-stream retrain}: reads recent data (the input topic's last N hours, or CSV), trains, writes the new
 * version to the model store and announces it on the model-update topic; once (a cron or Kubernetes job) or
 * every interval (a long-running trainer, e.g. on a GPU host).
 */
@Command(name = "retrain", sortOptions = false,
        description = {"Retrains a model on recent data, writes the new version to a model store (a directory or a"
                + " Flink file system URI) and publishes it on the model-update topic; once, or --every interval."})
final class RetrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--input", paramLabel = "FILE.csv|DIR",
                description = "Training data: a CSV file, or a directory of CSV files (one stream each).")
        Path input;

        @Option(names = "--input-topic", paramLabel = "TOPIC",
                description = "Training data: the job's input topic (JSON events), the last --last of it.")
        String inputTopic;
    }

    @Option(names = "--last", paramLabel = "DURATION", defaultValue = "24h",
            description = "With --input-topic: read the records of this last period, e.g. 24h, 90min, 7d (default: ${DEFAULT-VALUE}).")
    String last;

    @Option(names = "--d-input", paramLabel = "N",
            description = "With --input-topic: values per event (default: the --init-from model's d_input, else 1).")
    Integer dInput;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka, for --input-topic and --model-updates-topic.")
    String bootstrapServers;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka client setting (repeatable), e.g. security.protocol=SASL_SSL.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--kafka-properties", paramLabel = "FILE", description = "Kafka client settings file.")
    Path kafkaPropertiesFile;

    @Option(names = "--store", required = true, paramLabel = "DIR|URI",
            description = "Model store: a directory or a Flink file system URI (file:///models, s3://bucket/models);"
                    + " versions go to <store>/<model>/<version>.safetensors and are never overwritten.")
    String store;

    @Option(names = "--model-name", paramLabel = "NAME", defaultValue = "default",
            description = "The model's name: its directory in the store and its key on the update topic (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--per-stream",
            description = "One model per stream, named after the stream (a CSV file's name without .csv), instead of"
                    + " one global model over all streams.")
    boolean perStream;

    @Option(names = "--init-from", paramLabel = "MODEL|latest",
            description = "Fine-tune a model file (path or URI), or 'latest': the newest stored version of the same"
                    + " model (a new model when there is none). Default: a new model each round.")
    String initFrom;

    @Option(names = "--model-updates-topic", paramLabel = "TOPIC",
            description = "Publish each new version here (keyed by model name; compacted topic). Without it the"
                    + " versions are only stored.")
    String modelUpdatesTopic;

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Retrain every DURATION (e.g. 1h) until stopped; a failed round is logged and the loop goes"
                    + " on. Default: one round, then exit.")
    String every;

    @Option(names = "--max-rounds", paramLabel = "N", description = "With --every: stop after N rounds.")
    Long maxRounds;

    @Mixin
    TrainingFlags training;

    /** Set by RetrainJob: Flink has set up the file systems, and the job is one round (the schedule is Flink's). */
    @Option(names = "--flink-task", hidden = true)
    boolean flinkTask;

    @Override
    public Integer call() throws Exception {
        training.applyThreads();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Duration interval = every == null ? null : duration("--every", every);
        if (maxRounds != null && (interval == null || maxRounds < 1)) {
            throw new TrainingDataException("--max-rounds needs --every and must be at least 1, got " + maxRounds);
        }
        Properties kafka;
        try {
            kafka = KafkaProperties.merge(kafkaPropertiesFile, kafkaProperties);
        } catch (IllegalArgumentException e) {
            throw new TrainingDataException(e.getMessage());
        }
        if ((source.inputTopic != null || modelUpdatesTopic != null) && bootstrapServers == null) {
            throw new TrainingDataException("--input-topic and --model-updates-topic need --bootstrap-servers");
        }
        if (source.inputTopic != null || modelUpdatesTopic != null) {
            KafkaConnectionCheck.verify(bootstrapServers, kafka); // a refusal is a user error (TrainerCli)
        }
        if (flinkTask && interval != null) {
            throw new TrainingDataException("the retraining Flink job runs one round: drop --every (schedule the"
                    + " submission instead, e.g. a cron job running flink run)");
        }
        if (!flinkTask) {
            ModelStore.initializeFileSystems();
        }
        ModelStore modelStore = ModelStore.open(store);
        RetrainRound.InitFrom init = initFrom();
        SsmModel fixedParent = init instanceof RetrainRound.InitFrom.Model m ? load(modelStore, m.uri()) : null;
        training.options(fixedParent, init instanceof RetrainRound.InitFrom.Latest); // bad flags fail here, not per round
        RetrainRound.DataSource data = dataSource(kafka, fixedParent);
        err.println("device: " + TrainerCli.describeDevice(training.options(null).device));
        err.flush();

        ModelUpdatePublisher publisher = null;
        try {
            if (modelUpdatesTopic != null) {
                publisher = ModelUpdatePublisher.builder().bootstrapServers(bootstrapServers).topic(modelUpdatesTopic)
                        .properties(kafka).build();
            }
            ModelUpdatePublisher p = publisher;
            boolean latest = init instanceof RetrainRound.InitFrom.Latest;
            RetrainRound round = new RetrainRound(data, parent -> training.options(parent, latest), init, modelStore, modelName, perStream,
                    p == null ? null : p::publish, Clock.systemUTC());
            if (interval == null) {
                try {
                    report(round.run(1, null, err), out);
                } catch (IllegalStateException | UncheckedIOException e) {
                    // the broker or the store failed: not the user's input, but no stack trace for it either
                    err.println(TrainerCli.errorLine(e.getMessage()));
                    return TrainerCli.EXIT_INTERNAL_ERROR;
                }
                return TrainerCli.EXIT_OK;
            }
            err.printf(Locale.ROOT, "retraining every %s%s; store %s%n", interval,
                    maxRounds == null ? "" : ", " + maxRounds + " rounds", modelStore.uri());
            RetrainLoop.Outcome o = RetrainLoop.run(n -> {
                        List<StoredModel> stored = round.run(n, null, err);
                        report(stored, out);
                        return stored.stream().map(s -> s.modelName() + " " + s.version())
                                .collect(Collectors.joining(", "));
                    }, interval, maxRounds == null ? Long.MAX_VALUE : maxRounds, Clock.systemUTC(),
                    d -> Thread.sleep(d.toMillis()), err);
            return o.succeeded() > 0 ? TrainerCli.EXIT_OK : TrainerCli.EXIT_INTERNAL_ERROR;
        } catch (IllegalArgumentException e) {
            throw new TrainingDataException(e.getMessage());
        } finally {
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    private RetrainRound.InitFrom initFrom() {
        if (initFrom == null) {
            return new RetrainRound.InitFrom.Fresh();
        }
        if (initFrom.equals("latest")) {
            return new RetrainRound.InitFrom.Latest();
        }
        URI uri = initFrom.contains("://") || initFrom.startsWith("file:") ? URI.create(initFrom)
                : Path.of(initFrom).toAbsolutePath().normalize().toUri();
        return new RetrainRound.InitFrom.Model(uri);
    }

    private static SsmModel load(ModelStore store, URI uri) {
        try {
            return SsmModel.fromFile(SafetensorsFile.read(store.read(uri), uri.toString()),
                    uri.toString());
        } catch (IOException e) {
            throw new TrainingDataException("--init-from " + uri + ": cannot read: " + e.getMessage());
        }
    }

    private RetrainRound.DataSource dataSource(Properties kafka, SsmModel fixedParent) {
        if (source.input != null) {
            Path input = source.input;
            return new RetrainRound.DataSource() {
                @Override
                public List<EventSeries> read(Instant now, PrintWriter log) {
                    SeriesCsv.Read read = SeriesCsv.readEach(input);
                    for (String failure : read.failures()) {
                        log.println("ssm-stream: " + failure + " (left out of this round)");
                    }
                    log.flush();
                    return read.series();
                }

                @Override
                public String describe() {
                    return input.toString();
                }
            };
        }
        Duration window = duration("--last", last);
        int d = dInput != null ? dInput : fixedParent != null ? fixedParent.config().dInput() : 1;
        if (d < 1) {
            throw new TrainingDataException("--d-input must be at least 1, got " + d);
        }
        if (fixedParent != null && fixedParent.config().dInput() != d) {
            throw new TrainingDataException("--d-input " + d + " but the --init-from model has d_input "
                    + fixedParent.config().dInput());
        }
        Properties props = new Properties();
        props.putAll(kafka);
        props.setProperty("bootstrap.servers", bootstrapServers);
        String topic = source.inputTopic;
        return new RetrainRound.DataSource() {
            @Override
            public List<EventSeries> read(Instant now, PrintWriter log) {
                KafkaTrainingData.Result r = KafkaTrainingData.read(props, topic, window, d, now);
                log.println(r.summary(topic));
                log.flush();
                return r.series();
            }

            @Override
            public String describe() {
                return "topic " + topic + " (last " + last + ", " + d + " values per event)";
            }
        };
    }

    private static void report(List<StoredModel> stored, PrintWriter out) {
        for (StoredModel s : stored) {
            out.printf(Locale.ROOT, "%s %s %s sha256=%s%n", s.modelName(), s.version(), s.uri(), s.sha256());
        }
        out.flush();
    }

    private static Duration duration(String option, String text) {
        try {
            Duration d = TimeUtils.parseDuration(text);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be positive");
            }
            return d;
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new TrainingDataException(option + " must be a positive duration such as 1h, 30min, 90s or 7d, got \""
                    + text + "\" (" + e.getMessage() + ")");
        }
    }
}
