package io.ssmstream.connectors.kafka;

import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ParsedRecord;
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
 * properties (they may not set {@code isolation.level} to anything but {@value #ISOLATION_LEVEL}). Required:
 * bootstrap servers, the input topic, expected values (the model's input width).
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
    public static final class Builder extends KafkaConsumerBuilder<Builder> {
        private StartingOffsets startingOffsets = StartingOffsets.EARLIEST;
        private boolean bounded;
        private int expectedValues;

        private Builder() {
            super(DEFAULT_GROUP_ID);
        }

        @Override
        Builder self() {
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

        /** The servers, the group and {@code isolation.level} {@value KafkaEventSource#ISOLATION_LEVEL}. */
        @Override
        public Properties consumerProperties() {
            return consumerProperties(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, ISOLATION_LEVEL),
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "the source, which always reads committed records only"));
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
            KafkaSourceBuilder<T> builder = sourceBuilder(offsetsInitializer(startingOffsets), deserializer);
            if (bounded) {
                builder.setBounded(OffsetsInitializer.latest());
            }
            return builder.build();
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
