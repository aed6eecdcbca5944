package io.ssmstream.connectors.event;

/**
 * What the input deserializer makes of one Kafka record: either an event or a dead letter, never an exception,
 * so that bad input never fails or restarts the job. A Flink POJO; exactly one field is non-null.
 */
public class ParsedRecord {
    public SensorEvent event;
    public DeadLetter deadLetter;

    public ParsedRecord() {
    }

    public static ParsedRecord of(SensorEvent event) {
        ParsedRecord r = new ParsedRecord();
        r.event = event;
        return r;
    }

    public static ParsedRecord of(DeadLetter deadLetter) {
        ParsedRecord r = new ParsedRecord();
        r.deadLetter = deadLetter;
        return r;
    }
}
