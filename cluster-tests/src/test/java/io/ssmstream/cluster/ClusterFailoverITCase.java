package io.ssmstream.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.json.ForecastJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ssm-stream.jar, submitted with {@code flink run} to a cluster of separate JobManager and TaskManager processes
 * ({@link FlinkProcessCluster}), reading from and writing to a real Kafka broker, with RocksDB state and
 * checkpoints in a local directory. Each test streams the same fixed input ({@link StreamInput}): the first part
 * before the job starts, the rest paced over some seconds while the job runs, and disrupts the job mid-stream
 * (after checkpoints have completed and output was committed, before the end of the input). The
 * {@code read_committed} output must then be record for record identical (same keys, values and order per
 * stream) to the failure-free run's, with nothing lost or duplicated. The TaskManagers use the scalar kernels, so
 * that a run's output is reproducible to the bit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFailoverITCase {
    private static final StreamInput INPUT = new StreamInput(24, 400, 3);
    private static final int PARALLELISM = 2;
    private static final int SENT_BEFORE_START = INPUT.events * 2 / 5;
    private static final int LIVE_BATCHES = 40;
    private static final long LIVE_PAUSE_MS = 250;
    private static final SsmModel MODEL = RandomModels.create(Arch.MAMBA, 1, 8, 2, 8, true, 21);
    private static final String MAIN_CLASS = "io.ssmstream.app.SsmStreamCli";
    private static final String DASHBOARD = "tools/monitoring/grafana/dashboards/ssm-stream.json";

    private static EmbeddedKafka kafka;
    private static Path modelFile;
    private static Path jobJar;
    private static Run baseline;

    private FlinkProcessCluster cluster;
    private Path testDir;

    /** What a run left on its output topics, and the checkpoint counts of the job that ended it. */
    private record Run(CommittedOutput forecasts, CommittedOutput deadLetters, int restoredCheckpoints,
                       List<String> prometheusScrapes) {
    }

    /** Something done to the cluster mid-stream; returns the id of the job that runs afterwards. */
    private interface Disruption {
        String apply(String jobId, List<String> jobArgs) throws Exception;
    }

    @BeforeAll
    static void startKafka() throws IOException {
        jobJar = FlinkProcessCluster.jobJar();
        kafka = EmbeddedKafka.start();
        Files.deleteIfExists(WorkDirs.root().resolve("report.txt"));
        modelFile = WorkDirs.root().resolve("model.safetensors");
        Files.createDirectories(modelFile.getParent());
        MODEL.toFile().write(modelFile);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @BeforeEach
    void startCluster(TestInfo test) throws IOException {
        testDir = WorkDirs.root().resolve(test.getTestMethod().orElseThrow().getName());
        WorkDirs.deleteRecursively(testDir);
        cluster = FlinkProcessCluster.start(testDir.resolve("flink"), 2, 2, Map.of(
                "restart-strategy.type", "fixed-delay",
                "restart-strategy.fixed-delay.attempts", "20",
                "restart-strategy.fixed-delay.delay", "1s",
                "execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION",
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"),
                List.of("-Dssmstream.kernels=scalar"));
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void failureFreeRunForecastsEveryEventAsTheKernelsDoAndExportsPrometheusMetrics() throws Exception {
        Run run = baseline();
        assertEquals(INPUT.expectedForecasts(), run.forecasts.count(), "forecasts");
        assertEquals(StreamInput.DEAD_LETTERS, run.deadLetters.count(), "dead letters");
        assertForecastsMatchKernels(run.forecasts);
        assertPrometheusMetrics(run.prometheusScrapes, run.forecasts.count());
        report("baseline", run.forecasts.count() + " forecasts equal to the scalar kernels' steps, "
                + run.deadLetters.count() + " dead letters; Prometheus: ssm metrics on both TaskManagers and every"
                + " dashboard metric served");
    }

    @Test
    @Order(2)
    void taskManagerKilledMidStreamGivesIdenticalOutput() throws Exception {
        Run run = run("tm-kill", (jobId, args) -> {
            cluster.killTaskManager(0);
            return jobId;
        });
        assertTrue(run.restoredCheckpoints >= 1, "the job restarted from a checkpoint");
        assertIdentical(baseline(), run);
        reportIdentical("tm-kill", "TaskManager killed with SIGKILL, the job restored "
                + run.restoredCheckpoints + " time(s) from a checkpoint", run);
    }

    @Test
    @Order(3)
    void jobManagerKilledAndRestartedFromTheLatestRetainedCheckpointGivesIdenticalOutput() throws Exception {
        Run run = run("jm-kill", (jobId, args) -> {
            Path checkpoints = checkpointDir("jm-kill").resolve(jobId);
            cluster.killJobManager();
            cluster.startJobManager();
            cluster.awaitTaskManagers(2);
            return cluster.submit(jobJar, MAIN_CLASS, latestRetainedCheckpoint(checkpoints).toUri().toString(), args);
        });
        assertEquals(1, run.restoredCheckpoints, "the new job started from the retained checkpoint");
        assertIdentical(baseline(), run);
        reportIdentical("jm-kill", "JobManager killed with SIGKILL, a new one started, the job resubmitted from"
                + " the latest retained checkpoint", run);
    }

    @Test
    @Order(4)
    void stopWithSavepointAndRestoreAtParallelismThreeGivesIdenticalOutput() throws Exception {
        Run run = run("rescale", (jobId, args) -> {
            String savepoint = cluster.stopWithSavepoint(jobId, testDir.resolve("savepoints"));
            List<String> rescaled = new ArrayList<>(args);
            rescaled.set(rescaled.indexOf("--parallelism") + 1, "3");
            String restored = cluster.submit(jobJar, MAIN_CLASS, savepoint, rescaled);
            FlinkProcessCluster.await("the restored job at parallelism 3",
                    () -> cluster.rest("/jobs/" + restored).path("vertices").findValues("parallelism").stream()
                            .anyMatch(p -> p.asInt() == 3));
            return restored;
        });
        assertEquals(1, run.restoredCheckpoints, "the new job started from the savepoint");
        assertIdentical(baseline(), run);
        reportIdentical("rescale", "stopped with a savepoint at parallelism 2, restored at parallelism 3", run);
    }

    /** The failure-free run, once per test class, on the current test's cluster. */
    private Run baseline() throws Exception {
        if (baseline == null) {
            baseline = run("baseline", (jobId, args) -> jobId);
        }
        return baseline;
    }

    /**
     * Streams the input through a new job on the cluster, calls {@code disruption} a third of the way into the
     * live part, and returns what the job committed; cancels the job at the end.
     */
    private Run run(String name, Disruption disruption) throws Exception {
        String in = name + "-in";
        String out = name + "-out";
        String dead = name + "-dead";
        kafka.createTopics(INPUT.partitions(), in, out, dead);
        List<String> args = List.of("run", "--bootstrap-servers", kafka.bootstrapServers(),
                "--input-topic", in, "--output-topic", out, "--dlq-topic", dead, "--model", modelFile.toString(),
                "--group-id", name, "--state-backend", "rocksdb",
                "--checkpoint-dir", checkpointDir(name).toUri().toString(), "--checkpoint-interval", "1s",
                "--parallelism", Integer.toString(PARALLELISM),
                // every partition has data until the end: no partition may be declared idle and overtaken
                "--idle-partition-timeout", "10min");
        StreamInput.send(kafka.bootstrapServers(), INPUT.records(in, 0, SENT_BEFORE_START));
        String jobId = cluster.submit(jobJar, MAIN_CLASS, null, args);
        String first = jobId;
        FlinkProcessCluster.await("a completed checkpoint with committed output of " + name,
                () -> cluster.completedCheckpoints(first) >= 2
                        && CommittedOutput.countNow(kafka.bootstrapServers(), out) > 0);

        List<ProducerRecord<byte[], byte[]>> live = INPUT.records(in, SENT_BEFORE_START, INPUT.events);
        AtomicInteger batchesSent = new AtomicInteger();
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> sendLive(live, batchesSent));
        FlinkProcessCluster.await("a third of the live input", () -> batchesSent.get() >= LIVE_BATCHES / 3);
        int committedBefore = CommittedOutput.countNow(kafka.bootstrapServers(), out);
        int sentBefore = batchesSent.get();
        assertTrue(sentBefore < LIVE_BATCHES / 2, "the disruption comes while the input is still arriving");
        jobId = disruption.apply(jobId, args);
        report(name, "mid-stream point: " + committedBefore + " of " + INPUT.expectedForecasts()
                + " forecasts committed, " + sentBefore + " of " + LIVE_BATCHES + " live input batches sent");
        producer.get();
        StreamInput.send(kafka.bootstrapServers(), INPUT.flush(in));

        CommittedOutput forecasts = CommittedOutput.read(kafka.bootstrapServers(), out, INPUT.expectedForecasts());
        // a dead letter names the topic it came from: each run has its own
        CommittedOutput deadLetters = CommittedOutput.read(kafka.bootstrapServers(), dead, StreamInput.DEAD_LETTERS)
                .replacing("\"topic\":\"" + in + "\"", "\"topic\":\"input\"");
        List<String> scrapes = new ArrayList<>();
        if (name.equals("baseline")) {
            for (int tm = 0; tm < 2; tm++) {
                scrapes.add(cluster.scrapePrometheus(tm));
            }
            scrapes.add(cluster.scrapeJobManagerPrometheus());
        }
        int restored = cluster.restoredCheckpoints(jobId);
        cluster.cancel(jobId);
        return new Run(forecasts, deadLetters, restored, scrapes);
    }

    private static void reportIdentical(String name, String disruption, Run run) throws IOException {
        report(name, disruption + ": " + run.forecasts.count() + " forecasts and " + run.deadLetters.count()
                + " dead letters identical to the failure-free run");
    }

    /** A line of what was checked, on standard output and in the report that tools/cluster/failover-test.sh prints. */
    private static void report(String name, String line) throws IOException {
        String text = name + ": " + line;
        System.out.println(text);
        Files.writeString(WorkDirs.root().resolve("report.txt"), text + System.lineSeparator(),
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static void sendLive(List<ProducerRecord<byte[], byte[]>> live, AtomicInteger batchesSent) {
        int per = (live.size() + LIVE_BATCHES - 1) / LIVE_BATCHES;
        try (KafkaProducer<byte[], byte[]> producer = StreamInput.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < live.size(); i += per) {
                StreamInput.send(producer, live.subList(i, Math.min(live.size(), i + per)));
                batchesSent.incrementAndGet();
                Thread.sleep(LIVE_PAUSE_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the live input", e);
        }
    }

    /**
     * Both TaskManagers' Prometheus endpoints serve the job's ssm metrics (events counted = forecasts out), and
     * every metric that the Grafana dashboard in {@code tools/monitoring} queries is served by some process.
     */
    private static void assertPrometheusMetrics(List<String> scrapes, int forecasts) throws IOException {
        assertEquals(3, scrapes.size(), "scrapes: 2 TaskManagers, the JobManager");
        double events = 0;
        for (int tm = 0; tm < 2; tm++) {
            String metrics = scrapes.get(tm);
            for (String name : List.of("ssm_events", "ssm_anomalies", "ssm_modelVersion", "ssm_stepLatencyNanos")) {
                assertTrue(metrics.contains("flink_taskmanager_job_task_operator_" + name),
                        "TaskManager " + tm + " exports " + name);
            }
            events += metrics.lines().filter(l -> l.startsWith("flink_taskmanager_job_task_operator_ssm_events{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }
        assertEquals(forecasts, events, 0.0, "ssm_events summed over the TaskManagers");

        Set<String> served = new TreeSet<>();
        for (String scrape : scrapes) {
            scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> served.add(l.split("[{ ]", 2)[0]));
        }
        String dashboard = Files.readString(repositoryRoot().resolve(DASHBOARD));
        Matcher metric = Pattern.compile("flink_[A-Za-z0-9_]+").matcher(dashboard);
        int queried = 0;
        while (metric.find()) {
            // a name ending in '_' is the prefix of a regex match (dead letters: one metric per reason)
            String name = metric.group();
            assertTrue(name.endsWith("_") ? served.stream().anyMatch(m -> m.startsWith(name)) : served.contains(name),
                    DASHBOARD + " queries " + name + ", which no process serves");
            queried++;
        }
        assertTrue(queried >= 10, "the dashboard's queries were found: " + queried);
    }

    private static void assertIdentical(Run expected, Run actual) {
        assertIdentical("forecasts", expected.forecasts, actual.forecasts);
        assertIdentical("dead letters", expected.deadLetters, actual.deadLetters);
    }

    private static void assertIdentical(String what, CommittedOutput expected, CommittedOutput actual) {
        assertEquals(expected.byKey().keySet(), actual.byKey().keySet(), what + ": keys");
        for (String key : expected.byKey().keySet()) {
            List<String> e = expected.byKey().get(key);
            List<String> a = actual.byKey().get(key);
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                if (!e.get(i).equals(a.get(i))) {
                    fail(what + " of " + key + " differ at record " + i + ":\n  expected " + e.get(i)
                            + "\n  actual   " + a.get(i));
                }
            }
            assertEquals(e.size(), a.size(), what + " of " + key + ": records (fewer: lost; more: duplicated)");
        }
        assertEquals(expected.count(), actual.count(), what + ": records in all");
    }

    /** Every stream's forecasts equal the kernels' one-at-a-time steps over its events, in order. */
    private static void assertForecastsMatchKernels(CommittedOutput out) {
        StreamForecaster reference = new StreamForecaster(MODEL, KernelOpsProvider.get(), new LikelihoodScorer());
        assertEquals(INPUT.streams, out.byKey().size(), "streams");
        for (Map.Entry<String, List<String>> stream : out.byKey().entrySet()) {
            ForecasterState state = reference.newState();
            List<ForecastRecord> records = stream.getValue().stream()
                    .map(v -> ForecastJson.parse(v.getBytes(StandardCharsets.UTF_8))).toList();
            assertEquals(INPUT.events, records.size(), stream.getKey());
            for (ForecastRecord r : records) {
                double score = reference.step(state, r.ts * 1000, r.values);
                assertArrayEquals(state.forecastMean(), r.forecast, stream.getKey() + " @" + r.ts);
                assertArrayEquals(state.forecastStd(), r.std, stream.getKey() + " @" + r.ts);
                assertEquals(score, r.anomalyScore, stream.getKey() + " @" + r.ts);
            }
        }
    }

    /** The newest {@code chk-N} directory under {@code jobCheckpoints} whose {@code _metadata} was written. */
    private static Path latestRetainedCheckpoint(Path jobCheckpoints) throws IOException {
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .max(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new IllegalStateException("no completed checkpoint in " + jobCheckpoints));
        }
    }

    private Path checkpointDir(String name) {
        return testDir.resolve("checkpoints").resolve(name);
    }

    private static Path repositoryRoot() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
