package io.ssmstream.connectors.audio;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns each audio-topic record into exactly one {@link ParsedAudioChunk}; like the event deserializer it never
 * throws on a record's content (a deserializer exception would fail and restart the job on the same record
 * forever): {@link AudioChunkParser} reports bad chunks as dead letters, and anything unexpected inside it is
 * dead-lettered as {@code bad_audio_length} with the error in the detail.
 */
public final class AudioDeserializationSchema implements KafkaRecordDeserializationSchema<ParsedAudioChunk> {
    private static final long serialVersionUID = 1L;

    private final AudioChunkParser parser = new AudioChunkParser();

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedAudioChunk> out) {
        out.collect(parse(record));
    }

    /** The one result for a record; never throws for any key, value or headers. */
    public ParsedAudioChunk parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return parser.parse(record.key(), record.value(), name -> {
                Header h = record.headers().lastHeader(name);
                return h == null ? null : h.value();
            }, record.topic(), record.partition(), record.offset());
        } catch (RuntimeException e) {
            String stream = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            return ParsedAudioChunk.of(new DeadLetter(DeadLetterReason.BAD_AUDIO_LENGTH, "parser error: " + e,
                    record.topic(), record.partition(), record.offset(), stream, record.key(), record.value()));
        }
    }

    @Override
    public TypeInformation<ParsedAudioChunk> getProducedType() {
        return TypeInformation.of(ParsedAudioChunk.class);
    }
}
