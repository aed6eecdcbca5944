package io.ssmstream.benchmarks.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's Kafka clients: writes input events, reads the output back (count and first/last record time, or
 * end-to-end latency), deletes topics. Input records are {@code {"stream":"s-<k>","ts":<ms>,"value":<v>}} without
 * a key, so the producer spreads them over the partitions.
 */
final class BenchKafka {
    private BenchKafka() {
    }

    /**
     * What a read of a whole output topic found: committed records and their first and last record time, and the
     * same for the measured records alone (those whose event time {@code ts} is at or after the read's
     * {@code measuredFromTs}).
     */
    record OutputSummary(long records, long firstMs, long lastMs, long measured, long measuredFirstMs,
                         long measuredLastMs) {
    }

    static byte[] event(StringBuilder sb, long stream, long ts, double value) {
        sb.setLength(0);
        sb.append("{\"stream\":\"s-").append(stream).append("\",\"ts\":").append(ts).append(",\"value\":")
                .append((float) value).append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A reading of stream {@code stream} at its {@code round}-th event: a slow sine, different per stream. */
    static double value(long stream, long round) {
        return Math.sin(0.1 * round + 0.7 * stream);
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, boolean bulk) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        if (bulk) {
            p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        }
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Writes {@code events} events round-robin over {@code streams} streams, event i at time {@code t0 + i} ms: each
     * stream's events are {@code streams} ms apart in event time (1 s at 1,000 streams) and the event time of the
     * whole topic advances steadily, so the watermark does too.
     */
    static void produceBacklog(String bootstrap, String topic, long events, long streams, long t0) {
        StringBuilder sb = new StringBuilder(64);
        Failures failures = new Failures();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, true)) {
            for (long i = 0; i < events; i++) {
                long stream = i % streams;
                producer.send(new ProducerRecord<>(topic, event(sb, stream, t0 + i, value(stream, i / streams))),
                        failures);
            }
            producer.flush();
        }
        failures.check(topic);
    }

    /** Counts failed sends, so that lost input fails the run instead of going unnoticed. */
    static final class Failures implements Callback {
        final AtomicLong count = new AtomicLong();
        volatile Exception first;

        @Override
        public void onCompletion(RecordMetadata metadata, Exception e) {
            if (e != null && count.getAndIncrement() == 0) {
                first = e;
            }
        }

        void check(String topic) {
            if (count.get() > 0) {
                throw new IllegalStateException(count.get() + " events were not written to " + topic + ": " + first,
                        first);
            }
        }
    }

    /**
     * Reads every committed record of {@code topic} (read_committed) up to its end offsets now; records whose
     * {@code "ts"} is at or after {@code measuredFromTs} are also counted as measured.
     */
    static OutputSummary readAll(String bootstrap, String topic, long measuredFromTs) {
        long records = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long measured = 0;
        long measuredFirst = Long.MAX_VALUE;
        long measuredLast = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
            List<TopicPartition> parts = partitions(c, topic);
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long idleSince = System.nanoTime();
            while (!reached(c, end) && System.nanoTime() - idleSince < TimeUnit.SECONDS.toNanos(30)) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    records++;
                    first = Math.min(first, r.timestamp());
                    last = Math.max(last, r.timestamp());
                    if (eventTime(r.value()) >= measuredFromTs) {
                        measured++;
                        measuredFirst = Math.min(measuredFirst, r.timestamp());
                        measuredLast = Math.max(measuredLast, r.timestamp());
                    }
                    idleSince = System.nanoTime();
                }
            }
        }
        return new OutputSummary(records, first, last, measured, measuredFirst, measuredLast);
    }

    private static final byte[] TS_FIELD = "\"ts\":".getBytes(StandardCharsets.UTF_8);

    /** The {@code "ts"} number of an output record's JSON (written by the job, so well-formed). */
    static long eventTime(byte[] json) {
        outer:
        for (int i = 0; i + TS_FIELD.length <= json.length; i++) {
            for (int k = 0; k < TS_FIELD.length; k++) {
                if (json[i + k] != TS_FIELD[k]) {
                    continue outer;
                }
            }
            long ts = 0;
            for (int j = i + TS_FIELD.length; j < json.length && json[j] >= '0' && json[j] <= '9'; j++) {
                ts = ts * 10 + (json[j] - '0');
            }
            return ts;
        }
        throw new IllegalArgumentException("output record without \"ts\": "
                + new String(json, StandardCharsets.UTF_8));
    }

    static void deleteTopics(String bootstrap, String... topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.deleteTopics(List.of(topics)).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("pipeline: could not delete topics " + List.of(topics) + ": " + e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> c, String topic) {
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo info : c.partitionsFor(topic)) {
            parts.add(new TopicPartition(topic, info.partition()));
        }
        return parts;
    }

    private static boolean reached(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** The value of the {@code "ts"} field of an output record, scanned from the JSON bytes (cheap). */
    static long tsOf(byte[] json) {
        for (int i = 0; i + 5 < json.length; i++) {
            if (json[i] == '"' && json[i + 1] == 't' && json[i + 2] == 's' && json[i + 3] == '"' && json[i + 4] == ':') {
                long v = 0;
                for (int j = i + 5; j < json.length && json[j] >= '0' && json[j] <= '9'; j++) {
                    v = v * 10 + (json[j] - '0');
                }
                return v;
            }
        }
        throw new IllegalArgumentException("no \"ts\" in " + new String(json, StandardCharsets.UTF_8));
    }

    /**
     * Writes events at a fixed rate until stopped, round-robin over the streams, each with event time = the wall
     * clock at the send; counts those sent in [{@code windowStartMs}, {@code windowEndMs}). It keeps writing after
     * the window so that the watermark moves past the window's events and the job's load stays the same while the
     * window's output drains.
     *
     * <p>Event times never decrease, and one millisecond holds at most {@code streams} events: when the thread
     * catches up after a pause it sends a burst, and two events of one stream with the same time would be dropped
     * as duplicates by the SSM job. A burst's tail is then stamped up to burst / streams ms after its send.
     */
    static final class RateProducer extends Thread {
        private final String bootstrap;
        private final String topic;
        private final double rate;
        private final long streams;
        private final long windowStartMs;
        private final long windowEndMs;
        volatile long sentInWindow;
        volatile boolean stop;
        final Failures failures = new Failures();

        RateProducer(String bootstrap, String topic, double rate, long streams, long windowStartMs, long windowEndMs) {
            super("pipeline-rate-producer");
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.rate = rate;
            this.streams = streams;
            this.windowStartMs = windowStartMs;
            this.windowEndMs = windowEndMs;
        }

        @Override
        public void run() {
            StringBuilder sb = new StringBuilder(64);
            long start = System.nanoTime();
            long n = 0;
            long inWindow = 0;
            long ts = 0;
            long inThisMs = 0;
            try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, false)) {
                while (!stop) {
                    long due = (long) ((System.nanoTime() - start) * rate / 1e9);
                    for (; n < due; n++) {
                        long now = System.currentTimeMillis();
                        if (now > ts) {
                            ts = now;
                            inThisMs = 0;
                        } else if (inThisMs == streams) {
                            ts++;
                            inThisMs = 0;
                        }
                        inThisMs++;
                        long stream = n % streams;
                        producer.send(new ProducerRecord<>(topic, event(sb, stream, ts, value(stream, n / streams))),
                                failures);
                        if (ts >= windowStartMs && ts < windowEndMs) {
                            inWindow++;
                        }
                    }
                    sentInWindow = inWindow;
                    LockSupport.parkNanos(200_000);
                }
            }
        }
    }

    /**
     * Reads the output topic (read_committed) as it is written and records {@code now - ts} of each record whose
     * event time is in [{@code windowStartMs}, {@code windowEndMs}) into a histogram (ms).
     */
    static final class LatencyConsumer extends Thread {
        private final String bootstrap;
        private final String topic;
        private final long windowStartMs;
        private final long windowEndMs;
        final Histogram histogram = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
        volatile long inWindow;
        volatile boolean stop;

        LatencyConsumer(String bootstrap, String topic, long windowStartMs, long windowEndMs) {
            super("pipeline-latency-consumer");
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.windowStartMs = windowStartMs;
            this.windowEndMs = windowEndMs;
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> c = consumer(bootstrap)) {
                List<TopicPartition> parts = partitions(c, topic);
                c.assign(parts);
                c.seekToBeginning(parts);
                long n = 0;
                while (!stop) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long now = System.currentTimeMillis();
                        long ts = tsOf(r.value());
                        if (ts >= windowStartMs && ts < windowEndMs) {
                            histogram.recordValue(Math.max(0, now - ts));
                            n++;
                        }
                    }
                    inWindow = n;
                }
            }
        }
    }
}
