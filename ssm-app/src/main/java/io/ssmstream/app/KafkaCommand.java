package io.ssmstream.app;

import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.connectors.kafka.LocalSecrets;
import io.ssmstream.connectors.kafka.SelfSignedTls;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream kafka}: a real single-node KRaft Kafka broker, started in-process from Kafka's own jars, for
 * local use without Docker. Runs until interrupted (Ctrl-C).
 *
 * <p>With {@code --secure DIR} the client port speaks SASL_SSL: a self-signed certificate for localhost (keytool),
 * one user {@value #SECURE_USER} with a random password that logs in with SCRAM-SHA-512, and
 * {@code DIR/client.properties} holding what clients need ({@code --kafka-properties DIR/client.properties}), so
 * that the secured setup of a production cluster can be tried locally. The password is only in that file
 * (readable by its owner only where the file system allows), never printed.
 */
@Command(name = "kafka", sortOptions = false,
        description = "Start a single-node KRaft Kafka broker in this process (no Docker needed); Ctrl-C stops it.")
final class KafkaCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--create-topics", split = ",", paramLabel = "TOPIC",
            description = "Topics to create at start (comma-separated).")
    List<String> topics = List.of();

    @Option(names = "--create-compacted-topics", split = ",", paramLabel = "TOPIC",
            description = "Compacted single-partition topics to create at start, e.g. the model-update topic (comma-separated).")
    List<String> compactedTopics = List.of();

    @Option(names = "--partitions", defaultValue = "4",
            description = "Partitions of each created topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--secure", paramLabel = "DIR",
            description = "SASL_SSL on the client port: a certificate, a SCRAM-SHA-512 user and DIR/client.properties"
                    + " for clients' --kafka-properties (DIR: a new or empty directory). Default: plaintext.")
    Path secureDir;

    /** The user that {@code --secure} creates. */
    static final String SECURE_USER = "ssm-stream";

    @Override
    protected int run() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka broker = startBroker();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        stopped.await();
        return SsmStreamCli.EXIT_OK;
    }

    /** Starts the broker as the options say, creates the topics and prints where it runs. */
    EmbeddedKafka startBroker() throws IOException {
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder().port(port);
        String password = null;
        if (secureDir != null) {
            requireEmptyOrNew(secureDir);
            password = LocalSecrets.randomPassword(18);
            builder.saslUser(SECURE_USER, password).tls(SelfSignedTls.create(secureDir));
        }
        EmbeddedKafka broker = builder.start();
        Path clientProperties = null;
        if (secureDir != null) {
            clientProperties = writeClientProperties(broker.clientProperties("SCRAM-SHA-512", SECURE_USER, password));
        }
        if (!topics.isEmpty()) {
            broker.createTopics(partitions, topics.toArray(String[]::new));
        }
        if (!compactedTopics.isEmpty()) {
            broker.createCompactedTopics(compactedTopics.toArray(String[]::new));
        }
        List<String> created = new ArrayList<>(topics);
        compactedTopics.forEach(t -> created.add(t + " (compacted)"));
        out().println("Kafka broker running at " + broker.bootstrapServers()
                + (clientProperties == null ? "" : " (" + broker.securityProtocol() + ", SCRAM-SHA-512 user "
                        + SECURE_USER + "; clients: --kafka-properties " + clientProperties + ")")
                + (created.isEmpty() ? "" : " with topics " + String.join(", ", created)) + "; Ctrl-C stops it");
        out().flush();
        return broker;
    }

    private static void requireEmptyOrNew(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserException("--secure " + dir + " is not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UserException("--secure " + dir + " is not empty; give a new or empty directory");
                }
            }
        }
    }

    private Path writeClientProperties(Properties props) throws IOException {
        Path file = secureDir.resolve("client.properties");
        Files.createFile(file);
        LocalSecrets.ownerOnly(file); // before the password is written into it
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(w, "ssm-stream kafka --secure: client settings for --kafka-properties (holds a password)");
        }
        return file;
    }
}
