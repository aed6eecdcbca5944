package io.ssmstream.connectors.kafka;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the input source starts reading when the job starts without a checkpoint or savepoint (with one, it
 * resumes from the offsets stored in it, whatever this says).
 */
public enum StartingOffsets {
    /** From the beginning of every partition: replays the topic (the default: no event is skipped). */
    EARLIEST,
    /** From the end: only events produced after the job started. */
    LATEST,
    /** From the consumer group's committed offsets; from the beginning for partitions the group never committed. */
    COMMITTED;

    /**
     * The value for a command-line word, {@code earliest}, {@code latest} or {@code committed} (any case).
     *
     * @throws IllegalArgumentException naming the word and the accepted ones
     */
    public static StartingOffsets parse(String text) {
        if (text != null) {
            for (StartingOffsets s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("starting offsets must be one of "
                + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", got \"" + text + "\"");
    }
}
