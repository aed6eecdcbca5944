package io.ssmstream.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.SelfSignedTls;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.testing.RandomModels;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ssm-stream.jar on the process cluster against a broker whose client listener is SASL_SSL (SCRAM-SHA-512, a
 * keytool certificate), the settings given to {@code flink run} as a {@code --kafka-properties} file: the job's
 * source and sinks on the TaskManagers log in, every event becomes a committed forecast, and no log or output of
 * any process (client, JobManager, TaskManager) holds the password or the trust store's password, though each
 * Kafka client's configuration is logged at INFO. With a wrong password, {@code flink run} itself fails with the
 * one-line error before any job is submitted.
 */
class ClusterSecureKafkaITCase {
    private static final String USER = "ssm-cluster";
    private static final String PASSWORD = "Cluster-Pa55-" + UUID.randomUUID();
    private static final StreamInput INPUT = new StreamInput(8, 120, 2);
    private static final String MAIN_CLASS = "io.ssmstream.app.SsmStreamCli";

    private static Path workDir;
    private static Path jobJar;
    private static Path modelFile;
    private static EmbeddedKafka kafka;
    private static FlinkProcessCluster cluster;

    @BeforeAll
    static void start() throws IOException {
        jobJar = FlinkProcessCluster.jobJar();
        workDir = WorkDirs.root().resolve("secure-kafka");
        WorkDirs.deleteRecursively(workDir);
        kafka = EmbeddedKafka.builder().saslUser(USER, PASSWORD).tls(SelfSignedTls.create(workDir.resolve("tls")))
                .start();
        modelFile = workDir.resolve("model.safetensors");
        RandomModels.create(Arch.MAMBA, 1, 8, 2, 8, true, 29).toFile().write(modelFile);
        cluster = FlinkProcessCluster.start(workDir.resolve("flink"), 1, 2, Map.of(),
                List.of("-Dssmstream.kernels=scalar"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties secureClient() {
        Properties p = kafka.clientProperties("SCRAM-SHA-512", USER, PASSWORD);
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    private static Path propertiesFile(String name, String password) throws IOException {
        Path file = workDir.resolve(name);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            kafka.clientProperties("SCRAM-SHA-512", USER, password).store(w, "client settings for flink run");
        }
        return file;
    }

    private static List<String> jobArgs(String name, Path settings) {
        return List.of("run", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-properties",
                settings.toString(), "--input-topic", name + "-in", "--output-topic", name + "-out", "--dlq-topic",
                name + "-dead", "--model", modelFile.toString(), "--bounded", "--checkpoint-interval", "1s",
                "--parallelism", "2", "--idle-partition-timeout", "10min");
    }

    @Test
    void theJobOnTheClusterUsesSaslSslKafkaAndNoProcessLogsASecret() throws Exception {
        kafka.createTopics(INPUT.partitions(), "secure-in", "secure-out", "secure-dead");
        StreamInput.send(secureClient(), INPUT.records("secure-in", 0, INPUT.events));
        String jobId = cluster.submit(jobJar, MAIN_CLASS, null,
                jobArgs("secure", propertiesFile("client.properties", PASSWORD)));
        FlinkProcessCluster.await("the bounded job to finish", () -> {
            String state = cluster.rest("/jobs/" + jobId).path("state").asText();
            if (state.equals("FAILED")) {
                throw new IllegalStateException("the job failed; see the logs under " + workDir);
            }
            return state.equals("FINISHED");
        });
        assertEquals(INPUT.expectedForecasts(),
                CommittedOutput.read(secureClient(), "secure-out", INPUT.expectedForecasts()).count(), "forecasts");
        assertEquals(StreamInput.DEAD_LETTERS,
                CommittedOutput.read(secureClient(), "secure-dead", StreamInput.DEAD_LETTERS).count(), "dead letters");

        String truststorePassword = secureClient().getProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        List<Path> logs = logFiles();
        boolean configsLogged = false;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(PASSWORD), log + " holds the SASL password");
            assertFalse(text.contains(truststorePassword), log + " holds the trust store's password");
            configsLogged |= text.contains("sasl.jaas.config = [hidden]");
        }
        assertTrue(configsLogged, "some process logged a Kafka client's configuration: " + logs);
    }

    @Test
    void flinkRunWithAWrongPasswordFailsAtSubmissionWithTheOneLineError() throws IOException {
        kafka.createTopics(INPUT.partitions(), "wrong-in", "wrong-out", "wrong-dead");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cluster.submit(jobJar, MAIN_CLASS,
                null, jobArgs("wrong", propertiesFile("wrong.properties", "Not-The-Pa55word"))));
        assertTrue(e.getMessage().contains("exited with 2"), e.getMessage());
        assertTrue(e.getMessage().contains("ssm-stream: error: Kafka at " + kafka.bootstrapServers()
                + " refused the login (sasl.mechanism=SCRAM-SHA-512)"), e.getMessage());
        assertFalse(e.getMessage().contains("Not-The-Pa55word"), e.getMessage());
        assertEquals(0, cluster.rest("/jobs/overview").path("jobs").findValues("name").stream()
                .filter(n -> n.asText().contains("wrong-in")).count(), "no job was submitted");
    }

    private static List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.walk(workDir.resolve("flink").resolve("log"))) {
            return new ArrayList<>(files.filter(Files::isRegularFile).toList());
        }
    }
}
