package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.connectors.audio.AudioScoreSerializationSchema;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The job's outputs: a {@link KafkaSink} of forecasts ({@link ForecastSerializationSchema}) and one of dead letters
 * ({@link DeadLetterSerializationSchema}).
 *
 * <p>Why these defaults: {@link DeliveryGuarantee#EXACTLY_ONCE} writes each checkpoint's output in a Kafka
 * transaction committed when the checkpoint completes, so a {@code read_committed} consumer sees every forecast
 * once even across failures. That needs a transactional id prefix unique to the job and sink (two jobs, or the
 * two sinks of one job, sharing one would fence each other's transactions), so it is required. Flink's own
 * default {@code transaction.timeout.ms} is 1 hour, which a broker with the default
 * {@code transaction.max.timeout.ms} of 15 minutes rejects; here it defaults to {@value #MAX_TIMEOUT_MINUTES}
 * minutes and may not be longer. It must exceed the checkpoint interval plus the longest expected downtime,
 * otherwise the broker aborts a pending transaction and its output is lost.
 *
 * <p>Defaults: delivery guarantee EXACTLY_ONCE, transaction timeout 15 min, no extra properties. Required:
 * bootstrap servers, topic, and for EXACTLY_ONCE the transactional id prefix.
 */
public final class KafkaSinks {
    static final int MAX_TIMEOUT_MINUTES = 15;
    /** The default and the longest allowed {@code transaction.timeout.ms}: the broker's default maximum. */
    public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(MAX_TIMEOUT_MINUTES);

    private KafkaSinks() {
    }

    /** A builder of the forecast sink: key = stream id, value = forecast JSON. */
    public static Builder<ForecastRecord> forecasts() {
        return new Builder<>(ForecastSerializationSchema::new);
    }

    /** A builder of the audio score sink: key = stream id, value = audio score JSON (one per stream and interval). */
    public static Builder<AudioScoreRecord> audioScores() {
        return new Builder<>(AudioScoreSerializationSchema::new);
    }

    /** A builder of the dead-letter sink: key = the original key, value = dead-letter JSON. */
    public static Builder<DeadLetter> deadLetters() {
        return new Builder<>(DeadLetterSerializationSchema::new);
    }

    /** Settings of one sink; {@link #build()} checks them. */
    public static final class Builder<T> {
        private final Function<String, KafkaRecordSerializationSchema<T>> serializer;
        private String bootstrapServers;
        private String topic;
        private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix;
        private Duration transactionTimeout = MAX_TRANSACTION_TIMEOUT;
        private final Properties extra = new Properties();

        private Builder(Function<String, KafkaRecordSerializationSchema<T>> serializer) {
            this.serializer = serializer;
        }

        /** Required: {@code host:port[,host:port...]}. */
        public Builder<T> bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = ClientProperties.requireText(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** Required: the output topic. */
        public Builder<T> topic(String topic) {
            this.topic = ClientProperties.requireText(topic, "topic");
            return this;
        }

        /** Default {@link DeliveryGuarantee#EXACTLY_ONCE}. */
        public Builder<T> deliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
            this.deliveryGuarantee = Objects.requireNonNull(deliveryGuarantee, "deliveryGuarantee");
            return this;
        }

        /** Required for EXACTLY_ONCE: a prefix of the Kafka transactional ids, unique per job and sink. */
        public Builder<T> transactionalIdPrefix(String transactionalIdPrefix) {
            this.transactionalIdPrefix = ClientProperties.requireText(transactionalIdPrefix, "transactionalIdPrefix");
            return this;
        }

        /**
         * Kafka {@code transaction.timeout.ms}; default and maximum 15 minutes.
         *
         * @throws IllegalArgumentException if not positive or over 15 minutes
         */
        public Builder<T> transactionTimeout(Duration transactionTimeout) {
            Objects.requireNonNull(transactionTimeout, "transactionTimeout");
            if (transactionTimeout.isNegative() || transactionTimeout.isZero()
                    || transactionTimeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
                throw new IllegalArgumentException("transactionTimeout must be positive and at most "
                        + MAX_TRANSACTION_TIMEOUT + " (the broker's default transaction.max.timeout.ms), got "
                        + transactionTimeout);
            }
            if (transactionTimeout.toMillis() == 0) {
                throw new IllegalArgumentException("transactionTimeout must be at least 1 ms, got "
                        + transactionTimeout);
            }
            this.transactionTimeout = transactionTimeout;
            return this;
        }

        /**
         * Extra producer properties passed through as they are (SASL, SSL, compression...), added to those given
         * before. They may not contradict the settings above ({@code transaction.timeout.ms} included). Default:
         * none.
         */
        public Builder<T> properties(Properties properties) {
            ClientProperties.addAll(extra, properties);
            return this;
        }

        /** One extra producer property, as in {@link #properties(Properties)}. */
        public Builder<T> property(String key, String value) {
            ClientProperties.requireText(key, "key");
            extra.setProperty(key, Objects.requireNonNull(value, "value of Kafka property " + key));
            return this;
        }

        /** The producer properties the sink will be given: the extra properties plus the owned settings. */
        public Properties producerProperties() {
            requireSet();
            Map<String, String> owned = new LinkedHashMap<>();
            owned.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            owned.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis()));
            Map<String, String> setter = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(..)",
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "transactionTimeout(..)");
            Properties props = ClientProperties.merge(extra, owned, setter);
            if (props.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
                throw new IllegalArgumentException("Kafka property " + ProducerConfig.TRANSACTIONAL_ID_CONFIG
                        + " must not be set: the sink derives transactional ids from transactionalIdPrefix(..)");
            }
            return props;
        }

        /**
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public KafkaSink<T> build() {
            Properties props = producerProperties();
            var sink = KafkaSink.<T>builder()
                    .setKafkaProducerConfig(props)
                    .setBootstrapServers(bootstrapServers)
                    .setDeliveryGuarantee(deliveryGuarantee)
                    .setRecordSerializer(serializer.apply(topic));
            if (transactionalIdPrefix != null) {
                sink.setTransactionalIdPrefix(transactionalIdPrefix);
            }
            return sink.build();
        }

        private void requireSet() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            if (topic == null) {
                throw new IllegalArgumentException("topic is required");
            }
            if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE && transactionalIdPrefix == null) {
                throw new IllegalArgumentException("transactionalIdPrefix is required for EXACTLY_ONCE delivery"
                        + " (unique per job and sink, e.g. \"ssm-stream-forecasts\")");
            }
        }
    }
}
