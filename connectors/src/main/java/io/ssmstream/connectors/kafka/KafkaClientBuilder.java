package io.ssmstream.connectors.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The settings every Kafka client builder of this package shares: the brokers, the one topic read or written,
 * and extra client properties passed through as they are (SASL, SSL, timeouts...).
 *
 * <p>Why one base: each client owns some settings (the brokers, a group id, {@code acks}...) that an extra
 * property could otherwise silently override; {@link #clientProperties} merges the two the same way everywhere,
 * so that a contradicting property is an error naming the key and the builder method to use instead.
 *
 * <p>Defaults: no extra properties. Required: bootstrap servers, topic; a missing one is named when the client's
 * properties are asked for or the client is built.
 *
 * @param <B> the concrete builder, which every setter returns so that calls chain
 */
public abstract class KafkaClientBuilder<B extends KafkaClientBuilder<B>> {
    private String bootstrapServers;
    private String topic;
    private final Properties extra = new Properties();

    /** Only the builders of this package extend it: they are the ones whose owned settings it merges. */
    KafkaClientBuilder() {
    }

    /** This builder, typed as the concrete builder. */
    abstract B self();

    /** Required: {@code host:port[,host:port...]}. */
    public B bootstrapServers(String bootstrapServers) {
        this.bootstrapServers = ClientProperties.requireText(bootstrapServers, "bootstrapServers");
        return self();
    }

    /** Required: the topic the client reads or writes (what it should be is said by each builder's class comment). */
    public B topic(String topic) {
        this.topic = ClientProperties.requireText(topic, "topic");
        return self();
    }

    /**
     * Extra client properties passed through as they are (SASL, SSL, timeouts, compression...), added to those
     * given before. They may repeat a setting the builder owns only with the same value (each builder's class
     * comment says what it owns). Default: none.
     */
    public B properties(Properties properties) {
        ClientProperties.addAll(extra, properties);
        return self();
    }

    /** One extra client property, as in {@link #properties(Properties)}. */
    public B property(String key, String value) {
        ClientProperties.requireText(key, "key");
        extra.setProperty(key, Objects.requireNonNull(value, "value of Kafka property " + key));
        return self();
    }

    /**
     * @throws IllegalArgumentException {@code "bootstrapServers is required"} or {@code "topic is required"},
     *                                  whichever is missing first
     */
    void requireSet() {
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("bootstrapServers is required");
        }
        if (topic == null) {
            throw new IllegalArgumentException("topic is required");
        }
    }

    /** The bootstrap servers, once {@link #requireSet()} passed. */
    String servers() {
        return bootstrapServers;
    }

    /** The topic, once {@link #requireSet()} passed. */
    String topicName() {
        return topic;
    }

    /**
     * The properties the client will be given: the extra properties plus {@code bootstrap.servers} and the
     * settings the concrete builder owns.
     *
     * @param owned  key to the value the builder sets, in order
     * @param setter key to the builder method (or the reason) that sets it, for the error message
     * @throws IllegalArgumentException naming a missing required setting or the first contradicting property
     */
    Properties clientProperties(Map<String, String> owned, Map<String, String> setter) {
        requireSet();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        all.putAll(owned);
        Map<String, String> setBy = new LinkedHashMap<>(setter);
        setBy.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(..)");
        return ClientProperties.merge(extra, all, setBy);
    }
}
