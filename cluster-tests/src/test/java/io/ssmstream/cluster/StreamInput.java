package io.ssmstream.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The fixed input of the cluster tests: {@code streams} sensor streams of {@code events} JSON events each, a
 * minute apart, keyed by stream (so each stream's events keep their order in one partition), with two malformed
 * records among them, and at the end one flush event per stream an hour later, whose watermark releases every
 * real event (the flush events themselves stay buffered: they are not part of the expected output).
 */
final class StreamInput {
    private static final long START_MS = 1_700_000_000_000L;
    private static final long STEP_MS = 60_000L;
    static final int DEAD_LETTERS = 2;

    final int streams;
    final int events;
    private final int partitions;

    /** @throws IllegalArgumentException if some partition would get no stream (its watermark would not move) */
    StreamInput(int streams, int events, int partitions) {
        this.streams = streams;
        this.events = events;
        this.partitions = partitions;
        boolean[] used = new boolean[partitions];
        for (int s = 0; s < streams; s++) {
            used[Utils.toPositive(Utils.murmur2(key(s))) % partitions] = true;
        }
        for (int p = 0; p < partitions; p++) {
            if (!used[p]) {
                throw new IllegalArgumentException("no stream of " + streams + " hashes to partition " + p);
            }
        }
    }

    private static String streamId(int s) {
        return "machine-" + s;
    }

    int expectedForecasts() {
        return streams * events;
    }

    /** The records of time steps {@code from} (inclusive) to {@code to} (exclusive), all streams per step. */
    List<ProducerRecord<byte[], byte[]>> records(String topic, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (int s = 0; s < streams; s++) {
                double v = 50 + 3 * s + 8 * Math.sin(i / (4.0 + s % 5)) + (i % 7 == 3 ? 2.5 : 0);
                out.add(record(topic, s, event(s, START_MS + i * STEP_MS, v)));
            }
            if (i == events / 4) {
                out.add(record(topic, 1, "{\"stream\":\"" + streamId(1) + "\",\"ts\":"));
            }
            if (i == 3 * events / 4) {
                out.add(record(topic, 2, "{\"stream\":\"" + streamId(2) + "\",\"ts\":" + (START_MS + i * STEP_MS)
                        + ",\"values\":[1,2]}"));
            }
        }
        return out;
    }

    /** One event per stream an hour after the last real one. */
    List<ProducerRecord<byte[], byte[]>> flush(String topic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        long ts = START_MS + (events - 1) * STEP_MS + 3_600_000L;
        for (int s = 0; s < streams; s++) {
            out.add(record(topic, s, event(s, ts, 0)));
        }
        return out;
    }

    /** A producer for {@link #send}: acks from all replicas, records of a key in order. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return producer(p);
    }

    /** {@link #producer(String)} with these client settings (brokers, security). */
    static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code records} and returns once the broker has them all.
     *
     * @throws IllegalStateException if the broker refused one (a test must not go on with part of its input)
     */
    static void send(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            acks.add(producer.send(r));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not take an input record: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the input", e);
        }
    }

    /** Sends {@code records} with a producer of its own. */
    static void send(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            send(producer, records);
        }
    }

    /** Sends {@code records} with a producer of its own with these client settings. */
    static void send(Properties client, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
            send(producer, records);
        }
    }

    int partitions() {
        return partitions;
    }

    private static String event(int s, long ts, double v) {
        return "{\"stream\":\"" + streamId(s) + "\",\"ts\":" + ts + ",\"value\":" + v + "}";
    }

    private static byte[] key(int s) {
        return streamId(s).getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int s, String json) {
        return new ProducerRecord<>(topic, key(s), json.getBytes(StandardCharsets.UTF_8));
    }
}
