package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ParsedRecord;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each input Kafka record into exactly one {@link ParsedRecord}: an event, or a dead letter carrying the
 * original bytes and coordinates.
 *
 * <p>Why: an exception thrown by a Flink deserializer fails the job, which restarts and reads the same bad record
 * again, forever. So this never throws on a record's content: {@link EventParser} already reports bad input as a
 * dead letter, and any unexpected error inside it is caught and dead-lettered too ({@code malformed_json}, with
 * the error in the detail), so one poison record costs one dead letter, not the job.
 */
public final class EventDeserializationSchema implements KafkaRecordDeserializationSchema<ParsedRecord> {
    private static final long serialVersionUID = 1L;

    private final EventParser parser;
    private final RecordParser delegate;

    public EventDeserializationSchema(EventParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.delegate = parser::parse;
    }

    /** For tests: a parser that may misbehave, to check that nothing escapes. */
    EventDeserializationSchema(EventParser parser, RecordParser delegate) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @param expectedValues the model's input width, see {@link EventParser#EventParser(int)} */
    public EventDeserializationSchema(int expectedValues) {
        this(new EventParser(expectedValues));
    }

    public EventParser parser() {
        return parser;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        out.collect(parse(record));
    }

    /** The one result for a record; never throws for any key or value. */
    public ParsedRecord parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return delegate.parse(record.key(), record.value(), record.topic(), record.partition(), record.offset());
        } catch (RuntimeException e) {
            String stream = record.key() == null || record.key().length == 0
                    ? null : new String(record.key(), StandardCharsets.UTF_8);
            return ParsedRecord.of(new DeadLetter(DeadLetterReason.MALFORMED_JSON, "parser error: " + e,
                    record.topic(), record.partition(), record.offset(), stream, record.key(), record.value()));
        }
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }

    /** {@link EventParser#parse}'s signature, so that tests can stand in for it. */
    @FunctionalInterface
    interface RecordParser extends Serializable {
        ParsedRecord parse(byte[] key, byte[] value, String topic, int partition, long offset);
    }
}
