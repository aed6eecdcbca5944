package io.ssmstream.benchmarks.pipeline;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ForecastJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.ModelUpdatePublisher;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.operators.ModelArtifact;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Model swap latency: the job runs on an in-process broker and an embedded MiniCluster with a model-update
 * topic while events flow at a steady rate; the benchmark publishes a new version (alternating two Mamba d_model
 * 16, 2-layer files) once to warm up, then {@code --swaps} times, and measures, from the moment {@link ModelUpdatePublisher#publish}
 * returns (acknowledged), the time until the first forecast by the new version is read from the output topic,
 * and until every stream has had one (its state rebuilt from its window). At-least-once output (no wait for a
 * checkpoint); the watermark's out-of-orderness is 0, so an event waits only for the periodic watermark (200 ms).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * io.ssmstream.benchmarks.pipeline.ModelSwapBenchmark [--swaps 7] [--streams 100] [--rate 1000]}
 */
public final class ModelSwapBenchmark {
    private ModelSwapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("--swaps", "7", "--streams", "100", "--rate", "1000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opts.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + opts.keySet());
            }
            opts.put(args[i], args[i + 1]);
        }
        int swaps = Integer.parseInt(opts.get("--swaps"));
        int streams = Integer.parseInt(opts.get("--streams"));
        int rate = Integer.parseInt(opts.get("--rate"));

        Path dir = Files.createTempDirectory("ssm-swap-bench");
        Path[] files = {dir.resolve("a.safetensors"), dir.resolve("b.safetensors")};
        for (int i = 0; i < 2; i++) {
            ModelInitializer.initialize(ModelConfig.builder(Arch.MAMBA, 1).dModel(16).nLayers(2).dState(16)
                    .inputMean(new float[] {50}).inputStd(new float[] {5}).build(), i + 1).save(files[i]);
        }
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(4, "in", "out", "dead");
            kafka.createCompactedTopics("updates");
            JobSettings settings = JobSettings.builder().outOfOrderness(Duration.ZERO).build();
            KafkaJobSpec spec = new KafkaJobSpec(kafka.bootstrapServers(), "in", "out", "dead", files[0], "bench",
                    "latest", false, false, null, null, 2, "hashmap", null, Duration.ofSeconds(10), settings,
                    "updates");
            StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
            KafkaForecastJob.wire(env, spec);
            JobClient job = env.executeAsync("model swap benchmark");

            Map<String, Long> firstByVersion = new ConcurrentHashMap<>();
            Map<String, Map<String, Boolean>> streamsByVersion = new ConcurrentHashMap<>();
            Map<String, Long> allByVersion = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread producer = new Thread(() -> produce(kafka.bootstrapServers(), streams, rate, stop));
            Thread consumer = new Thread(() -> consume(kafka.bootstrapServers(), streams, stop, firstByVersion,
                    streamsByVersion, allByVersion));
            producer.start();
            consumer.start();
            String initial = ModelArtifact.fromFile(files[0]).version();
            await(firstByVersion, initial, "the first forecast");

            List<double[]> results = new ArrayList<>();
            try (ModelUpdatePublisher publisher = ModelUpdatePublisher.builder()
                    .bootstrapServers(kafka.bootstrapServers()).topic("updates").build()) {
                System.out.println("| swap | published -> first forecast by it (ms) | -> every stream on it (ms) |");
                System.out.println("| ---: | ---: | ---: |");
                for (int s = 0; s <= swaps; s++) {
                    Path file = files[s % 2];
                    byte[] bytes = Files.readAllBytes(file);
                    String version = "swap-" + s;
                    ModelUpdate update = new ModelUpdate("default", version, file.toUri().toString(),
                            ModelArtifact.sha256Hex(bytes), ModelArtifact.fromFile(file).configJson(),
                            System.currentTimeMillis());
                    publisher.publish(update);
                    long published = System.nanoTime();
                    double first = (await(firstByVersion, version, version) - published) / 1e6;
                    double all = (await(allByVersion, version, version + " on every stream") - published) / 1e6;
                    if (s > 0) { // swap 0 warms up the fetch and rebuild code paths
                        results.add(new double[] {first, all});
                    }
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f |%n", s == 0 ? "0 (warm-up)" : s, first, all);
                    Thread.sleep(1000);
                }
            }
            System.out.printf(Locale.ROOT, "median of %d swaps (%d streams, %d events/s): first %.0f ms, every stream %.0f ms%n",
                    swaps, streams, rate, median(results, 0), median(results, 1));
            stop.set(true);
            producer.join();
            consumer.join();
            job.cancel().get();
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long await(Map<String, Long> seen, String version, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Long at = seen.get(version);
            if (at != null) {
                return at;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no " + what + " within 120 s");
    }

    /** {@code rate} events/s spread over {@code streams} streams, at wall-clock time. */
    private static void produce(String bootstrap, int streams, int rate, AtomicBoolean stop) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long periodNanos = 1_000_000_000L / rate;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long next = System.nanoTime();
            for (long k = 0; !stop.get(); k++) {
                long now = System.currentTimeMillis();
                String json = "{\"stream\":\"s-" + (k % streams) + "\",\"ts\":" + now + ",\"value\":"
                        + (50 + 5 * Math.sin(now / 20_000.0)) + "}";
                producer.send(new ProducerRecord<>("in", json.getBytes(StandardCharsets.UTF_8)));
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void consume(String bootstrap, int streams, AtomicBoolean stop, Map<String, Long> firstByVersion,
                                Map<String, Map<String, Boolean>> streamsByVersion, Map<String, Long> allByVersion) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "swap-bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of("out"));
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(5))) {
                    long now = System.nanoTime();
                    ForecastRecord f = ForecastJson.parse(r.value());
                    firstByVersion.putIfAbsent(f.modelVersion, now);
                    Map<String, Boolean> on = streamsByVersion.computeIfAbsent(f.modelVersion,
                            v -> new ConcurrentHashMap<>());
                    on.put(f.stream, Boolean.TRUE);
                    if (on.size() == streams) {
                        allByVersion.putIfAbsent(f.modelVersion, now);
                    }
                }
            }
        }
    }
}
