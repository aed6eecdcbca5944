package io.ssmstream.app.job;

import io.ssmstream.connectors.kafka.KafkaProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/**
 * Everything {@link KafkaForecastJob} needs to run against Kafka. Defaults: group id {@code ssm-stream},
 * earliest offsets, unbounded, exactly-once output, HashMap state backend, checkpoints every 10 s (to the
 * configured directory, else the JobManager's memory) with at least half the interval between the end of one and
 * the start of the next, transactional id prefix {@code ssm-stream-<output topic>}, no model-update topic (the
 * job runs its one model).
 *
 * <p>Why the pause: with many streams a checkpoint of the heap backend can take longer than the interval, and
 * Flink then starts the next one as soon as the last one ends. While a checkpoint is being written the heap
 * backend copies each stream's state at its first access, so back-to-back checkpoints mean a copy per event.
 */
public record KafkaJobSpec(
        String bootstrapServers,
        String inputTopic,
        String outputTopic,
        String deadLetterTopic,
        Path model,
        String groupId,
        String startingOffsets,
        boolean bounded,
        boolean exactlyOnce,
        String transactionalIdPrefix,
        Properties kafkaProperties,
        Integer parallelism,
        String stateBackend,
        String checkpointDir,
        Duration checkpointInterval,
        JobSettings settings,
        String modelUpdatesTopic,
        Duration checkpointMinPause) {

    /** A spec without a model-update topic. */
    public KafkaJobSpec(String bootstrapServers, String inputTopic, String outputTopic, String deadLetterTopic,
                        Path model, String groupId, String startingOffsets, boolean bounded, boolean exactlyOnce,
                        String transactionalIdPrefix, Properties kafkaProperties, Integer parallelism,
                        String stateBackend, String checkpointDir, Duration checkpointInterval, JobSettings settings) {
        this(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, model, groupId, startingOffsets, bounded,
                exactlyOnce, transactionalIdPrefix, kafkaProperties, parallelism, stateBackend, checkpointDir,
                checkpointInterval, settings, null);
    }

    /** A spec with the default pause between checkpoints. */
    public KafkaJobSpec(String bootstrapServers, String inputTopic, String outputTopic, String deadLetterTopic,
                        Path model, String groupId, String startingOffsets, boolean bounded, boolean exactlyOnce,
                        String transactionalIdPrefix, Properties kafkaProperties, Integer parallelism,
                        String stateBackend, String checkpointDir, Duration checkpointInterval, JobSettings settings,
                        String modelUpdatesTopic) {
        this(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, model, groupId, startingOffsets, bounded,
                exactlyOnce, transactionalIdPrefix, kafkaProperties, parallelism, stateBackend, checkpointDir,
                checkpointInterval, settings, modelUpdatesTopic, null);
    }

    public KafkaJobSpec {
        requireText(bootstrapServers, "bootstrap servers");
        requireText(inputTopic, "input topic");
        requireText(outputTopic, "output topic");
        requireText(deadLetterTopic, "dead-letter topic");
        if (model == null) {
            throw new IllegalArgumentException("a model file is required");
        }
        groupId = groupId == null ? "ssm-stream" : groupId;
        startingOffsets = startingOffsets == null ? "earliest" : startingOffsets;
        transactionalIdPrefix = transactionalIdPrefix == null ? "ssm-stream-" + outputTopic : transactionalIdPrefix;
        kafkaProperties = kafkaProperties == null ? new Properties() : kafkaProperties;
        if (parallelism != null && parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        stateBackend = stateBackend == null ? "hashmap" : stateBackend.toLowerCase(Locale.ROOT);
        if (!stateBackend.equals("hashmap") && !stateBackend.equals("rocksdb")) {
            throw new IllegalArgumentException("state backend must be hashmap or rocksdb, got " + stateBackend);
        }
        checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(10) : checkpointInterval;
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive, got " + checkpointInterval);
        }
        checkpointMinPause = checkpointMinPause == null ? checkpointInterval.dividedBy(2) : checkpointMinPause;
        if (checkpointMinPause.isNegative()) {
            throw new IllegalArgumentException("the pause between checkpoints must be zero or positive, got "
                    + checkpointMinPause);
        }
        settings = settings == null ? JobSettings.defaults() : settings;
        if (modelUpdatesTopic != null && modelUpdatesTopic.isBlank()) {
            throw new IllegalArgumentException("the model-update topic must not be blank");
        }
    }

    /** This spec with a model-update topic: the job then switches models as updates arrive on it. */
    public KafkaJobSpec withModelUpdatesTopic(String topic) {
        return new KafkaJobSpec(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, model, groupId,
                startingOffsets, bounded, exactlyOnce, transactionalIdPrefix, kafkaProperties, parallelism,
                stateBackend, checkpointDir, checkpointInterval, settings, topic, checkpointMinPause);
    }

    /**
     * This spec with at least {@code pause} between the end of a checkpoint and the start of the next; null for
     * the default (half the interval), zero for none (Flink's own default).
     */
    public KafkaJobSpec withCheckpointMinPause(Duration pause) {
        return new KafkaJobSpec(bootstrapServers, inputTopic, outputTopic, deadLetterTopic, model, groupId,
                startingOffsets, bounded, exactlyOnce, transactionalIdPrefix, kafkaProperties, parallelism,
                stateBackend, checkpointDir, checkpointInterval, settings, modelUpdatesTopic, pause);
    }

    /** As a record's, but the Kafka properties with their secret values hidden: a spec may end up in a log. */
    @Override
    public String toString() {
        return "KafkaJobSpec[bootstrapServers=" + bootstrapServers + ", inputTopic=" + inputTopic + ", outputTopic="
                + outputTopic + ", deadLetterTopic=" + deadLetterTopic + ", model=" + model + ", groupId=" + groupId
                + ", startingOffsets=" + startingOffsets + ", bounded=" + bounded + ", exactlyOnce=" + exactlyOnce
                + ", transactionalIdPrefix=" + transactionalIdPrefix + ", kafkaProperties="
                + KafkaProperties.redacted(kafkaProperties) + ", parallelism=" + parallelism + ", stateBackend="
                + stateBackend + ", checkpointDir=" + checkpointDir + ", checkpointInterval=" + checkpointInterval
                + ", settings=" + settings + ", modelUpdatesTopic=" + modelUpdatesTopic + ", checkpointMinPause="
                + checkpointMinPause + "]";
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must be given");
        }
    }
}
