package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses model-update records ({@link ModelUpdateJson}). A record that is not a valid update (malformed JSON, a
 * missing field, a tombstone) is logged with its coordinates, counted in {@code ssm.modelUpdatesMalformed}, and
 * skipped: a deserializer that throws fails the job, which would then read the same record again forever.
 */
public final class ModelUpdateDeserializationSchema implements KafkaRecordDeserializationSchema<ModelUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelUpdateDeserializationSchema.class);
    public static final String MALFORMED_METRIC = "modelUpdatesMalformed";

    private transient Counter malformed;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        malformed = context.getMetricGroup().addGroup("ssm").counter(MALFORMED_METRIC);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ModelUpdate> out) {
        ModelUpdate update = parse(record);
        if (update != null) {
            out.collect(update);
        }
    }

    /** The update in {@code record}, or null (logged and counted) when it is not one. Never throws. */
    public ModelUpdate parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.value() == null) {
                throw new IllegalArgumentException("tombstone (no value)");
            }
            return ModelUpdateJson.parse(record.value());
        } catch (RuntimeException e) {
            LOG.warn("skipping malformed model update at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            if (malformed != null) {
                malformed.inc();
            }
            return null;
        }
    }

    @Override
    public TypeInformation<ModelUpdate> getProducedType() {
        return TypeInformation.of(ModelUpdate.class);
    }
}
