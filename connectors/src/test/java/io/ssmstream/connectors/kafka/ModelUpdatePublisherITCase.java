package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher against a real in-process broker: key, value, acknowledgement, the compacted topic. */
class ModelUpdatePublisherITCase {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void publishedUpdatesAreKeyedByModelNameAndReadBackAsTheyWereSent() {
        String topic = "model-updates-roundtrip";
        kafka.createCompactedTopics(topic);
        ModelUpdate v1 = new ModelUpdate("default", "v1", "file:///m/v1.safetensors", SHA, "{\"arch\":\"lru\"}", 1L);
        ModelUpdate v2 = new ModelUpdate("default", "v2", "s3://bucket/v2.safetensors", SHA, "{\"arch\":\"lru\"}", 2L);
        ModelUpdate other = new ModelUpdate("pumps", "p1", "/models/p1.safetensors", SHA, "{\"arch\":\"s4d\"}", 3L);
        try (ModelUpdatePublisher publisher = ModelUpdatePublisher.builder()
                .bootstrapServers(kafka.bootstrapServers()).topic(topic).build()) {
            RecordMetadata first = publisher.publish(v1);
            RecordMetadata second = publisher.publish(v2);
            publisher.publish(other);
            // Acknowledged means written: offsets are assigned, in order.
            assertEquals(topic, first.topic());
            assertEquals(first.offset() + 1, second.offset());
        }
        List<ConsumerRecord<byte[], byte[]>> records = consume(topic, 3);
        assertEquals(List.of("default", "default", "pumps"),
                records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
        assertEquals(List.of(v1, v2, other), records.stream().map(r -> ModelUpdateJson.parse(r.value())).toList());
    }

    @Test
    void compactedTopicsAreCreatedWithTheCompactCleanupPolicy() throws Exception {
        kafka.createCompactedTopics("model-updates-compacted");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "model-updates-compacted");
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }

    @Test
    void anUnreachableBrokerFailsNamingTheTopicAndVersion() {
        try (ModelUpdatePublisher publisher = ModelUpdatePublisher.builder()
                .bootstrapServers("localhost:1").topic("nowhere").ackTimeout(Duration.ofMillis(500))
                .properties(props("max.block.ms", "300")).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> publisher.publish(
                    new ModelUpdate("default", "v9", "/m.safetensors", SHA, "{}", 1L)));
            assertTrue(e.getMessage().contains("default v9 on topic nowhere"), e.getMessage());
        }
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
