package io.ssmstream.app.job;

import io.ssmstream.connectors.audio.AudioDeserializationSchema;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.connectors.audio.ParsedAudioChunk;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.connectors.kafka.KafkaEventSource;
import io.ssmstream.connectors.kafka.KafkaModelUpdateSource;
import io.ssmstream.connectors.kafka.KafkaSinks;
import io.ssmstream.connectors.kafka.StartingOffsets;
import io.ssmstream.operators.ModelArtifact;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * The forecasting job on Kafka: input topic -> {@link ForecastJob} -> output and dead-letter topics, with
 * checkpoints and exactly-once (transactional) output. {@link StreamExecutionEnvironment#getExecutionEnvironment}
 * makes it run on an embedded MiniCluster from the command line and on the cluster under {@code flink run}.
 */
public final class KafkaForecastJob {

    private KafkaForecastJob() {
    }

    /**
     * The pipeline configuration: state backend, checkpoints, no generic (Kryo) types, and object reuse: records
     * are handed from an operator to the next one in its chain without a copy (a deep copy of each forecast
     * record on its way to the sink, and of each parsed record on its way to the router, otherwise). Safe here:
     * no function changes a record it received or keeps one after handing it on, and records that cross the
     * network (after {@code keyBy}, the broadcast updates) are always read into new objects.
     */
    public static Configuration configuration(KafkaJobSpec spec) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, spec.stateBackend());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, spec.checkpointInterval());
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, spec.checkpointMinPause());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (spec.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, spec.checkpointDir());
        }
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        return conf;
    }

    public static StreamExecutionEnvironment environment(KafkaJobSpec spec) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // configure() applies the options whichever context made the environment (CLI, flink run, tests).
        env.configure(configuration(spec));
        if (spec.parallelism() != null) {
            env.setParallelism(spec.parallelism());
        }
        return env;
    }

    /**
     * Adds the job to {@code env}; the model is read and validated here, on the client. With a model-update
     * topic, updates are read from it (one reader; from the earliest offset without a checkpoint, so a new job
     * starts with the current model) and broadcast to the forecaster.
     */
    public static void wire(StreamExecutionEnvironment env, KafkaJobSpec spec) {
        ModelArtifact model = ModelArtifact.fromFile(spec.model());
        Endpoints io = endpoints(env, spec, model.dInput());
        DataStream<ModelUpdate> updates = null;
        if (spec.modelUpdatesTopic() != null) {
            KafkaSource<ModelUpdate> source = KafkaModelUpdateSource.builder()
                    .bootstrapServers(spec.bootstrapServers())
                    .topic(spec.modelUpdatesTopic())
                    .groupId(spec.groupId() + "-model-updates")
                    .properties(spec.kafkaProperties())
                    .build();
            updates = env.fromSource(source, ForecastJob.modelUpdateWatermarks(), "kafka " + spec.modelUpdatesTopic())
                    .setParallelism(1).uid(ForecastJob.MODEL_UPDATES_SOURCE_UID);
        }
        ForecastJob.build(io.input, updates, io.forecasts, io.deadLetters, model, spec.settings());
    }

    /**
     * The same job with {@code keyed} in the SSM forecaster's place (same source, router, sinks and settings;
     * {@code spec.model()} is not read): for measuring the pipeline around the model, e.g. the benchmarks'
     * pass-through job. {@code expectedValues}: how many values each event must carry.
     */
    public static void wire(StreamExecutionEnvironment env, KafkaJobSpec spec, int expectedValues,
                            KeyedProcessFunction<String, SensorEvent, ForecastRecord> keyed, String name) {
        Endpoints io = endpoints(env, spec, expectedValues);
        ForecastJob.build(io.input, io.forecasts, io.deadLetters, keyed, name);
    }

    /**
     * The audio job ({@link AudioJob}) on Kafka: {@code spec.inputTopic()} is the audio topic (records as in
     * {@code AudioHeaders}), {@code spec.outputTopic()} receives one score record per stream per
     * {@code interval}; same checkpoints, delivery guarantee and dead letters as the forecasting job.
     */
    public static void wireAudio(StreamExecutionEnvironment env, KafkaJobSpec spec, Duration interval) {
        ModelArtifact model = ModelArtifact.fromFile(spec.model());
        KafkaSource<ParsedAudioChunk> source = sourceBuilder(spec).build(new AudioDeserializationSchema());
        KafkaSink<AudioScoreRecord> scores = KafkaSinks.audioScores()
                .bootstrapServers(spec.bootstrapServers()).topic(spec.outputTopic())
                .deliveryGuarantee(guarantee(spec)).transactionalIdPrefix(spec.transactionalIdPrefix())
                .properties(spec.kafkaProperties()).build();
        DataStream<ParsedAudioChunk> input = env
                .fromSource(source, AudioJob.watermarks(spec.settings()), "kafka " + spec.inputTopic())
                .uid(AudioJob.SOURCE_UID);
        AudioJob.build(input, scores, deadLetterSink(spec), model, interval, spec.settings());
    }

    private record Endpoints(DataStream<ParsedRecord> input, KafkaSink<ForecastRecord> forecasts,
                             KafkaSink<DeadLetter> deadLetters) {
    }

    private static Endpoints endpoints(StreamExecutionEnvironment env, KafkaJobSpec spec, int expectedValues) {
        KafkaSource<ParsedRecord> source = sourceBuilder(spec).expectedValues(expectedValues).build();
        KafkaSink<ForecastRecord> forecasts = KafkaSinks.forecasts()
                .bootstrapServers(spec.bootstrapServers()).topic(spec.outputTopic())
                .deliveryGuarantee(guarantee(spec)).transactionalIdPrefix(spec.transactionalIdPrefix())
                .properties(spec.kafkaProperties()).build();
        DataStream<ParsedRecord> input = env
                .fromSource(source, ForecastJob.watermarks(spec.settings()), "kafka " + spec.inputTopic())
                .uid(ForecastJob.SOURCE_UID);
        return new Endpoints(input, forecasts, deadLetterSink(spec));
    }

    private static KafkaEventSource.Builder sourceBuilder(KafkaJobSpec spec) {
        return KafkaEventSource.builder()
                .bootstrapServers(spec.bootstrapServers())
                .topic(spec.inputTopic())
                .groupId(spec.groupId())
                .startingOffsets(StartingOffsets.parse(spec.startingOffsets()))
                .bounded(spec.bounded())
                .properties(spec.kafkaProperties());
    }

    private static DeliveryGuarantee guarantee(KafkaJobSpec spec) {
        return spec.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
    }

    private static KafkaSink<DeadLetter> deadLetterSink(KafkaJobSpec spec) {
        return KafkaSinks.deadLetters()
                .bootstrapServers(spec.bootstrapServers()).topic(spec.deadLetterTopic())
                .deliveryGuarantee(guarantee(spec)).transactionalIdPrefix(spec.transactionalIdPrefix() + "-dlq")
                .properties(spec.kafkaProperties()).build();
    }
}
