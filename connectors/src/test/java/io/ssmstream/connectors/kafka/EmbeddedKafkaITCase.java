package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real in-process broker: topics, transactions, read_committed, a fixed port. */
class EmbeddedKafkaITCase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        long t0 = System.nanoTime();
        kafka = EmbeddedKafka.start();
        System.out.printf("EmbeddedKafka started in %d ms at %s%n", (System.nanoTime() - t0) / 1_000_000,
                kafka.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID());
        // The sinks' default: the broker must accept it.
        p.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(KafkaSinks.MAX_TRANSACTION_TIMEOUT.toMillis()));
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap, String isolation) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code expected} values arrived (60 s at most), then 1 s longer to catch any extra. */
    private static List<String> consumeValues(String bootstrap, String topic, String isolation, int expected) {
        return consumeValues(bootstrap, topic, isolation, expected, Duration.ofSeconds(60));
    }

    private static List<String> consumeValues(String bootstrap, String topic, String isolation, int expected,
                                              Duration patience) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer(bootstrap, isolation)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + patience.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
                values.add(r.value());
            }
        }
        return values;
    }

    @Test
    void createdTopicsHaveTheRequestedPartitions() throws Exception {
        kafka.createTopics(3, "created-a", "created-b");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of("created-a", "created-b"))
                    .allTopicNames().get();
            assertEquals(3, topics.get("created-a").partitions().size());
            assertEquals(3, topics.get("created-b").partitions().size());
            assertTrue(admin.listTopics().names().get().containsAll(Set.of("created-a", "created-b")));
        }
    }

    @Test
    void committedTransactionsAreVisibleToReadCommittedAndAbortedOnesAreNot() {
        String topic = "transactions";
        kafka.createTopics(2, topic);
        try (KafkaProducer<String, String> producer = transactionalProducer(kafka.bootstrapServers())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "b", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "aborted-1"));
            producer.send(new ProducerRecord<>(topic, "b", "aborted-2"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "a", "committed-3"));
            producer.commitTransaction();
        }

        List<String> committed = consumeValues(kafka.bootstrapServers(), topic, "read_committed", 3);
        assertEquals(Set.of("committed-1", "committed-2", "committed-3"), Set.copyOf(committed));
        assertEquals(3, committed.size(), committed::toString);

        // The aborted records are in the log: a read_uncommitted consumer sees them, so the check above means
        // something.
        List<String> all = consumeValues(kafka.bootstrapServers(), topic, "read_uncommitted", 5);
        assertEquals(Set.of("committed-1", "committed-2", "aborted-1", "aborted-2", "committed-3"), Set.copyOf(all));
    }

    @Test
    void anOpenTransactionIsInvisibleToReadCommittedUntilCommitted() {
        String topic = "open-transaction";
        kafka.createTopics(1, topic);
        try (KafkaProducer<String, String> producer = transactionalProducer(kafka.bootstrapServers())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "pending"));
            producer.flush();
            // In the log (read_uncommitted sees it) but not committed (read_committed, given time, does not).
            assertEquals(List.of("pending"), consumeValues(kafka.bootstrapServers(), topic, "read_uncommitted", 1));
            assertEquals(List.of(), consumeValues(kafka.bootstrapServers(), topic, "read_committed", 1,
                    Duration.ofSeconds(3)));
            producer.commitTransaction();
        }
        assertEquals(List.of("pending"), consumeValues(kafka.bootstrapServers(), topic, "read_committed", 1));
    }

    @Test
    void creatingAnExistingTopicFailsNamingIt() {
        kafka.createTopics(1, "exists");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kafka.createTopics(1, "exists"));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
    }

    @Test
    void badTopicArgumentsAreRejectedNamingThem() {
        assertEquals("partitions must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> kafka.createTopics(0, "t")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> kafka.createTopics(1)).getMessage()
                .startsWith("names"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> kafka.createTopics(1, "ok", " ")).getMessage()
                .startsWith("names"));
    }

    @Test
    void aFixedPortIsServedAndReturnedAsBootstrapServers() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("localhost"))) {
            port = probe.getLocalPort();
        }
        long t0 = System.nanoTime();
        try (EmbeddedKafka fixed = EmbeddedKafka.builder().port(port).start()) {
            System.out.printf("EmbeddedKafka on fixed port %d started in %d ms%n", port,
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals("localhost:" + port, fixed.bootstrapServers());
            fixed.createTopics(1, "fixed");
            try (KafkaProducer<String, String> producer = transactionalProducer("localhost:" + port)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("fixed", "k", "via-fixed-port"));
                producer.commitTransaction();
            }
            assertEquals(List.of("via-fixed-port"), consumeValues("localhost:" + port, "fixed", "read_committed", 1));
        }
    }

    @Test
    void aTakenFixedPortFailsClearly() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            int port = taken.getLocalPort();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafka.builder().port(port).start());
            assertTrue(e.getMessage().startsWith("port " + port + " on localhost is already in use"), e.getMessage());
        }
    }

    @Test
    void builderArgumentsAreCheckedNamingThem() {
        assertEquals("port must be in 0..65535 (0: any free port), got 70000",
                assertThrows(IllegalArgumentException.class, () -> EmbeddedKafka.builder().port(70000)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.builder().brokerProperty("log.retention.ms", null)).getMessage()
                .contains("log.retention.ms"));
    }
}
