package io.ssmstream.connectors.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * One reading of one stream, as parsed from the input topic. A Flink POJO (public fields, no-arg constructor)
 * so that Flink serializes it without Kryo. The original record's bytes and coordinates travel with it so
 * that an event rejected later (too late) can still be dead-lettered with its original bytes.
 */
public class SensorEvent {
    /** The stream id: the JSON {@code stream} field, else the Kafka record key. The Flink key. */
    public String stream;
    /** Event time, epoch milliseconds. */
    public long ts;
    /** The readings, one per model input channel; finite. */
    public float[] values;
    /** Where the record came from, for dead letters. */
    public String topic;
    public int partition;
    public long offset;
    /** The record's original value bytes. */
    public byte[] raw;

    public SensorEvent() {
    }

    public SensorEvent(String stream, long ts, float[] values) {
        this.stream = stream;
        this.ts = ts;
        this.values = values;
        this.topic = "";
        this.partition = -1;
        this.offset = -1;
        this.raw = new byte[0];
    }

    public SensorEvent withSource(String topic, int partition, long offset, byte[] raw) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.raw = raw;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SensorEvent e && ts == e.ts && partition == e.partition && offset == e.offset
                && Objects.equals(stream, e.stream) && Arrays.equals(values, e.values) && Objects.equals(topic, e.topic)
                && Arrays.equals(raw, e.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, ts, Arrays.hashCode(values), topic, partition, offset);
    }

    @Override
    public String toString() {
        return "SensorEvent{" + stream + " @" + ts + " " + Arrays.toString(values) + "}";
    }
}
