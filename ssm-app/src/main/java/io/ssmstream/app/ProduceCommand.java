package io.ssmstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmstream.app.input.EventCsvReader;
import io.ssmstream.app.input.EventRow;
import io.ssmstream.app.input.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream produce}: replays a CSV series into a Kafka topic as the job's input events,
 * {@code {"stream", "ts", "values"}} keyed by the stream id, at a chosen speed-up of the series' own clock.
 */
@Command(name = "produce", sortOptions = false,
        description = "Replay a CSV series into a Kafka topic as JSON events, at a speed-up of its own clock.")
final class ProduceCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", required = true, description = "Topic to write the events to.")
    String topic;

    @Option(names = "--input", required = true, paramLabel = "FILE",
            description = "CSV: a header, then a timestamp and the value columns per row.")
    Path input;

    @Option(names = "--stream", required = true, description = "Stream id of the events (the Kafka key).")
    String stream;

    @Option(names = "--columns", defaultValue = "1",
            description = "Number of value columns after the timestamp (default: ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--speedup", defaultValue = "0",
            description = "Replay this many times faster than the series' timestamps; 0 sends as fast as "
                    + "possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    private static final ObjectMapper JSON = new ObjectMapper();

    private long sent;

    /** Events sent by the last run. */
    long sent() {
        return sent;
    }

    @Override
    protected int run() throws Exception {
        if (speedup < 0 || !Double.isFinite(speedup)) {
            throw new UserException("--speedup must be 0 (as fast as possible) or positive, got " + speedup);
        }
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        sent = 0;
        long skipped = 0;
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        try (EventCsvReader reader = EventCsvReader.open(input, columns);
             KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] key = stream.getBytes(StandardCharsets.UTF_8);
            long firstMicros = Long.MIN_VALUE;
            while (true) {
                EventRow row;
                try {
                    row = reader.next();
                } catch (InputException e) {
                    if (!e.rowLevel()) {
                        throw e;
                    }
                    skipped++;
                    continue;
                }
                if (row == null) {
                    break;
                }
                if (firstMicros == Long.MIN_VALUE) {
                    firstMicros = row.micros();
                }
                if (speedup > 0) {
                    long dueNanos = (long) ((row.micros() - firstMicros) * 1000 / speedup);
                    long wait = dueNanos - (System.nanoTime() - start);
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                producer.send(new ProducerRecord<>(topic, key, event(row)), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, error);
                    }
                });
                sent++;
            }
            producer.flush();
        }
        if (failures.get() > 0) {
            sent -= failures.get();
            throw new UserException(failures.get() + " of " + (sent + failures.get()) + " events could not be written to "
                    + topic + ": " + firstFailure.get());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err().printf("produced %d events of stream %s to %s in %.1f s%s%n", sent, stream, topic, seconds,
                skipped > 0 ? " (" + skipped + " bad rows skipped)" : "");
        err().flush();
        return SsmStreamCli.EXIT_OK;
    }

    private byte[] event(EventRow row) throws Exception {
        ObjectNode node = JSON.createObjectNode();
        node.put("stream", stream);
        node.put("ts", Math.floorDiv(row.micros(), 1000L));
        ArrayNode values = node.putArray("values");
        for (float v : row.values()) {
            values.add(v);
        }
        return JSON.writeValueAsBytes(node);
    }
}
