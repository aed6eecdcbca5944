package io.ssmstream.connectors.audio;

import io.ssmstream.connectors.json.AudioScoreJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** An audio score as a Kafka record: key = stream id (UTF-8), value = {@link AudioScoreJson}. */
public final class AudioScoreSerializationSchema implements KafkaRecordSerializationSchema<AudioScoreRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public AudioScoreSerializationSchema(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("topic must be given");
        }
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(AudioScoreRecord r, KafkaSinkContext context, Long timestamp) {
        if (r.stream == null) {
            throw new IllegalArgumentException("audio score without a stream id: " + r);
        }
        return new ProducerRecord<>(topic, r.stream.getBytes(StandardCharsets.UTF_8), AudioScoreJson.toBytes(r));
    }
}
