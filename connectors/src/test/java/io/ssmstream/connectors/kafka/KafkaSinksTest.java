package io.ssmstream.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.json.DeadLetterJson;
import io.ssmstream.connectors.json.ForecastJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSinksTest {
    private static final ForecastRecord FORECAST = new ForecastRecord("pump-7", 1_000L, new float[] {1f},
            new float[] {2f}, new float[] {0.5f}, 0.25, "m1", 3L);

    private static KafkaSinks.Builder<ForecastRecord> valid() {
        return KafkaSinks.forecasts().bootstrapServers("localhost:9092").topic("forecasts")
                .transactionalIdPrefix("job-forecasts");
    }

    @Test
    void forecastRecordsAreKeyedByStreamWithForecastJsonAndNoEventTimestamp() {
        ProducerRecord<byte[], byte[]> r = new ForecastSerializationSchema("out").serialize(FORECAST, null, 1_000L);
        assertEquals("out", r.topic());
        assertArrayEquals("pump-7".getBytes(StandardCharsets.UTF_8), r.key());
        assertEquals(FORECAST, ForecastJson.parse(r.value()));
        assertNull(r.partition(), "the partitioner hashes the key");
        assertNull(r.timestamp(), "the broker must not age replayed history out at once");
    }

    @Test
    void aForecastWithoutStreamIsRejected() {
        ForecastRecord noStream = new ForecastRecord(null, 1L, null, null, null, 0, null, 1L);
        assertThrows(IllegalArgumentException.class,
                () -> new ForecastSerializationSchema("out").serialize(noStream, null, null));
    }

    @Test
    void deadLettersKeepTheOriginalKeyAndANullKeyWhenThereWasNone() {
        DeadLetter d = new DeadLetter(DeadLetterReason.MISSING_TIMESTAMP, "no \"ts\" field", "in", 1, 2L, "k",
                "k".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> r = new DeadLetterSerializationSchema("dlq").serialize(d, null, null);
        assertEquals("dlq", r.topic());
        assertArrayEquals("k".getBytes(StandardCharsets.UTF_8), r.key());
        assertEquals(d, DeadLetterJson.parse(r.value()));
        DeadLetter keyless = new DeadLetter(DeadLetterReason.MISSING_STREAM, "x", "in", 1, 2L, null, null, null);
        assertNull(new DeadLetterSerializationSchema("dlq").serialize(keyless, null, null).key());
    }

    @Test
    void defaultsAreExactlyOnceWithAFifteenMinuteTransactionTimeout() {
        Properties p = valid().producerProperties();
        assertEquals("localhost:9092", p.getProperty("bootstrap.servers"));
        assertEquals("900000", p.getProperty("transaction.timeout.ms"));
        assertEquals(2, p.size());
        assertNotNull(valid().build());
        assertNotNull(KafkaSinks.deadLetters().bootstrapServers("b:1").topic("dlq").transactionalIdPrefix("job-dlq")
                .build());
    }

    @Test
    void exactlyOnceRequiresATransactionalIdPrefix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaSinks.forecasts().bootstrapServers("b:1").topic("t").build());
        assertTrue(e.getMessage().startsWith("transactionalIdPrefix is required for EXACTLY_ONCE"), e.getMessage());
        assertNotNull(KafkaSinks.forecasts().bootstrapServers("b:1").topic("t")
                .deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build());
    }

    @Test
    void theTransactionTimeoutMustBePositiveAndAtMostFifteenMinutes() {
        assertEquals("60000", valid().transactionTimeout(Duration.ofMinutes(1)).producerProperties()
                .getProperty("transaction.timeout.ms"));
        assertEquals("900000", valid().transactionTimeout(Duration.ofMinutes(15)).producerProperties()
                .getProperty("transaction.timeout.ms"));
        for (Duration bad : new Duration[] {Duration.ofMinutes(15).plusMillis(1), Duration.ZERO,
            Duration.ofSeconds(-1), Duration.ofNanos(1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> valid().transactionTimeout(bad), bad::toString);
            assertTrue(e.getMessage().startsWith("transactionTimeout must be"), e.getMessage());
        }
    }

    @Test
    void theTransactionTimeoutCannotBeSetAroundTheCheckAsAProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().property("transaction.timeout.ms", "3600000").build());
        assertTrue(e.getMessage().contains("transactionTimeout(..)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> valid().property("transactional.id", "x").build());
        assertTrue(e.getMessage().contains("transactional.id"), e.getMessage());
    }

    @Test
    void extraPropertiesPassThrough() {
        Properties extra = new Properties();
        extra.setProperty("security.protocol", "SSL");
        extra.setProperty("compression.type", "zstd");
        Properties p = valid().properties(extra).producerProperties();
        assertEquals("SSL", p.getProperty("security.protocol"));
        assertEquals("zstd", p.getProperty("compression.type"));
    }

    @Test
    void missingOrBlankArgumentsAreNamed() {
        assertEquals("bootstrapServers is required", assertThrows(IllegalArgumentException.class,
                () -> KafkaSinks.forecasts().topic("t").transactionalIdPrefix("p").build()).getMessage());
        assertEquals("topic is required", assertThrows(IllegalArgumentException.class,
                () -> KafkaSinks.deadLetters().bootstrapServers("b:1").transactionalIdPrefix("p").build())
                .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KafkaSinks.forecasts().transactionalIdPrefix(" ")).getMessage()
                .startsWith("transactionalIdPrefix"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ForecastSerializationSchema("")).getMessage().startsWith("topic"));
    }
}
