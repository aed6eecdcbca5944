package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.json.ForecastJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A forecast as a Kafka record: key = stream id (UTF-8), value = {@link ForecastJson}.
 *
 * <p>Why the key: Kafka partitions by key, so all of a stream's forecasts land in one partition, in order, and a
 * consumer of the forecast topic sees each stream's forecasts in event order. No record timestamp is set (the
 * producer stamps the send time): event times of replayed history would make the broker's time-based retention
 * delete the output at once.
 */
public final class ForecastSerializationSchema implements KafkaRecordSerializationSchema<ForecastRecord> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient ForecastJson.Writer json;

    public ForecastSerializationSchema(String topic) {
        this.topic = ClientProperties.requireText(topic, "topic");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(ForecastRecord r, KafkaSinkContext context, Long timestamp) {
        if (r.stream == null) {
            throw new IllegalArgumentException("forecast record without a stream id: " + r);
        }
        if (json == null) {
            json = new ForecastJson.Writer();
        }
        return new ProducerRecord<>(topic, r.stream.getBytes(StandardCharsets.UTF_8), json.toBytes(r));
    }
}
