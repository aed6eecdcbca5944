package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ForecastJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.ModelUpdatePublisher;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.Trainer;
import io.ssmstream.trainer.TrainingOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot swap end to end: the job runs on a real in-process broker with model v1; a training run makes v2, which is
 * stored and announced with {@link ModelUpdatePublisher}; the running job switches to it (no restart) and its
 * output says so; a corrupt v3 is rejected and v2 keeps running; a later v4 proves the job still takes updates.
 * Prints the time from "v2 published" to "first forecast made by v2" (a measurement, not an assertion).
 */
class ModelSwapITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static EmbeddedKafka kafka;

    @TempDir
    Path store;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static float level(long millis) {
        return (float) (50 + 5 * Math.sin(millis / 1000.0 / 20.0));
    }

    /** A sine with noise at irregular gaps around 1 s, as the job's streams carry (time scaled 1:1). */
    private static EventSeries trainingSeries() {
        Random r = new Random(7);
        int n = 1500;
        long[] micros = new long[n];
        float[] values = new float[n];
        long t = 1_700_000_000_000L;
        for (int k = 0; k < n; k++) {
            t += (long) (50 + 100 * r.nextDouble());
            micros[k] = t * 1000;
            values[k] = level(t) + (float) (0.3 * r.nextGaussian());
        }
        return new EventSeries("sine", List.of("v"), micros, values);
    }

    private ModelUpdate store(Path file, String version) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String config = SafetensorsFile.read(file).metadata().get(ModelConfig.METADATA_KEY);
        return new ModelUpdate("default", version, file.toUri().toString(), ModelArtifact.sha256Hex(bytes), config,
                System.currentTimeMillis());
    }

    @Test
    void theRunningJobSwitchesToATrainedModelRejectsACorruptOneAndKeepsRunning() throws Exception {
        String in = "swap-in";
        String out = "swap-out";
        String updates = "swap-model-updates";
        kafka.createTopics(1, in, out, "swap-dead");
        kafka.createCompactedTopics(updates);

        Path v1 = store.resolve("v1.safetensors");
        ModelInitializer.initialize(ModelConfig.builder(Arch.MAMBA, 1).dModel(8).nLayers(1).dState(8)
                .dtUnitMs(100).inputMean(new float[] {50}).inputStd(new float[] {4}).build(), 1).save(v1);

        StringWriter trainLog = new StringWriter();
        Trainer.Result trained = Trainer.train(List.of(trainingSeries()), null, new TrainingOptions().arch(Arch.MAMBA)
                .dModel(8).nLayers(1).dState(8).epochs(3).windowLength(128).batchSize(8).seed(1).version("v2"),
                new PrintWriter(trainLog, true));
        Path v2 = store.resolve("v2.safetensors");
        trained.model().save(v2);

        JobSettings settings = JobSettings.builder().outOfOrderness(Duration.ofMillis(50))
                .idlePartitionTimeout(Duration.ofMinutes(5)).swapWindow(32).build();
        KafkaJobSpec spec = new KafkaJobSpec(kafka.bootstrapServers(), in, out, "swap-dead", v1, "swap-it", "latest",
                false, false, null, null, 1, "hashmap", null, Duration.ofSeconds(1), settings, updates);
        StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
        Configuration noRestarts = new Configuration();
        noRestarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(noRestarts);
        KafkaForecastJob.wire(env, spec);
        JobClient job = env.executeAsync("model swap IT");

        List<Arrival> arrivals = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> produceUntil(in, stop), "events");
        Thread consumer = new Thread(() -> consumeUntil(out, stop, arrivals), "forecasts");
        producer.start();
        consumer.start();
        try (ModelUpdatePublisher publisher = ModelUpdatePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers()).topic(updates).build()) {
            String v1Version = awaitArrival(arrivals, a -> true, "forecasts by v1").record.modelVersion;
            assertEquals(ModelArtifact.fromFile(v1).version(), v1Version);

            publisher.publish(store(v2, "v2"));
            long published = System.nanoTime();
            Arrival firstV2 = awaitArrival(arrivals, a -> a.record.modelVersion.equals("v2"), "forecasts by v2");
            System.out.printf("model swap: v2 published -> first forecast by v2: %.0f ms (trained in %.1f s)%n",
                    (firstV2.nanos - published) / 1e6, trained.seconds());

            byte[] flipped = Files.readAllBytes(v2);
            for (int i = flipped.length - 64; i < flipped.length; i++) {
                flipped[i] ^= (byte) 0xA5; // the last weights: still a well-formed file, but not v2's bytes
            }
            Path v3 = store.resolve("v3.safetensors");
            Files.write(v3, flipped);
            ModelUpdate corrupt = store(v2, "v3");
            corrupt.uri = v3.toUri().toString(); // v2's checksum: the flipped bytes must be refused
            publisher.publish(corrupt);
            long corruptPublished = System.nanoTime();
            awaitArrival(arrivals, a -> a.nanos > corruptPublished + 3_000_000_000L, "forecasts 3 s after v3");

            publisher.publish(store(v1, "v4"));
            awaitArrival(arrivals, a -> a.record.modelVersion.equals("v4"), "forecasts by v4");
            assertEquals(JobStatus.RUNNING, job.getJobStatus().get(), "no failure, no restart");

            List<Arrival> seen;
            synchronized (arrivals) {
                seen = List.copyOf(arrivals);
            }
            assertFalse(seen.stream().anyMatch(a -> a.record.modelVersion.equals("v3")), "v3 never ran");
            assertTrue(seen.stream().anyMatch(a -> a.nanos > corruptPublished + 3_000_000_000L
                    && a.record.modelVersion.equals("v2")), "v2 kept running after v3 was rejected");
            for (String stream : List.of("pump-1", "pump-2")) {
                List<String> versions = seen.stream().filter(a -> a.record.stream.equals(stream))
                        .map(a -> a.record.modelVersion).distinct().toList();
                assertEquals(List.of(v1Version, "v2", "v4"), versions, stream + ": the versions in order");
            }
        } finally {
            stop.set(true);
            producer.join();
            consumer.join();
            job.cancel().get();
        }
    }

    private record Arrival(ForecastRecord record, long nanos) {
    }

    private static Arrival awaitArrival(List<Arrival> arrivals, Predicate<Arrival> wanted, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (arrivals) {
                for (Arrival a : arrivals) {
                    if (wanted.test(a)) {
                        return a;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " within " + PATIENCE);
    }

    /** Two streams, an event each every 20 ms, at wall-clock time. */
    private static void produceUntil(String topic, AtomicBoolean stop) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        Random r = new Random(3);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            while (!stop.get()) {
                long now = System.currentTimeMillis();
                for (String stream : List.of("pump-1", "pump-2")) {
                    float v = level(now) + (float) (0.3 * r.nextGaussian());
                    producer.send(new ProducerRecord<>(topic, stream,
                            "{\"stream\":\"" + stream + "\",\"ts\":" + now + ",\"value\":" + v + "}"));
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consumeUntil(String topic, AtomicBoolean stop, List<Arrival> arrivals) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "swap-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(20))) {
                    arrivals.add(new Arrival(ForecastJson.parse(r.value()), System.nanoTime()));
                }
            }
        }
    }
}
