package io.ssmstream.operators;

import java.util.List;
import org.apache.flink.util.function.SupplierWithException;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * When to look for idle streams, and which: one sweep over the subtask's streams per idle TTL of event time.
 * When the watermark passes the next sweep's time, the sweep takes the list of streams with state and hands
 * them out a share at each watermark ({@link #SHARES} watermarks for a whole sweep, at least
 * {@link #MIN_PER_WATERMARK} streams each), so that a million streams are not read in one go (on the heap
 * backend, a state read while a checkpoint is written copies it).
 *
 * <p>Why not a processing-time timer per stream: a million timers are a million heap objects and a million
 * keys in every checkpoint, and the timer needed a second keyed state (the stream's last event time when it
 * was set) to tell an idle stream from an active one; the two were about a third of the checkpoint thread's
 * time at a million streams (JFR, pipeline benchmark). The sweep keeps nothing per stream and nothing in
 * checkpoints: after a restore the first sweep is a TTL after the first watermark.
 *
 * <p>Event time, not processing time: a replay of old data expires the streams that went quiet as the live job
 * would have, whatever the replay's speed: a stream whose events are never more than a TTL apart is never
 * dropped, one silent for two TTLs and the sweep's length always is; in between it depends on where the sweep
 * stands when the stream's next event arrives. That decides only when the memory is freed: a stream back more
 * than a TTL after its last event starts over whether or not its state was dropped
 * ({@link SsmForecastFunction}).
 */
final class IdleSweep {
    /** A sweep is spread over this many watermarks. */
    static final int SHARES = 64;
    static final int MIN_PER_WATERMARK = 1024;

    private final long ttlMillis;
    private long nextSweep = Long.MIN_VALUE; // event time (ms); MIN_VALUE: no watermark seen yet
    private List<String> sweeping; // the sweep under way, or null
    private int next;              // index in sweeping of the next stream to look at
    private int perWatermark;

    /** @param ttlMillis the idle TTL, positive */
    IdleSweep(long ttlMillis) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("idle TTL must be positive, got " + ttlMillis + " ms");
        }
        this.ttlMillis = ttlMillis;
    }

    /**
     * At each watermark: starts a sweep when the watermark passes the next sweep's time (the first one a TTL
     * after the first watermark) and looks at the sweep's next share of streams. The end of time (the last
     * watermark of a bounded input, or of a job stopped with {@code --drain}) sweeps nothing: every stream would
     * look idle, and a savepoint taken then would lose them all.
     *
     * @param streams the subtask's streams with state
     * @param look    looks at one stream (and drops it if idle)
     */
    void onWatermark(long watermark, SupplierWithException<List<String>, Exception> streams,
                     ThrowingConsumer<String, Exception> look) throws Exception {
        if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE) {
            return;
        }
        if (sweeping == null) {
            if (nextSweep == Long.MIN_VALUE) {
                nextSweep = aTtlAfter(watermark);
                return;
            }
            if (watermark < nextSweep) {
                return;
            }
            sweeping = streams.get();
            next = 0;
            perWatermark = Math.max(MIN_PER_WATERMARK, sweeping.size() / SHARES);
            nextSweep = aTtlAfter(watermark);
        }
        int end = Math.min(sweeping.size(), next + perWatermark);
        for (; next < end; next++) {
            look.accept(sweeping.get(next));
        }
        if (next == sweeping.size()) {
            sweeping = null;
        }
    }

    /**
     * Whether a stream whose last event was at {@code lastEventMillis} is idle at {@code time} (a watermark, or
     * the stream's next event): more than a TTL before it.
     */
    boolean isIdle(long lastEventMillis, long time) {
        return time >= Long.MIN_VALUE + ttlMillis && lastEventMillis < time - ttlMillis;
    }

    private long aTtlAfter(long time) {
        return time > Long.MAX_VALUE - ttlMillis ? Long.MAX_VALUE : time + ttlMillis;
    }
}
