package io.ssmstream.app;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.operators.SsmForecastFunction;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream run}: the forecasting job on Kafka. On an embedded Flink MiniCluster when started from the
 * command line; the same jar and main class submit to a cluster with
 * {@code flink run -c io.ssmstream.app.SsmStreamCli ssm-stream.jar run ...}.
 */
@Command(name = "run", sortOptions = false,
        description = {"Run the forecasting job: Kafka input topic -> per-stream SSM forecasts -> output topic,",
            "bad records -> dead-letter topic. Embedded Flink by default; under 'flink run' on the cluster."})
final class RunCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--input-topic", required = true, description = "Topic of JSON sensor events (with --audio: of audio chunks).")
    String inputTopic;

    @Option(names = "--output-topic", required = true, description = "Topic for forecasts and anomaly scores.")
    String outputTopic;

    @Option(names = "--dlq-topic", required = true, description = "Dead-letter topic for records that can't be used.")
    String dlqTopic;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path model;

    @Option(names = "--group-id", defaultValue = "ssm-stream", description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--starting-offsets", defaultValue = "earliest",
            description = "earliest, latest or committed, when no checkpoint is restored (default: ${DEFAULT-VALUE}).")
    String startingOffsets;

    @Option(names = "--bounded",
            description = "Stop at the offsets that are the latest when the job starts (backfills, tests).")
    boolean bounded;

    @Option(names = "--parallelism", description = "Job parallelism (default: the environment's).")
    Integer parallelism;

    @Option(names = "--state-backend", defaultValue = "hashmap",
            description = "hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--checkpoint-dir", paramLabel = "URI",
            description = "Checkpoint directory, e.g. file:///var/ssm/checkpoints (default: JobManager memory).")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", converter = DurationConverter.class,
            description = "Checkpoint interval; output becomes visible to read_committed readers at each (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--checkpoint-min-pause", converter = DurationConverter.class,
            description = "Least time from the end of a checkpoint to the start of the next, so that a job whose "
                    + "checkpoints take longer than the interval still runs between them (default: half the "
                    + "checkpoint interval; 0s: none).")
    Duration checkpointMinPause;

    @Option(names = "--flink-conf", paramLabel = "KEY=VALUE",
            description = "Flink configuration, applied after the options above (so it overrides them); repeatable. "
                    + "E.g. taskmanager.memory.managed.size=6g: RocksDB's memory on the embedded cluster, whose "
                    + "default (128 MB) is far too small for a million streams. Under 'flink run' the cluster's "
                    + "own configuration sets its TaskManagers' memory.")
    Map<String, String> flinkConf = new LinkedHashMap<>();

    @Option(names = "--at-least-once", description = "Non-transactional output (duplicates possible after a failure).")
    boolean atLeastOnce;

    @Option(names = "--out-of-orderness", defaultValue = "5s", converter = DurationConverter.class,
            description = "How late an event may arrive and still be applied in order (default: ${DEFAULT-VALUE}).")
    Duration outOfOrderness;

    @Option(names = "--idle-ttl", defaultValue = "7d", converter = DurationConverter.class,
            description = "A stream whose next event comes later than this after its last one starts over; its "
                    + "state is dropped once its last event is this far behind the watermark (event time; at "
                    + "the latest twice this; default: ${DEFAULT-VALUE}).")
    Duration idleTtl;

    @Option(names = "--idle-partition-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "A partition without records this long stops holding the watermark (default: ${DEFAULT-VALUE}).")
    Duration idlePartitionTimeout;

    @Option(names = "--audio",
            description = "Audio job: the input topic carries PCM chunks (headers sample-rate, channels, start-time-us,"
                    + " encoding), the model is an audio model (train --audio), the output one score record per"
                    + " stream per --audio-interval.")
    boolean audio;

    @Option(names = "--audio-interval", defaultValue = "1s", converter = DurationConverter.class,
            description = "With --audio: reporting interval of the scores (default: ${DEFAULT-VALUE}).")
    Duration audioInterval;

    @Option(names = "--anomaly-threshold", defaultValue = "0.99",
            description = "Score counted as an anomaly in the metrics (default: ${DEFAULT-VALUE}).")
    double anomalyThreshold;

    @Option(names = "--model-updates-topic", paramLabel = "TOPIC",
            description = "Compacted topic of model updates: the job switches to each new version of its model without a restart (default: none, the job runs --model only).")
    String modelUpdatesTopic;

    @Option(names = "--model-name", defaultValue = SwapSettings.DEFAULT_MODEL_NAME,
            description = "Model updates for this name apply, others are ignored (default: ${DEFAULT-VALUE}).")
    String modelName;

    @Option(names = "--swap-window", defaultValue = "64", paramLabel = "EVENTS",
            description = "Latest inputs kept per stream to rebuild its state for a new model, 0..100000 (default: ${DEFAULT-VALUE}).")
    int swapWindow;

    @Option(names = "--batch-streams", defaultValue = "" + SsmForecastFunction.DEFAULT_BATCH_STREAMS,
            paramLabel = "STREAMS",
            description = "Streams a watermark releases that are stepped together, each model weight read once for"
                    + " all of them, 1..32; 1 steps one event at a time, the forecasts are the same (default:"
                    + " ${DEFAULT-VALUE}).")
    int batchStreams;

    KafkaJobSpec spec() {
        JobSettings settings = JobSettings.builder().outOfOrderness(outOfOrderness).idleTtl(idleTtl)
                .idlePartitionTimeout(idlePartitionTimeout).anomalyThreshold(anomalyThreshold)
                .modelName(modelName).swapWindow(swapWindow).batchStreams(batchStreams).build();
        return new KafkaJobSpec(kafka.bootstrapServers, inputTopic, outputTopic, dlqTopic, model, groupId,
                startingOffsets, bounded, !atLeastOnce, null, kafka.clientProperties(), parallelism, stateBackend,
                checkpointDir, checkpointInterval, settings, modelUpdatesTopic, checkpointMinPause);
    }

    @Override
    protected int run() throws Exception {
        if (audio && modelUpdatesTopic != null) {
            throw new UserException("--model-updates-topic works with the sensor job only, not with --audio (an audio"
                    + " model is swapped by restarting the job from a savepoint with the new --model)");
        }
        KafkaJobSpec spec = spec();
        StreamExecutionEnvironment env = environment(spec);
        if (audio) {
            KafkaForecastJob.wireAudio(env, spec, audioInterval);
        } else {
            KafkaForecastJob.wire(env, spec);
        }
        kafka.verifyConnection(); // after the local checks (model file, options): those need no broker
        err().println("ssm-stream: running the " + (audio ? "audio" : "forecasting") + " job: " + inputTopic + " -> "
                + outputTopic + " (dead letters: " + dlqTopic
                + (modelUpdatesTopic == null ? "" : "; model updates for " + modelName + ": " + modelUpdatesTopic) + ")");
        err().flush();
        env.execute("ssm-stream " + inputTopic + " -> " + outputTopic);
        return SsmStreamCli.EXIT_OK;
    }

    /** The product's environment for {@code spec}, then {@code --flink-conf}. */
    StreamExecutionEnvironment environment(KafkaJobSpec spec) {
        StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
        env.configure(Configuration.fromMap(flinkConf));
        return env;
    }

    /** Durations as Flink writes them: {@code 500ms}, {@code 5s}, {@code 10min}, {@code 7d}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return TimeUtils.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a duration (e.g. 500ms, 5s, 10min, 2h, 7d)");
            }
        }
    }
}
