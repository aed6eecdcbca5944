package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.ModelUpdate;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/**
 * The job's model-update input: a Flink {@link KafkaSource} of {@link ModelUpdate}s from the (compacted)
 * model-update topic.
 *
 * <p>Always from the earliest offset when no checkpoint is restored: on a compacted topic that is at least the
 * latest record of every model, so a job started from scratch gets the current model, not only the next one.
 * Malformed records are skipped, logged and counted ({@link ModelUpdateDeserializationSchema}).
 *
 * <p>Defaults: group id {@value #DEFAULT_GROUP_ID}, no extra properties. Required: bootstrap servers, the
 * model-update topic.
 */
public final class KafkaModelUpdateSource {
    public static final String DEFAULT_GROUP_ID = "ssm-stream-model-updates";

    private KafkaModelUpdateSource() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the source; {@link #build()} checks them. */
    public static final class Builder extends KafkaConsumerBuilder<Builder> {
        private Builder() {
            super(DEFAULT_GROUP_ID);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The servers and the group (offsets are committed for monitoring only). */
        @Override
        public Properties consumerProperties() {
            return consumerProperties(Map.of(), Map.of());
        }

        /**
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public KafkaSource<ModelUpdate> build() {
            return sourceBuilder(OffsetsInitializer.earliest(), new ModelUpdateDeserializationSchema()).build();
        }
    }
}
