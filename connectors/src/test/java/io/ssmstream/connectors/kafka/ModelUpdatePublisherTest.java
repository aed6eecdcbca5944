package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ModelUpdatePublisherTest {

    @Test
    void producerWaitsForAllReplicasAndIsIdempotent() {
        Properties props = ModelUpdatePublisher.builder().bootstrapServers("b:9092").topic("t").producerProperties();
        assertEquals("all", props.getProperty("acks"));
        assertEquals("true", props.getProperty("enable.idempotence"));
        assertEquals("b:9092", props.getProperty("bootstrap.servers"));
    }

    @Test
    void missingSettingsAndContradictingPropertiesAreNamed() {
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> ModelUpdatePublisher.builder().bootstrapServers("b:9092").build()).getMessage());
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> ModelUpdatePublisher.builder().topic("t").build()).getMessage());
        Properties acks1 = new Properties();
        acks1.setProperty("acks", "1");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelUpdatePublisher.builder()
                .bootstrapServers("b:9092").topic("t").properties(acks1).build()).getMessage().contains("acks=1"));
        assertThrows(IllegalArgumentException.class, () -> ModelUpdatePublisher.builder().ackTimeout(Duration.ZERO));
    }

    @Test
    void anUpdateWithoutAChecksumIsRefusedBeforeSending() {
        try (ModelUpdatePublisher publisher = ModelUpdatePublisher.builder().bootstrapServers("localhost:1")
                .topic("t").build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> publisher.publish(new ModelUpdate("default", "v2", "/m.safetensors", null, "{}", 1L)));
            assertTrue(e.getMessage().endsWith("has no sha256"), e.getMessage());
        }
    }
}
