package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ParsedRecord;
import java.util.Properties;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaEventSourceTest {
    private static KafkaEventSource.Builder valid() {
        return KafkaEventSource.builder().bootstrapServers("localhost:9092").topic("sensors").expectedValues(3);
    }

    @Test
    void defaultsAreGroupSsmStreamAndReadCommitted() {
        Properties p = valid().consumerProperties();
        assertEquals("localhost:9092", p.getProperty("bootstrap.servers"));
        assertEquals("ssm-stream", p.getProperty("group.id"));
        assertEquals("read_committed", p.getProperty("isolation.level"));
        assertEquals(3, p.size());
    }

    @Test
    void buildsAnUnboundedSourceOfParsedRecords() {
        KafkaSource<ParsedRecord> source = valid().groupId("g").startingOffsets(StartingOffsets.LATEST).build();
        assertNotNull(source);
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, source.getBoundedness());
        assertEquals(ParsedRecord.class, source.getProducedType().getTypeClass());
    }

    @Test
    @SuppressWarnings("deprecation")
    void startingOffsetsMapToFlinkInitializers() {
        assertEquals(OffsetResetStrategy.EARLIEST,
                KafkaEventSource.Builder.offsetsInitializer(StartingOffsets.EARLIEST).getAutoOffsetResetStrategy());
        assertEquals(OffsetResetStrategy.LATEST,
                KafkaEventSource.Builder.offsetsInitializer(StartingOffsets.LATEST).getAutoOffsetResetStrategy());
        assertEquals(OffsetResetStrategy.EARLIEST,
                KafkaEventSource.Builder.offsetsInitializer(StartingOffsets.COMMITTED).getAutoOffsetResetStrategy(),
                "committed offsets fall back to the earliest for a new group");
    }

    @Test
    void startingOffsetsParseFromAnyCaseAndRejectOtherWords() {
        assertEquals(StartingOffsets.COMMITTED, StartingOffsets.parse("Committed"));
        assertEquals(StartingOffsets.EARLIEST, StartingOffsets.parse(" earliest "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StartingOffsets.parse("newest"));
        assertEquals("starting offsets must be one of earliest, latest, committed, got \"newest\"", e.getMessage());
    }

    @Test
    void extraPropertiesPassThrough() {
        Properties extra = new Properties();
        extra.setProperty("security.protocol", "SASL_SSL");
        Properties p = valid().properties(extra).property("sasl.mechanism", "PLAIN")
                .property("isolation.level", "read_committed").consumerProperties();
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("PLAIN", p.getProperty("sasl.mechanism"));
        assertEquals(5, p.size());
    }

    @Test
    void readUncommittedCannotBeSneakedIn() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().property("isolation.level", "read_uncommitted").build());
        assertTrue(e.getMessage().startsWith("Kafka property isolation.level=read_uncommitted conflicts"),
                e.getMessage());
    }

    @Test
    void aContradictingGroupIdPropertyNamesTheBuilderMethod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().property("group.id", "other").consumerProperties());
        assertTrue(e.getMessage().contains("group.id=other") && e.getMessage().contains("groupId(..)"),
                e.getMessage());
    }

    @Test
    void missingRequiredSettingsAreNamed() {
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().topic("t").expectedValues(1).build()).getMessage());
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().bootstrapServers("b:1").expectedValues(1).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().bootstrapServers("b:1").topic("t").build()).getMessage()
                .startsWith("expectedValues is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankArgumentsAreRejectedNamingTheArgument(String blank) {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().bootstrapServers(blank)).getMessage().startsWith("bootstrapServers"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().topic(blank)).getMessage().startsWith("topic"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().groupId(blank)).getMessage().startsWith("groupId"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().property(blank, "v")).getMessage().startsWith("key"));
    }

    @Test
    void aNonPositiveValueCountIsRejectedNamingIt() {
        assertEquals("expectedValues must be positive, got 0", assertThrows(IllegalArgumentException.class,
                () -> KafkaEventSource.builder().expectedValues(0)).getMessage());
    }
}
