package io.ssmstream.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmstream.app.input.EventCsvReader;
import io.ssmstream.app.input.EventRow;
import io.ssmstream.app.input.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.ProducerRecord;
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
        PacedSender.requireSpeedup(speedup);
        sent = 0;
        long skipped = 0;
        long start = System.nanoTime();
        try (EventCsvReader reader = EventCsvReader.open(input, columns);
             PacedSender sender = PacedSender.connect(kafka, speedup)) {
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
                sender.send(row.micros() - firstMicros, new ProducerRecord<>(topic, key, event(row)));
                sent++;
            }
            sender.flush();
            long failures = sender.failures();
            if (failures > 0) {
                sent -= failures;
                throw new UserException(failures + " of " + (sent + failures) + " events could not be written to "
                        + topic + ": " + sender.firstFailure());
            }
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
