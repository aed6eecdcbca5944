package io.ssmstream.connectors.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be used, with everything needed to find, inspect and replay it: the original key and
 * value bytes, where it came from and why it was rejected. A Flink POJO.
 */
public class DeadLetter {
    public DeadLetterReason reason;
    /** Human-readable detail, e.g. {@code "expected 3 values, got 2"}. */
    public String detail;
    public String topic;
    public int partition;
    public long offset;
    /** The stream id when it could be read, else null. */
    public String stream;
    /** The original record key and value; never null (empty when absent). */
    public byte[] key;
    public byte[] value;

    public DeadLetter() {
    }

    public DeadLetter(DeadLetterReason reason, String detail, String topic, int partition, long offset, String stream,
                      byte[] key, byte[] value) {
        this.reason = reason;
        this.detail = detail;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.stream = stream;
        this.key = key == null ? new byte[0] : key;
        this.value = value == null ? new byte[0] : value;
    }

    /** A late event: it came behind the watermark, its stream had already moved past its time. */
    public static DeadLetter late(SensorEvent e, long watermark) {
        return new DeadLetter(DeadLetterReason.LATE, "event time " + e.ts + " is behind the watermark " + watermark,
                e.topic, e.partition, e.offset, e.stream, e.stream.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                e.raw);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d && reason == d.reason && partition == d.partition && offset == d.offset
                && Objects.equals(detail, d.detail) && Objects.equals(topic, d.topic)
                && Objects.equals(stream, d.stream) && Arrays.equals(key, d.key) && Arrays.equals(value, d.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, topic, partition, offset, stream);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + (reason == null ? null : reason.code()) + ": " + detail + " at " + topic + "/" + partition + "@" + offset + "}";
    }
}
