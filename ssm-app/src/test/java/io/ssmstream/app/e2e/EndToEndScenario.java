package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.app.job.ForecastJob;
import io.ssmstream.app.job.JobSettings;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.connectors.json.DeadLetterJson;
import io.ssmstream.connectors.json.ForecastJson;
import io.ssmstream.connectors.kafka.KafkaEventSource;
import io.ssmstream.connectors.kafka.KafkaSinks;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.ModelArtifact;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The job end to end on a real Kafka broker (in-process or a container): JSON events in, forecasts and dead
 * letters out through exactly-once sinks, read back with read_committed.
 */
final class EndToEndScenario {
    private EndToEndScenario() {
    }

    static void createTopics(String bootstrap, int partitions, String... names) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String name : names) {
                topics.add(new NewTopic(name, partitions, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    static void produce(String bootstrap, String topic, List<String> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, null, v.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** Three streams of {@code perStream} events, a minute apart, plus one malformed and one wrong-count record. */
    static List<String> events(int perStream) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < perStream; i++) {
            for (int s = 1; s <= 3; s++) {
                double v = 40 + 10 * s + 5 * Math.sin(i / (3.0 + s));
                out.add("{\"stream\":\"pump-" + s + "\",\"ts\":" + (1_700_000_000_000L + i * 60_000L)
                        + ",\"value\":" + v + "}");
            }
            if (i == perStream / 2) {
                out.add("{\"stream\":\"pump-1\",\"ts\":");
                out.add("{\"stream\":\"pump-2\",\"ts\":1700000000000,\"values\":[1,2]}");
            }
        }
        return out;
    }

    /** Reads every record of {@code topic} with read_committed until {@code expected} arrived or 60 s passed. */
    static List<byte[]> readCommitted(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return readCommitted(p, topic, expected);
    }

    /** {@link #readCommitted(String, String, int)} with these client settings (brokers, security). */
    static List<byte[]> readCommitted(Properties client, String topic, int expected) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<byte[]> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long extraUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, extraUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                if (values.size() >= expected && extraUntil == Long.MAX_VALUE) {
                    extraUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // catch duplicates, if any
                }
            }
        }
        return values;
    }

    static List<ForecastRecord> forecasts(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return forecasts(p, topic, expected);
    }

    static List<ForecastRecord> forecasts(Properties client, String topic, int expected) {
        List<ForecastRecord> out = new ArrayList<>();
        for (byte[] v : readCommitted(client, topic, expected)) {
            out.add(ForecastJson.parse(v));
        }
        out.sort(Comparator.comparing((ForecastRecord r) -> r.stream).thenComparingLong(r -> r.ts));
        return out;
    }

    static List<DeadLetter> deadLetters(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return deadLetters(p, topic, expected);
    }

    static List<DeadLetter> deadLetters(Properties client, String topic, int expected) {
        List<DeadLetter> out = new ArrayList<>();
        for (byte[] v : readCommitted(client, topic, expected)) {
            out.add(DeadLetterJson.parse(v));
        }
        return out;
    }

    /** Every stream's forecasts, scores and stds equal the kernels' applied to the same events in time order. */
    static void assertForecastsMatchKernels(SsmModel model, List<ForecastRecord> out, int perStream) {
        StreamForecaster reference = new StreamForecaster(model, KernelOpsProvider.get(), new LikelihoodScorer());
        for (String stream : List.of("pump-1", "pump-2", "pump-3")) {
            ForecasterState state = reference.newState();
            List<ForecastRecord> records = out.stream().filter(r -> r.stream.equals(stream)).toList();
            assertEquals(perStream, records.size(), stream);
            for (ForecastRecord r : records) {
                double score = reference.step(state, r.ts * 1000, r.values);
                assertArrayEquals(state.forecastMean(), r.forecast, stream + " @" + r.ts);
                assertArrayEquals(state.forecastStd(), r.std, stream + " @" + r.ts);
                assertEquals(score, r.anomalyScore, stream + " @" + r.ts);
            }
        }
    }

    /**
     * Runs the job over the whole input topic (bounded) with checkpoints every 200 ms and restarts on failure;
     * {@code tap} is applied to the parsed input (to inject a failure).
     */
    static void runJob(String bootstrap, String in, String out, String dead, ModelArtifact model, int parallelism,
                       Function<DataStream<ParsedRecord>, DataStream<ParsedRecord>> tap) throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        // The slow failure injector backs records up in the network buffers: unaligned barriers overtake them,
        // so checkpoints complete while the input is still flowing.
        conf.set(CheckpointingOptions.ENABLE_UNALIGNED, true);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(parallelism);
        // Every partition has data: no idleness needed to advance the watermark.
        JobSettings settings = JobSettings.builder().idlePartitionTimeout(Duration.ofMinutes(5)).build();
        String prefix = "e2e-" + UUID.randomUUID();
        DataStream<ParsedRecord> input = env.fromSource(KafkaEventSource.builder().bootstrapServers(bootstrap)
                        .topic(in).groupId(prefix).bounded(true).expectedValues(1).build(),
                ForecastJob.watermarks(settings), "kafka " + in).uid(ForecastJob.SOURCE_UID);
        ForecastJob.build(tap.apply(input),
                KafkaSinks.forecasts().bootstrapServers(bootstrap).topic(out)
                        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionalIdPrefix(prefix).build(),
                KafkaSinks.deadLetters().bootstrapServers(bootstrap).topic(dead)
                        .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionalIdPrefix(prefix + "-dlq").build(),
                model, settings);
        env.execute("e2e " + in);
    }

    /**
     * Passes records through and throws once in this JVM: at the first record after {@code after} records once a
     * checkpoint has completed, so that recovery really starts from one. Until then it holds each record 3 ms,
     * so that the input lasts long enough for the first checkpoint (it must not block: the checkpoint barrier
     * and the completion notice pass through this task).
     */
    static final class FailOnceAfter implements MapFunction<ParsedRecord, ParsedRecord>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean FAILED = new AtomicBoolean();
        private final int after;
        private int seen;
        private boolean checkpointed;

        FailOnceAfter(int after) {
            this.after = after;
        }

        @Override
        public ParsedRecord map(ParsedRecord r) throws InterruptedException {
            if (!FAILED.get()) {
                Thread.sleep(3);
                if (++seen >= after && checkpointed && FAILED.compareAndSet(false, true)) {
                    throw new IllegalStateException("injected failure after " + seen + " records");
                }
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
