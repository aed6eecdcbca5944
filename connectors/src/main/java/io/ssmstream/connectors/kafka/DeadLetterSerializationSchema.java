package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.json.DeadLetterJson;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A dead letter as a Kafka record: key = the original record's key (null when it had none), value =
 * {@link DeadLetterJson}.
 *
 * <p>Why the original key: a replay tool can re-produce the record with its key unchanged, and dead letters of
 * one keyed stream stay together in one partition. No record timestamp is set, as for forecasts.
 */
public final class DeadLetterSerializationSchema implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializationSchema(String topic) {
        this.topic = ClientProperties.requireText(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
        byte[] key = d.key == null || d.key.length == 0 ? null : d.key;
        return new ProducerRecord<>(topic, key, DeadLetterJson.toBytes(d));
    }
}
