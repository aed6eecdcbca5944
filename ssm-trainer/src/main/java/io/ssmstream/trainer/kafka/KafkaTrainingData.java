package io.ssmstream.trainer.kafka;

import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.TrainingDataException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Training data from the job's input topic: the events of the last N hours, grouped by stream.
 *
 * <p>For each partition the read starts at {@code offsetsForTimes(now - last)} (the first record whose Kafka
 * timestamp is in the window) and stops at the end offset taken when the read began, so a busy topic does not
 * keep the read going. Records are parsed with the job's own {@link EventParser} (same format, same rules);
 * records it rejects are skipped and counted by reason, as are records behind the window (a producer's
 * timestamps need not increase with the offset). Each stream's events are put in event-time order (the job
 * orders them by event time too) and a second event with a stream's same timestamp is dropped, as the job
 * drops it. The consumer is assigned partitions directly: no consumer group, no committed offsets.
 */
public final class KafkaTrainingData {
    /** Give up when no partition made progress for this long. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param series          one per stream with at least 2 events, sorted by stream id
     * @param records         records read from the window
     * @param badRecords      records the parser rejected, by dead-letter reason
     * @param outsideWindow   records with a Kafka timestamp before the window (read past, not used)
     * @param duplicates      events dropped because their stream already had an event at that time
     * @param shortStreams    streams left out for having fewer than 2 events
     * @param from            the window's start
     */
    public record Result(List<EventSeries> series, long records, Map<String, Long> badRecords, long outsideWindow,
                         long duplicates, int shortStreams, Instant from) {
        public long badRecordCount() {
            return badRecords.values().stream().mapToLong(Long::longValue).sum();
        }

        public long events() {
            return series.stream().mapToLong(EventSeries::size).sum();
        }

        /** One line for the log. */
        public String summary(String topic) {
            return String.format(Locale.ROOT, "read %d records of %s since %s: %d events in %d streams;"
                            + " skipped %d bad records%s, %d older than the window, %d duplicates, %d streams with"
                            + " fewer than 2 events", records, topic, from, events(), series.size(), badRecordCount(),
                    badRecords.isEmpty() ? "" : " " + badRecords, outsideWindow, duplicates, shortStreams);
        }
    }

    private record Event(long ts, float[] values) {
    }

    private KafkaTrainingData() {
    }

    /**
     * @param clientProperties {@code bootstrap.servers} and any other consumer settings (security, ...);
     *                         {@code isolation.level} defaults to {@code read_committed}
     * @param topic            the input topic
     * @param last             how far back from {@code now} to read
     * @param dInput           values per event; events with another count are bad records
     * @param now              the window's end
     * @throws TrainingDataException when the topic does not exist, cannot be read, or holds no usable stream
     */
    public static Result read(Properties clientProperties, String topic, Duration last, int dInput, Instant now) {
        Objects.requireNonNull(topic, "topic");
        if (last.isNegative() || last.isZero()) {
            throw new TrainingDataException("--last must be positive, got " + last);
        }
        Instant from = now.minus(last);
        Properties props = new Properties();
        props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.setProperty(ConsumerConfig.CLIENT_ID_CONFIG, "ssm-stream-retrain");
        props.putAll(clientProperties);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.setProperty(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.setProperty(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);

        EventParser parser = new EventParser(dInput);
        Map<String, List<Event>> byStream = new HashMap<>();
        Map<String, Long> bad = new TreeMap<>();
        long records = 0;
        long outside = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new TrainingDataException("input topic " + topic + " does not exist or has no partitions");
            }
            Map<TopicPartition, Long> starts = new HashMap<>();
            for (PartitionInfo p : partitions) {
                starts.put(new TopicPartition(topic, p.partition()), from.toEpochMilli());
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(starts.keySet(), Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndTimestamp> firsts = consumer.offsetsForTimes(starts, Duration.ofSeconds(30));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : starts.keySet()) {
                OffsetAndTimestamp first = firsts.get(tp);
                long end = ends.getOrDefault(tp, 0L);
                if (first != null && first.offset() < end) {
                    remaining.put(tp, end);
                }
            }
            consumer.assign(remaining.keySet());
            for (TopicPartition tp : remaining.keySet()) {
                consumer.seek(tp, firsts.get(tp).offset());
            }
            long lastProgress = System.nanoTime();
            while (!remaining.isEmpty()) {
                boolean progress = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long end = remaining.get(tp);
                    if (end == null || r.offset() >= end) {
                        continue; // written after the read began
                    }
                    progress = true;
                    records++;
                    if (r.timestamp() < from.toEpochMilli()) {
                        outside++;
                        continue;
                    }
                    ParsedRecord parsed = parser.parse(r.key(), r.value(), r.topic(), r.partition(), r.offset());
                    if (parsed.deadLetter != null) {
                        bad.merge(parsed.deadLetter.reason.name().toLowerCase(Locale.ROOT), 1L, Long::sum);
                    } else {
                        byStream.computeIfAbsent(parsed.event.stream, k -> new ArrayList<>())
                                .add(new Event(parsed.event.ts, parsed.event.values));
                    }
                }
                for (TopicPartition tp : new ArrayList<>(remaining.keySet())) {
                    if (consumer.position(tp) >= remaining.get(tp)) {
                        remaining.remove(tp);
                        consumer.pause(List.of(tp));
                    }
                }
                if (progress) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
                    throw new TrainingDataException("input topic " + topic + ": no records arrived for "
                            + STALL_TIMEOUT.toSeconds() + " s with partitions " + remaining.keySet()
                            + " not read to their end offsets");
                }
            }
        } catch (KafkaException e) {
            throw new TrainingDataException("input topic " + topic + ": " + e.getMessage());
        }
        return group(topic, byStream, dInput, records, bad, outside, from);
    }

    private static Result group(String topic, Map<String, List<Event>> byStream, int dInput, long records,
                                Map<String, Long> bad, long outside, Instant from) {
        List<String> columns = new ArrayList<>();
        for (int k = 0; k < dInput; k++) {
            columns.add(dInput == 1 ? "value" : "value" + k);
        }
        List<EventSeries> series = new ArrayList<>();
        long duplicates = 0;
        int short_ = 0;
        for (String stream : new TreeMap<>(byStream).keySet()) {
            List<Event> events = byStream.get(stream);
            events.sort(Comparator.comparingLong(Event::ts)); // stable: the first of a duplicate pair stays
            long[] micros = new long[events.size()];
            float[] values = new float[events.size() * dInput];
            int n = 0;
            for (Event e : events) {
                if (n > 0 && micros[n - 1] == e.ts() * 1000) {
                    duplicates++;
                    continue;
                }
                micros[n] = e.ts() * 1000;
                System.arraycopy(e.values(), 0, values, n * dInput, dInput);
                n++;
            }
            if (n < 2) {
                short_++;
                continue;
            }
            series.add(new EventSeries(stream, columns, Arrays.copyOf(micros, n),
                    Arrays.copyOf(values, n * dInput)));
        }
        Result result = new Result(List.copyOf(series), records, Collections.unmodifiableMap(new TreeMap<>(bad)), outside, duplicates, short_, from);
        if (series.isEmpty()) {
            throw new TrainingDataException("input topic " + topic + ": no stream with at least 2 usable events; "
                    + result.summary(topic));
        }
        return result;
    }
}
