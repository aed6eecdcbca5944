package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The end-to-end scenario against Kafka in a container (the {@code apache/kafka} image the docker-compose file
 * uses). Runs where Docker is available; skipped, with JUnit saying so, where it is not.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersKafkaITCase {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.2.0");

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void jsonInForecastsOutEqualTheKernelsAndBadRecordsAreDeadLettered() throws Exception {
        SsmModel model = RandomModels.create(Arch.S4D, 1, 8, 2, 8, true, 31);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.toFile().writeTo(bytes);
        String bootstrap = KAFKA.getBootstrapServers();
        EndToEndScenario.createTopics(bootstrap, 3, "tc-in", "tc-out", "tc-dead");
        EndToEndScenario.produce(bootstrap, "tc-in", EndToEndScenario.events(100));
        EndToEndScenario.runJob(bootstrap, "tc-in", "tc-out", "tc-dead",
                ModelArtifact.fromBytes(bytes.toByteArray(), "tc-model"), 2, s -> s);

        assertEquals(List.of(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.WRONG_VALUE_COUNT),
                EndToEndScenario.deadLetters(bootstrap, "tc-dead", 2).stream().map(d -> d.reason).sorted().toList());
        List<ForecastRecord> out = EndToEndScenario.forecasts(bootstrap, "tc-out", 300);
        assertEquals(300, out.size());
        EndToEndScenario.assertForecastsMatchKernels(model, out, 100);
    }
}
