package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ParsedRecord;
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
 * The job's input: a Flink {@link KafkaSource} of {@link ParsedRecord}s (events and dead letters) from one topic.
 *
 * <p>Why a builder of our own: it fixes what correctness needs and leaves only real choices open.
 * {@code isolation.level} is always {@code read_committed}, so that records of aborted transactions (e.g. of an
 * upstream exactly-once producer that failed) are never forecast; records are parsed by
 * {@link EventDeserializationSchema}, which never fails the job on bad input. Offsets are committed to the group
 * on checkpoints (Flink's default) for monitoring and for {@link StartingOffsets#COMMITTED}; recovery itself
 * uses the offsets in the checkpoint.
 *
 * <p>Defaults: group id {@value #DEFAULT_GROUP_ID}, starting offsets {@link StartingOffsets#EARLIEST}, no extra
 * properties. Required: bootstrap servers, topic, expected values (the model's input width).
 */
public final class KafkaEventSource {
    public static final String DEFAULT_GROUP_ID = "ssm-stream";
    public static final String ISOLATION_LEVEL = "read_committed";

    private KafkaEventSource() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the source; {@link #build()} checks them. */
    public static final class Builder {
        private String bootstrapServers;
        private String topic;
        private String groupId = DEFAULT_GROUP_ID;
        private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;
        private boolean bounded;
        private int expectedValues;
        private final Properties extra = new Properties();

        private Builder() {
        }

        /** Required: {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = ClientProperties.requireText(bootstrapServers, "bootstrapServers");
            return this;
        }

        /** Required: the input topic. */
        public Builder topic(String topic) {
            this.topic = ClientProperties.requireText(topic, "topic");
            return this;
        }

        /**
         * Stop at the offsets that are the latest when the job starts (a backfill; tests): the job then
         * finishes, and its end of input flushes every event still waiting for the watermark. Default: unbounded.
         */
        public Builder bounded(boolean bounded) {
            this.bounded = bounded;
            return this;
        }

        /** Consumer group id; default {@value KafkaEventSource#DEFAULT_GROUP_ID}. */
        public Builder groupId(String groupId) {
            this.groupId = ClientProperties.requireText(groupId, "groupId");
            return this;
        }

        /** Where to start without a checkpoint; default {@link StartingOffsets#EARLIEST}. */
        public Builder startingOffsets(StartingOffsets startingOffsets) {
            this.startingOffsets = Objects.requireNonNull(startingOffsets, "startingOffsets");
            return this;
        }

        /** Required: how many values every event must carry (the model's d_input); positive. */
        public Builder expectedValues(int expectedValues) {
            if (expectedValues <= 0) {
                throw new IllegalArgumentException("expectedValues must be positive, got " + expectedValues);
            }
            this.expectedValues = expectedValues;
            return this;
        }

        /**
         * Extra consumer properties passed through as they are (SASL, SSL, timeouts...), added to those given
         * before. They may not contradict the settings above nor set {@code isolation.level} to anything but
         * {@value KafkaEventSource#ISOLATION_LEVEL}. Default: none.
         */
        public Builder properties(Properties properties) {
            ClientProperties.addAll(extra, properties);
            return this;
        }

        /** One extra consumer property, as in {@link #properties(Properties)}. */
        public Builder property(String key, String value) {
            ClientProperties.requireText(key, "key");
            extra.setProperty(key, Objects.requireNonNull(value, "value of Kafka property " + key));
            return this;
        }

        /** The consumer properties the source will be given: the extra properties plus the owned settings. */
        public Properties consumerProperties() {
            requireSet();
            Map<String, String> owned = new LinkedHashMap<>();
            owned.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            owned.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            owned.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, ISOLATION_LEVEL);
            Map<String, String> setter = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(..)",
                    ConsumerConfig.GROUP_ID_CONFIG, "groupId(..)",
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "the source, which always reads committed records only");
            return ClientProperties.merge(extra, owned, setter);
        }

        /**
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public KafkaSource<ParsedRecord> build() {
            if (expectedValues == 0) {
                throw new IllegalArgumentException("expectedValues is required (the model's input width)");
            }
            return build(new EventDeserializationSchema(new EventParser(expectedValues)));
        }

        /**
         * A source with the same settings whose records another deserializer reads (e.g. the audio topic's
         * {@code AudioDeserializationSchema}); {@link #expectedValues(int)} is not needed.
         *
         * @throws IllegalArgumentException naming the first missing or contradicting setting
         */
        public <T> KafkaSource<T> build(KafkaRecordDeserializationSchema<T> deserializer) {
            Properties props = consumerProperties();
            KafkaSourceBuilder<T> builder = KafkaSource.<T>builder()
                    .setProperties(props)
                    .setBootstrapServers(bootstrapServers)
                    .setGroupId(groupId)
                    .setTopics(topic)
                    .setStartingOffsets(offsetsInitializer(startingOffsets))
                    .setDeserializer(Objects.requireNonNull(deserializer, "deserializer"));
            if (bounded) {
                builder.setBounded(OffsetsInitializer.latest());
            }
            return builder.build();
        }

        private void requireSet() {
            if (bootstrapServers == null) {
                throw new IllegalArgumentException("bootstrapServers is required");
            }
            if (topic == null) {
                throw new IllegalArgumentException("topic is required");
            }
        }

        @SuppressWarnings("deprecation") // Flink's committedOffsets(..) still takes Kafka's deprecated enum
        static OffsetsInitializer offsetsInitializer(StartingOffsets s) {
            return switch (s) {
                case EARLIEST -> OffsetsInitializer.earliest();
                case LATEST -> OffsetsInitializer.latest();
                case COMMITTED -> OffsetsInitializer.committedOffsets(
                        org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST);
            };
        }
    }
}
