package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.ModelUpdate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The job's model-update input: a Flink {@link KafkaSource} of {@link ModelUpdate}s from the (compacted)
 * model-update topic.
 *
 * <p>Always from the earliest offset when no checkpoint is restored: on a compacted topic that is at least the
 * latest record of every model, so a job started from scratch gets the current model, not only the next one.
 * Malformed records are skipped, logged and counted ({@link ModelUpdateDeserializationSchema}).
 *
 * <p>Defaults: group id {@value #DEFAULT_GROUP_ID}, no extra properties. Required: bootstrap servers, topic.
 */
public final class KafkaModelUpdateSource {
    public static final String DEFAULT_GROUP_ID = "ssm-stream-model-updates";

    private KafkaModelUpdateSource() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the source; {@link #build()} checks them. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private String groupId = DEFAULT_GROUP_ID;
        private final Properties extra = new Properties();

        private Builder() {
        }

        /** Required: {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = ClientProperties.requireText(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** Required: the model-update topic. */
        public Builder topic(String topic) {
            this.topic = ClientProperties.requireText(topic, "topic");
            return this;
        }

        /** Consumer group id (offsets are committed for monitoring only); default {@value #DEFAULT_GROUP_ID}. */
        public Builder groupId(String groupId) {
            this.groupId = ClientProperties.requireText(groupId, "groupId");
            return this;
        }

        /** Extra consumer properties passed through as they are (SASL, SSL...); default none. */
        public Builder properties(Properties properties) {
            ClientProperties.addAll(extra, properties);
            return this;
        }

        /** The consumer properties the source will be given: the extra properties plus the owned settings. */
        public Properties consumerProperties() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            if (topic == null) {
                throw new IllegalArgumentException("topic is required");
            }
            Map<String, String> owned = new LinkedHashMap<>();
            owned.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            owned.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            return ClientProperties.merge(extra, owned, Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(..)",
                    ConsumerConfig.GROUP_ID_CONFIG, "groupId(..)"));
        }

        /**
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public KafkaSource<ModelUpdate> build() {
            return KafkaSource.<ModelUpdate>builder()
                    .setProperties(consumerProperties())
                    .setBootstrapServers(bootstrapServers)
                    .setGroupId(groupId)
                    .setTopics(topic)
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setDeserializer(new ModelUpdateDeserializationSchema())
                    .build();
        }
    }
}
