package io.ssmstream.app;

import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer of the commands that write recorded input to Kafka ({@code produce}, {@code audio-send}): sends
 * paced at a speed-up of the input's own clock, and counts the sends the broker refused instead of stopping at
 * the first, so that the command reports how many records were lost.
 *
 * <p>Why these producer settings: {@code acks=all} and idempotence so that a record reported sent is written
 * once; a 5 ms linger batches fast replays. They are set over the user's {@code --kafka-property} settings.
 */
final class PacedSender implements AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final double speedup;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();

    /**
     * Paces from now on, without checking the connection ({@link #connect} does): a producer that cannot reach
     * Kafka counts its sends as failed.
     *
     * @param speedup 0 to send as fast as possible, otherwise how many times faster than the input's clock
     */
    PacedSender(KafkaOptions kafka, double speedup) {
        this.speedup = requireSpeedup(speedup);
        Properties props = kafka.clientProperties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Checks that Kafka accepts the client settings ({@link KafkaOptions#verifyConnection()}), then paces. */
    static PacedSender connect(KafkaOptions kafka, double speedup) {
        requireSpeedup(speedup);
        kafka.verifyConnection();
        return new PacedSender(kafka, speedup);
    }

    /**
     * @return {@code speedup}
     * @throws UserException naming {@code --speedup} when it is negative or not finite
     */
    static double requireSpeedup(double speedup) {
        if (speedup < 0 || !Double.isFinite(speedup)) {
            throw new UserException("--speedup must be 0 (as fast as possible) or positive, got " + speedup);
        }
        return speedup;
    }

    /**
     * Waits until the record is due, then sends it without waiting for the broker.
     *
     * @param inputMicros the record's time on the input's clock, counted from the first record's
     */
    void send(long inputMicros, ProducerRecord<byte[], byte[]> record) throws InterruptedException {
        if (speedup > 0) {
            long wait = (long) (inputMicros * 1000 / speedup) - (System.nanoTime() - startNanos);
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, error);
            }
        });
    }

    /** Waits until every record sent so far is acknowledged or refused. */
    void flush() {
        producer.flush();
    }

    /** Sends refused so far; after {@link #flush()}, of all sends. */
    long failures() {
        return failures.get();
    }

    /** The first refusal's error, or null. */
    Exception firstFailure() {
        return firstFailure.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
