package io.ssmstream.connectors.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * What the builders of this package's Flink {@link KafkaSource}s add to {@link KafkaClientBuilder}: the consumer
 * group, and the source itself. Offsets are committed to the group on checkpoints (Flink's default), for
 * monitoring and for starting from committed offsets; recovery itself uses the offsets in the checkpoint.
 *
 * <p>Defaults: the group id the concrete source names (its {@code DEFAULT_GROUP_ID}). Owned consumer settings:
 * {@code bootstrap.servers}, {@code group.id} and whatever the concrete source adds.
 *
 * @param <B> the concrete builder, which every setter returns so that calls chain
 */
public abstract class KafkaConsumerBuilder<B extends KafkaConsumerBuilder<B>> extends KafkaClientBuilder<B> {
    private String groupId;

    KafkaConsumerBuilder(String defaultGroupId) {
        this.groupId = defaultGroupId;
    }

    /** Consumer group id; default: the source's {@code DEFAULT_GROUP_ID}. */
    public B groupId(String groupId) {
        this.groupId = ClientProperties.requireText(groupId, "groupId");
        return self();
    }

    /** The consumer properties the source will be given: the extra properties plus the owned settings. */
    public abstract Properties consumerProperties();

    /**
     * {@link #consumerProperties()} with the source's own settings besides the servers and the group.
     *
     * @param owned  key to the value the source sets, in order
     * @param setter key to the reason or builder method that sets it, for the error message
     */
    Properties consumerProperties(Map<String, String> owned, Map<String, String> setter) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        all.putAll(owned);
        Map<String, String> setBy = new LinkedHashMap<>(setter);
        setBy.put(ConsumerConfig.GROUP_ID_CONFIG, "groupId(..)");
        return clientProperties(all, setBy);
    }

    /**
     * A Flink source builder with these settings, starting at {@code startingOffsets} without a checkpoint and
     * reading records with {@code deserializer}; the caller may still make it bounded.
     *
     * @throws IllegalArgumentException naming the first missing or contradicting setting
     */
    <T> KafkaSourceBuilder<T> sourceBuilder(OffsetsInitializer startingOffsets,
                                            KafkaRecordDeserializationSchema<T> deserializer) {
        Properties props = consumerProperties();
        return KafkaSource.<T>builder()
                .setProperties(props)
                .setBootstrapServers(servers())
                .setGroupId(groupId)
                .setTopics(topicName())
                .setStartingOffsets(startingOffsets)
                .setDeserializer(Objects.requireNonNull(deserializer, "deserializer"));
    }
}
