package io.ssmstream.app.job;

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

    /** The pipeline configuration: state backend, checkpoints, and no generic (Kryo) types. */
    public static Configuration configuration(KafkaJobSpec spec) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, spec.stateBackend());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, spec.checkpointInterval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (spec.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, spec.checkpointDir());
        }
        conf.set(PipelineOptions.GENERIC_TYPES, false);
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

    private record Endpoints(DataStream<ParsedRecord> input, KafkaSink<ForecastRecord> forecasts,
                             KafkaSink<DeadLetter> deadLetters) {
    }

    private static Endpoints endpoints(StreamExecutionEnvironment env, KafkaJobSpec spec, int expectedValues) {
        KafkaSource<ParsedRecord> source = KafkaEventSource.builder()
                .bootstrapServers(spec.bootstrapServers())
                .topic(spec.inputTopic())
                .groupId(spec.groupId())
                .startingOffsets(StartingOffsets.parse(spec.startingOffsets()))
                .bounded(spec.bounded())
                .expectedValues(expectedValues)
                .properties(spec.kafkaProperties())
                .build();
        DeliveryGuarantee guarantee = spec.exactlyOnce() ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        KafkaSink<ForecastRecord> forecasts = KafkaSinks.forecasts()
                .bootstrapServers(spec.bootstrapServers()).topic(spec.outputTopic())
                .deliveryGuarantee(guarantee).transactionalIdPrefix(spec.transactionalIdPrefix())
                .properties(spec.kafkaProperties()).build();
        KafkaSink<DeadLetter> deadLetters = KafkaSinks.deadLetters()
                .bootstrapServers(spec.bootstrapServers()).topic(spec.deadLetterTopic())
                .deliveryGuarantee(guarantee).transactionalIdPrefix(spec.transactionalIdPrefix() + "-dlq")
                .properties(spec.kafkaProperties()).build();
        DataStream<ParsedRecord> input = env
                .fromSource(source, ForecastJob.watermarks(spec.settings()), "kafka " + spec.inputTopic())
                .uid(ForecastJob.SOURCE_UID);
        return new Endpoints(input, forecasts, deadLetters);
    }
}
