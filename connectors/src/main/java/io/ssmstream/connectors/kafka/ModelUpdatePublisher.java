package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Announces a new model version on the model-update topic: key = the model name (the topic is compacted, so the
 * latest record per model is the current version), value = {@link ModelUpdateJson}. {@link #publish} returns
 * only once the broker acknowledged the record ({@code acks=all}, idempotent producer), so a retraining run that
 * reports "published" has really published.
 *
 * <p>Defaults: ack timeout {@value #DEFAULT_ACK_TIMEOUT_SECONDS} s, no extra properties (they may not contradict
 * {@code acks=all} or idempotence). Required: bootstrap servers, the model-update topic (should be compacted).
 */
public final class ModelUpdatePublisher implements AutoCloseable {
    static final int DEFAULT_ACK_TIMEOUT_SECONDS = 30;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final Duration ackTimeout;

    private ModelUpdatePublisher(Builder b, Properties props) {
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = b.topicName();
        this.ackTimeout = b.ackTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends {@code update} keyed by its model name and waits for the broker's acknowledgement.
     *
     * @return where the record was written
     * @throws IllegalArgumentException when the update lacks a model name, version, uri, sha256 or config
     * @throws IllegalStateException    naming the topic and version when the broker refuses or does not
     *                                  acknowledge within the ack timeout
     */
    public RecordMetadata publish(ModelUpdate update) {
        Objects.requireNonNull(update, "update");
        requireField(update.modelName, "modelName", update);
        requireField(update.version, "version", update);
        requireField(update.uri, "uri", update);
        requireField(update.sha256, "sha256", update);
        requireField(update.configJson, "configJson", update);
        byte[] key = update.modelName.getBytes(StandardCharsets.UTF_8);
        String what = "model update " + update.modelName + " " + update.version + " on topic " + topic;
        try {
            return producer.send(new ProducerRecord<>(topic, key, ModelUpdateJson.toBytes(update)))
                    .get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no acknowledgement for " + what + " within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + what, e);
        }
    }

    @Override
    public void close() {
        producer.close(ackTimeout);
    }

    private static void requireField(String value, String field, ModelUpdate update) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("model update " + update + " has no " + field);
        }
    }

    /** Settings of the publisher; {@link #build()} checks them. */
    public static final class Builder extends KafkaClientBuilder<Builder> {
        private Duration ackTimeout = Duration.ofSeconds(DEFAULT_ACK_TIMEOUT_SECONDS);

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** How long {@link #publish} waits for the broker's acknowledgement; positive; default 30 s. */
        public Builder ackTimeout(Duration ackTimeout) {
            if (ackTimeout == null || ackTimeout.isNegative() || ackTimeout.isZero()) {
                throw new IllegalArgumentException("ackTimeout must be positive, got " + ackTimeout);
            }
            this.ackTimeout = ackTimeout;
            return this;
        }

        /** The producer properties the publisher will use: the extra properties plus the owned settings. */
        public Properties producerProperties() {
            Map<String, String> owned = new LinkedHashMap<>();
            owned.put(ProducerConfig.ACKS_CONFIG, "all");
            owned.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            Map<String, String> setter = Map.of(
                    ProducerConfig.ACKS_CONFIG, "the publisher, which always waits for all in-sync replicas",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "the publisher, which is always idempotent");
            return clientProperties(owned, setter);
        }

        /**
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public ModelUpdatePublisher build() {
            return new ModelUpdatePublisher(this, producerProperties());
        }
    }
}
