package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.connectors.audio.AudioScoreSerializationSchema;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import java.time.Duration;
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
 * <p>Defaults: delivery guarantee EXACTLY_ONCE, transaction timeout 15 min, no extra properties (they may not
 * set {@code transaction.timeout.ms} to another value, nor {@code transactional.id}). Required: bootstrap
 * servers, the output topic, and for EXACTLY_ONCE the transactional id prefix.
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
    public static final class Builder<T> extends KafkaClientBuilder<Builder<T>> {
        private final Function<String, KafkaRecordSerializationSchema<T>> serializer;
        private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        private String transactionalIdPrefix;
        private Duration transactionTimeout = MAX_TRANSACTION_TIMEOUT;

        private Builder(Function<String, KafkaRecordSerializationSchema<T>> serializer) {
            this.serializer = serializer;
        }

        @Override
        Builder<T> self() {
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

        /** The producer properties the sink will be given: the extra properties plus the owned settings. */
        public Properties producerProperties() {
            requireSet();
            if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE && transactionalIdPrefix == null) {
                throw new IllegalArgumentException("transactionalIdPrefix is required for EXACTLY_ONCE delivery"
                        + " (unique per job and sink, e.g. \"ssm-stream-forecasts\")");
            }
            Properties props = clientProperties(
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(transactionTimeout.toMillis())),
                    Map.of(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "transactionTimeout(..)"));
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
                    .setBootstrapServers(servers())
                    .setDeliveryGuarantee(deliveryGuarantee)
                    .setRecordSerializer(serializer.apply(topicName()));
            if (transactionalIdPrefix != null) {
                sink.setTransactionalIdPrefix(transactionalIdPrefix);
            }
            return sink.build();
        }
    }
}
