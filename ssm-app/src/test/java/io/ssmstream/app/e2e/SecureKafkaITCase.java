package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.app.SsmStreamCli;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.SelfSignedTls;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.RandomModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands a user runs, {@code produce} and {@code run}, against a broker whose only client listener is
 * SASL_SSL (SCRAM-SHA-512, a certificate made by keytool), with the settings in a {@code --kafka-properties}
 * file: every event becomes a forecast on the secured output topic, and nothing the job logs at INFO, nor what
 * the commands print, holds the password. Wrong credentials and an untrusted certificate stop the commands at
 * start with one line and exit 2 instead of clients that retry forever.
 */
class SecureKafkaITCase {
    private static final String USER = "ssm-job";
    private static final String PASSWORD = "Scram-Pa55-" + UUID.randomUUID();
    private static final int EVENTS = 200;
    private static final SsmModel MODEL = RandomModels.create(Arch.MAMBA, 1, 8, 2, 8, true, 23);

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static Path series;
    private static Path model;

    @BeforeAll
    static void start() throws IOException {
        SelfSignedTls tls = SelfSignedTls.create(dir.resolve("tls"));
        kafka = EmbeddedKafka.builder().saslUser(USER, PASSWORD).tls(tls).start();
        model = dir.resolve("model.safetensors");
        MODEL.save(model);
        StringBuilder text = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < EVENTS; i++) {
            text.append(1_700_000_000_000L + i * 60_000L).append(',').append(50 + 5 * Math.sin(i / 4.0)).append('\n');
        }
        series = Files.writeString(dir.resolve("series.csv"), text);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A client properties file as a user would write one: protocol, mechanism, JAAS line, trust store. */
    private static Path propertiesFile(String name, String password) throws IOException {
        return write(name, kafka.clientProperties("SCRAM-SHA-512", USER, password));
    }

    private static Path write(String name, Properties p) throws IOException {
        Path file = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "ssm-stream client settings");
        }
        return file;
    }

    private static Properties secureClient() {
        Properties p = kafka.clientProperties("SCRAM-SHA-512", USER, PASSWORD);
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return p;
    }

    private record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = SsmStreamCli.newCommandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Run produce(String topic, Path settings) {
        return cli("produce", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-properties",
                settings.toString(), "--topic", topic, "--input", series.toString(), "--stream", "pump-1");
    }

    private static Run runJob(String name, Path settings, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers", kafka.bootstrapServers(),
                "--kafka-properties", settings.toString(), "--input-topic", name + "-in", "--output-topic",
                name + "-out", "--dlq-topic", name + "-dead", "--model", model.toString(), "--bounded",
                "--checkpoint-interval", "1s", "--parallelism", "1"));
        args.addAll(List.of(extra));
        return cli(args.toArray(String[]::new));
    }

    @Test
    void theJobReadsAndWritesThroughSaslSslWithScramAndLogsNoSecret() throws IOException {
        Path settings = propertiesFile("client.properties", PASSWORD);
        String truststorePassword = kafka.clientProperties("SCRAM-SHA-512", USER, PASSWORD)
                .getProperty(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        kafka.createTopics(2, "secure-in", "secure-out", "secure-dead");
        try (LogCapture logs = new LogCapture()) {
            Run produced = produce("secure-in", settings);
            assertEquals(0, produced.exitCode(), produced.toString());
            Run job = runJob("secure", settings);
            assertEquals(0, job.exitCode(), job.toString());

            List<ForecastRecord> forecasts = EndToEndScenario.forecasts(secureClient(), "secure-out", EVENTS);
            assertEquals(EVENTS, forecasts.size());
            assertTrue(forecasts.stream().allMatch(f -> f.stream.equals("pump-1")));
            assertEquals(List.of(), EndToEndScenario.deadLetters(secureClient(), "secure-dead", 0));

            String logged = logs.text();
            assertTrue(logged.contains(SaslConfigs.SASL_JAAS_CONFIG + " = [hidden]"),
                    "the capture saw the Kafka clients' configuration: " + logged.length() + " chars");
            for (String secret : List.of(PASSWORD, truststorePassword)) {
                assertFalse(logged.contains(secret), "a secret is in the job's INFO log");
                assertFalse(produced.all().contains(secret) || job.all().contains(secret),
                        "a secret is in the commands' output");
            }
        }
    }

    @Test
    void aWrongPasswordStopsProduceAndRunAtStartWithOneLineAndExitTwo() throws IOException {
        Path wrong = propertiesFile("wrong.properties", "Not-The-Pa55word");
        for (Run r : List.of(produce("wrong-in", wrong), runJob("wrong", wrong))) {
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(r.err().startsWith("ssm-stream: error: Kafka at " + kafka.bootstrapServers()
                    + " refused the login (sasl.mechanism=SCRAM-SHA-512)"), r.toString());
            assertTrue(r.err().contains("sasl.jaas.config"), r.toString());
            assertFalse(r.all().contains("Not-The-Pa55word"), r.toString());
        }
    }

    @Test
    void aCertificateTheClientDoesNotTrustStopsRunWithOneLineNamingTheTrustStore() throws IOException {
        Properties untrusting = kafka.clientProperties("SCRAM-SHA-512", USER, PASSWORD);
        for (String key : List.of(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG)) {
            untrusting.remove(key);
        }
        Run r = runJob("untrusted", write("untrusting.properties", untrusting));
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("TLS handshake with Kafka at " + kafka.bootstrapServers() + " failed"),
                r.toString());
        assertTrue(r.err().contains("ssl.truststore.location"), r.toString());
    }

    @Test
    void aPlaintextClientIsToldWhichProtocolItSpokeInsteadOfWaitingForever() throws IOException {
        Path plaintext = Files.writeString(dir.resolve("plaintext.properties"), "default.api.timeout.ms=5000\n");
        Run r = cli("produce", "--bootstrap-servers", kafka.bootstrapServers(), "--kafka-properties",
                plaintext.toString(), "--topic", "plain-in", "--input", series.toString(), "--stream", "pump-1");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("no answer from Kafka at " + kafka.bootstrapServers() + " within 5 s with"
                + " security.protocol=PLAINTEXT"), r.toString());
    }
}
