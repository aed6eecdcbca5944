package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.app.SsmStreamCli;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job on a real Kafka broker started in-process, on a Flink MiniCluster. */
class KafkaEndToEndITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final SsmModel MODEL = RandomModels.create(Arch.MAMBA, 1, 8, 2, 8, true, 21);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static ModelArtifact artifact() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MODEL.toFile().writeTo(bytes);
        return ModelArtifact.fromBytes(bytes.toByteArray(), "e2e-model");
    }

    private static List<ForecastRecord> run(String name, Function<org.apache.flink.streaming.api.datastream.DataStream<
            io.ssmstream.connectors.event.ParsedRecord>, org.apache.flink.streaming.api.datastream.DataStream<
            io.ssmstream.connectors.event.ParsedRecord>> tap, int perStream) throws Exception {
        String in = name + "-in";
        String out = name + "-out";
        String dead = name + "-dead";
        kafka.createTopics(3, in, out, dead);
        EndToEndScenario.produce(kafka.bootstrapServers(), in, EndToEndScenario.events(perStream));
        EndToEndScenario.runJob(kafka.bootstrapServers(), in, out, dead, artifact(), 2, tap);
        List<DeadLetter> deadLetters = EndToEndScenario.deadLetters(kafka.bootstrapServers(), dead, 2);
        assertEquals(List.of(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.WRONG_VALUE_COUNT),
                deadLetters.stream().map(d -> d.reason).sorted().toList(), name);
        return EndToEndScenario.forecasts(kafka.bootstrapServers(), out, 3 * perStream);
    }

    @Test
    void jsonInForecastsOutEqualTheKernelsAndBadRecordsAreDeadLettered() throws Exception {
        List<ForecastRecord> out = run("plain", s -> s, 150);
        assertEquals(450, out.size());
        EndToEndScenario.assertForecastsMatchKernels(MODEL, out, 150);
    }

    /**
     * A failure mid-stream: Flink restarts from the last checkpoint, and the read_committed output equals the
     * failure-free run record for record (the model is deterministic): nothing lost, nothing duplicated.
     */
    @Test
    void failureMidStreamRestartsFromCheckpointWithoutLossOrDuplicates() throws Exception {
        List<ForecastRecord> clean = run("clean", s -> s, 400);
        EndToEndScenario.FailOnceAfter.FAILED.set(false);
        List<ForecastRecord> recovered = run("failing", s -> s.map(new EndToEndScenario.FailOnceAfter(300))
                .setParallelism(1).name("fail once"), 400);
        assertTrue(EndToEndScenario.FailOnceAfter.FAILED.get(), "the failure was injected");
        assertEquals(1200, clean.size());
        assertEquals(clean.size(), recovered.size(), () -> "missing after recovery: " + clean.stream()
                .filter(r -> !recovered.contains(r)).map(r -> r.stream + "@" + r.ts + "#" + r.events).toList());
        assertEquals(clean, recovered);
    }

    /**
     * The job's forecasts equal {@code ssm-stream replay} of the same series, float for float, with the default
     * idle TTL (7 days) in both: the series has a gap of 8 days, after which the stream starts over, and one of
     * exactly 7 days, after which it goes on.
     */
    @Test
    void jobForecastsEqualReplayOfTheSameSeries(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.safetensors");
        MODEL.save(model);
        Path csv = dir.resolve("series.csv");
        StringBuilder text = new StringBuilder("timestamp,value\n");
        long day = 86_400_000L;
        for (int i = 0; i < 300; i++) {
            long gaps = (i >= 100 ? 8 * day : 0) + (i >= 250 ? 7 * day - 60_000L : 0);
            text.append(1_700_000_000_000L + gaps + i * 60_000L + (i % 7 == 0 ? 30_000L : 0)).append(',')
                    .append(50 + 5 * Math.sin(i / 4.0) + (i == 200 ? 40 : 0)).append('\n');
        }
        Files.writeString(csv, text);
        String bootstrap = kafka.bootstrapServers();
        kafka.createTopics(2, "replay-in", "replay-out", "replay-dead");
        assertEquals(0, SsmStreamCli.newCommandLine().execute("produce", "--bootstrap-servers", bootstrap,
                "--topic", "replay-in", "--input", csv.toString(), "--stream", "series"));
        EndToEndScenario.runJob(bootstrap, "replay-in", "replay-out", "replay-dead", ModelArtifact.fromFile(model), 2,
                s -> s);
        List<ForecastRecord> job = EndToEndScenario.forecasts(bootstrap, "replay-out", 300);
        List<String> dead = EndToEndScenario.deadLetters(bootstrap, "replay-dead", 0).stream()
                .map(d -> d.reason + ": " + d.detail).toList();
        assertEquals(List.of(), dead, "a clean, ordered series has no dead letters");
        Path replayed = dir.resolve("replayed.csv");
        assertEquals(0, SsmStreamCli.newCommandLine().execute("replay", "--model", model.toString(), "--input",
                csv.toString(), "--output", replayed.toString()));
        List<String> rows = Files.readAllLines(replayed);
        assertEquals(301, rows.size());
        assertEquals(300, job.size());
        for (int i = 0; i < 300; i++) {
            String[] f = rows.get(i + 1).split(",");
            assertEquals(Long.parseLong(f[0]), job.get(i).ts);
            assertEquals(f[2], Float.toString(job.get(i).forecast[0]), "forecast at row " + i);
            assertEquals(f[3], Float.toString(job.get(i).std[0]), "std at row " + i);
        }
        assertEquals(100, job.get(99).events);
        assertEquals(1, job.get(100).events, "started over after 8 days");
        assertEquals(200, job.get(299).events, "went on after exactly 7 days");
    }
}
