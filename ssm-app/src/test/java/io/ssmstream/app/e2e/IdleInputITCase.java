package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.testing.RandomModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The event input falls idle (no records for longer than the idle-partition timeout) and then resumes: the
 * forecaster's watermark must follow the events alone, with or without a model-update input, so that the events
 * after the pause are forecast, not dead-lettered as late (an update input whose watermark stood at the end of
 * time would carry the watermark there while the events are idle).
 */
class IdleInputITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static List<String> events(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("{\"stream\":\"pump-1\",\"ts\":" + (1_700_000_000_000L + i * 1000L) + ",\"value\":" + (50 + i % 7)
                    + "}");
        }
        return out;
    }

    @ParameterizedTest(name = "model updates: {0}")
    @ValueSource(booleans = {false, true})
    void eventsAfterAnIdlePauseAreForecastNotLate(boolean withUpdates) throws Exception {
        String name = "idle-" + withUpdates;
        kafka.createTopics(2, name + "-in", name + "-out", name + "-dead");
        kafka.createCompactedTopics(name + "-updates");
        Path model = dir.resolve("m.safetensors");
        RandomModels.create(Arch.LRU, 1, 8, 1, 4, true, 3).save(model);
        JobSettings settings = JobSettings.builder().outOfOrderness(Duration.ZERO)
                .idlePartitionTimeout(Duration.ofMillis(500)).build();
        KafkaJobSpec spec = new KafkaJobSpec(kafka.bootstrapServers(), name + "-in", name + "-out", name + "-dead",
                model, name, "earliest", false, false, null, null, 1, "hashmap", null, Duration.ofSeconds(1),
                settings, withUpdates ? name + "-updates" : null);
        StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
        KafkaForecastJob.wire(env, spec);
        JobClient job = env.executeAsync(name);
        try {
            EndToEndScenario.produce(kafka.bootstrapServers(), name + "-in", events(0, 50));
            // Event-time order holds back the last event until a later one comes: 49 forecasts.
            assertEquals(49, EndToEndScenario.forecasts(kafka.bootstrapServers(), name + "-out", 49).size());
            Thread.sleep(3000); // idle: no input for six idle-partition timeouts
            EndToEndScenario.produce(kafka.bootstrapServers(), name + "-in", events(50, 100));
            List<ForecastRecord> out = EndToEndScenario.forecasts(kafka.bootstrapServers(), name + "-out", 99);
            List<DeadLetter> dead = EndToEndScenario.deadLetters(kafka.bootstrapServers(), name + "-dead", 0);
            assertEquals(List.of(), dead.stream().map(d -> d.reason + " " + d.detail).toList());
            assertEquals(99, out.size());
        } finally {
            job.cancel().get();
        }
    }
}
