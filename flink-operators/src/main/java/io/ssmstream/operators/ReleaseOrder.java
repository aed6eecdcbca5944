package io.ssmstream.operators;

/**
 * Streams by the time of an event they have waiting, earliest first: what the watermark releases next. An entry
 * holds the stream's buffer of waiting events as well as its id, so that releasing a stream among a million
 * needs no lookup by id (a hash map's node and the id's bytes, cold after the watermark's delay, were a tenth of
 * the forecaster's thread).
 *
 * <p>Time-ordered runs first, a heap for the rest: a subtask's events arrive as a merge of a few time-ordered
 * sequences (each Kafka partition's, in the usual case of producers that write in time order), so most entries
 * extend one of up to {@value #RUNS} runs in time order (patience sorting: the run whose last time is the
 * latest not after the entry's, or an empty run) and later leave from its front, touching only the run's two
 * ends. Entries that fit no run go to a 4-ary heap ({@link ReleaseHeap}), whose removals walk down about ten
 * levels of memory at a million streams: with a heap alone they were 6% of the forecaster's thread there.
 *
 * <p>Why not an event-time timer per stream: Flink's timer service keeps each timer as an object in a heap per
 * key group plus a hash set that removes duplicates, and a stream among a million is released about once per
 * event; the timers were a sixth of the forecaster's thread there. Here an entry is three array slots, and a
 * stream may appear more than once (its owner, {@link WaitingStreams}, skips the entries whose events were
 * applied already), which keeps adding an entry free of any lookup.
 */
final class ReleaseOrder {
    static final int RUNS = 8;

    private final ReleaseRun[] runs = new ReleaseRun[RUNS];
    private final ReleaseHeap heap = new ReleaseHeap();
    private int size;
    private String polledStream;

    ReleaseOrder() {
        for (int r = 0; r < RUNS; r++) {
            runs[r] = new ReleaseRun();
        }
    }

    /** Adds {@code stream}, whose waiting events are in {@code events}, at time {@code eventTs}. */
    void add(long eventTs, String stream, PendingEvents events) {
        int fit = -1;
        long fitLatest = 0;
        int empty = -1;
        for (int r = 0; r < RUNS; r++) {
            ReleaseRun run = runs[r];
            if (run.isEmpty()) {
                empty = empty < 0 ? r : empty;
                continue;
            }
            long latest = run.latest();
            if (latest <= eventTs && (fit < 0 || latest > fitLatest)) {
                fit = r;
                fitLatest = latest;
            }
        }
        if (fit >= 0) {
            runs[fit].add(eventTs, stream, events);
        } else if (empty >= 0) {
            runs[empty].add(eventTs, stream, events);
        } else {
            heap.add(eventTs, stream, events);
        }
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest time held; only when not {@link #isEmpty()}. */
    long earliest() {
        int from = earliestRun();
        return from < 0 ? heap.earliest() : runs[from].earliest();
    }

    /**
     * Removes the entry at the earliest time and returns its buffer (as it is now: the events may have been
     * applied since the entry was added); only when not {@link #isEmpty()}. {@link #polledStream} names its
     * stream.
     */
    PendingEvents poll() {
        int from = earliestRun();
        PendingEvents first;
        if (from < 0) {
            first = heap.poll();
            polledStream = heap.polledStream();
        } else {
            first = runs[from].poll();
            polledStream = runs[from].polledStream();
        }
        size--;
        return first;
    }

    /** The stream of the entry {@link #poll} returned last. */
    String polledStream() {
        return polledStream;
    }

    /** The run whose front is the earliest entry held, or -1 when that is the heap's root. */
    private int earliestRun() {
        int best = -1;
        boolean found = !heap.isEmpty();
        long bestTs = found ? heap.earliest() : 0;
        for (int r = 0; r < RUNS; r++) {
            if (!runs[r].isEmpty() && (!found || runs[r].earliest() < bestTs)) {
                best = r;
                bestTs = runs[r].earliest();
                found = true;
            }
        }
        return best;
    }
}
