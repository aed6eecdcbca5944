package io.ssmstream.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a {@code read_committed} reader sees on a topic: each key's values in the order they were read (a key's
 * records are in one partition, so this is the order the job wrote them) and how many records there were in all;
 * a duplicate shows as a value repeated in its key's list.
 */
record CommittedOutput(Map<String, List<String>> byKey, int count) {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Duration GRACE = Duration.ofSeconds(3);

    /**
     * Reads {@code topic} from the beginning until {@code expected} records arrived, then 3 s
     * more so that duplicates, if any, are seen too; gives up after two minutes with what it has.
     */
    static CommittedOutput read(String bootstrap, String topic, int expected) {
        return read(plaintext(bootstrap), topic, expected);
    }

    /** {@link #read(String, String, int)} with these client settings (brokers, security). */
    static CommittedOutput read(Properties client, String topic, int expected) {
        Map<String, List<String>> byKey = new TreeMap<>();
        int count = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long graceEnd = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(client)) {
            consumer.subscribe(List.of(topic));
            while (System.nanoTime() < Math.min(deadline, graceEnd)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    byKey.computeIfAbsent(key, k -> new ArrayList<>())
                            .add(new String(r.value(), StandardCharsets.UTF_8));
                    count++;
                }
                if (count >= expected && graceEnd == Long.MAX_VALUE) {
                    graceEnd = System.nanoTime() + GRACE.toNanos();
                }
            }
        }
        return new CommittedOutput(byKey, count);
    }

    /** These records with every {@code from} in their values replaced by {@code to}. */
    CommittedOutput replacing(String from, String to) {
        Map<String, List<String>> replaced = new TreeMap<>();
        byKey.forEach((k, values) -> replaced.put(k, values.stream().map(v -> v.replace(from, to)).toList()));
        return new CommittedOutput(replaced, count);
    }

    /**
     * How many records are visible to read_committed readers right now: reads every partition from its beginning
     * to its last stable offset. Assigned partitions, no consumer group: this takes milliseconds, not a rebalance.
     */
    static int countNow(String bootstrap, String topic) {
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(plaintext(bootstrap))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in " + TIMEOUT);
                }
                count += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        return count;
    }

    private static Properties plaintext(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"); // a reader, not a member that resumes
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
