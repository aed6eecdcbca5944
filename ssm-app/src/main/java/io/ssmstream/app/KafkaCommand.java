package io.ssmstream.app;

import io.ssmstream.connectors.kafka.EmbeddedKafka;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream kafka}: a real single-node KRaft Kafka broker, started in-process from Kafka's own jars, for
 * local use without Docker. Runs until interrupted (Ctrl-C).
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

    @Override
    protected int run() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafka broker = EmbeddedKafka.builder().port(port).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "kafka-shutdown"));
        if (!topics.isEmpty()) {
            broker.createTopics(partitions, topics.toArray(String[]::new));
        }
        if (!compactedTopics.isEmpty()) {
            broker.createCompactedTopics(compactedTopics.toArray(String[]::new));
        }
        List<String> created = new ArrayList<>(topics);
        compactedTopics.forEach(t -> created.add(t + " (compacted)"));
        out().println("Kafka broker running at " + broker.bootstrapServers()
                + (created.isEmpty() ? "" : " with topics " + String.join(", ", created)) + "; Ctrl-C stops it");
        out().flush();
        stopped.await();
        return SsmStreamCli.EXIT_OK;
    }
}
