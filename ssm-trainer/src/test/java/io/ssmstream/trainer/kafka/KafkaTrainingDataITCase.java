package io.ssmstream.trainer.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.TrainingDataException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading the last N hours of an input topic on a real in-process broker. */
class KafkaTrainingDataITCase {
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

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static String event(String stream, long ts, double value) {
        return "{\"stream\":\"" + stream + "\",\"ts\":" + ts + ",\"value\":" + value + "}";
    }

    private Properties client() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    @Test
    void onlyTheLastHoursAreReadGroupedByStreamInTimeOrderAndBadRecordsAreCounted() throws Exception {
        String topic = "window-events";
        kafka.createTopics(2, topic);
        Instant now = Instant.now();
        long old = now.minus(Duration.ofHours(48)).toEpochMilli();
        long recent = now.minus(Duration.ofHours(2)).toEpochMilli();
        try (KafkaProducer<String, String> p = producer(kafka.bootstrapServers())) {
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 5; i++) { // two days old: before the window
                    long ts = old + i * 1000L;
                    p.send(new ProducerRecord<>(topic, partition, ts, "a", event("a", ts, -100)));
                }
            }
            // stream a on partition 0, in event-time order except one swap, and one duplicate timestamp
            long[] aTimes = {0, 1000, 3000, 2000, 4000, 4000, 5000};
            for (long t : aTimes) {
                p.send(new ProducerRecord<>(topic, 0, recent + t, "a", event("a", recent + t, t / 1000.0)));
            }
            // stream b on partition 1 (stream id from the record key), a single event for c
            for (int i = 0; i < 4; i++) {
                p.send(new ProducerRecord<>(topic, 1, recent + i * 500L, "b",
                        "{\"ts\":" + (recent + i * 500L) + ",\"values\":[" + (10 + i) + "]}"));
            }
            p.send(new ProducerRecord<>(topic, 1, recent, "c", event("c", recent, 1)));
            // bad records: malformed JSON, two values, no timestamp
            p.send(new ProducerRecord<>(topic, 0, recent, "a", "{not json"));
            p.send(new ProducerRecord<>(topic, 1, recent, "b", "{\"stream\":\"b\",\"ts\":1,\"values\":[1,2]}"));
            p.send(new ProducerRecord<>(topic, 1, recent, "b", "{\"stream\":\"b\",\"value\":1}"));
            // after the window's first record but with an old Kafka timestamp
            p.send(new ProducerRecord<>(topic, 0, old, "a", event("a", old, -100)));
            p.flush();
        }

        KafkaTrainingData.Result r = KafkaTrainingData.read(client(), topic, Duration.ofHours(24), 1, now);

        assertEquals(List.of("a", "b"), r.series().stream().map(EventSeries::source).toList());
        EventSeries a = r.series().get(0);
        long[] expectedMicros = {0, 1000, 2000, 3000, 4000, 5000};
        for (int i = 0; i < expectedMicros.length; i++) {
            expectedMicros[i] = (recent + expectedMicros[i]) * 1000;
        }
        assertArrayEquals(expectedMicros, a.micros(), "in event-time order, the duplicate dropped");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, a.values(), "no value from before the window");
        assertArrayEquals(new float[] {10, 11, 12, 13}, r.series().get(1).values());
        assertEquals(List.of("value"), a.columns());

        assertEquals(7 + 4 + 1 + 3 + 1, r.records(), "the 10 records before the window are not read at all");
        assertEquals(3, r.badRecordCount());
        assertEquals(Map.of("malformed_json", 1L, "wrong_value_count", 1L, "missing_timestamp", 1L), r.badRecords());
        assertEquals(1, r.outsideWindow());
        assertEquals(1, r.duplicates());
        assertEquals(1, r.shortStreams());
        assertEquals(10, r.events());
        String summary = r.summary(topic);
        assertTrue(summary.contains("skipped 3 bad records") && summary.contains("2 streams"), summary);
    }

    @Test
    void aWindowWithNoUsableStreamIsAUserError() {
        String topic = "stale-events";
        kafka.createTopics(1, topic);
        Instant now = Instant.now();
        long old = now.minus(Duration.ofDays(3)).toEpochMilli();
        try (KafkaProducer<String, String> p = producer(kafka.bootstrapServers())) {
            p.send(new ProducerRecord<>(topic, 0, old, "a", event("a", old, 1)));
            p.send(new ProducerRecord<>(topic, 0, old + 1, "a", event("a", old + 1, 2)));
            p.flush();
        }
        TrainingDataException e = assertThrows(TrainingDataException.class,
                () -> KafkaTrainingData.read(client(), topic, Duration.ofHours(24), 1, now));
        assertTrue(e.getMessage().contains("no stream with at least 2 usable events"), e.getMessage());
        assertTrue(e.getMessage().contains("read 0 records"), e.getMessage());
    }
}
