package io.ssmstream.operators;

import io.ssmstream.operators.state.PendingEventsSerializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.runtime.TupleSerializer;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The events of one subtask's streams that wait for the watermark, in memory, by stream; checkpointed into
 * operator state.
 *
 * <p>Why not keyed state: a waiting event is written once and read once, within the watermark's delay; in keyed
 * state every arriving event read its stream's whole buffer back and wrote it again (on RocksDB a get and a put
 * of all waiting events per event, a quarter of the task thread in the pipeline benchmark; on the heap two
 * lookups among a million streams' entries). Here an arriving event costs a lookup among the streams that have
 * events waiting, which are few: those seen within the watermark's delay.
 *
 * <p>Release: {@link #nextReleased} hands out the streams a watermark passes, earliest first, from a heap of each
 * stream's earliest waiting event ({@link ReleaseOrder}) that the operator drains before the watermark moves on;
 * no Flink timer is set per stream.
 *
 * <p>Checkpoints: {@link #snapshot} writes every waiting event into a union list state ({@link #STATE}); a
 * restored subtask reads all of it and keeps the streams of its own key groups, so the waiting events follow
 * their streams' keyed state when the job is rescaled. This state is as large as the events the
 * watermark holds back (input rate times the out-of-orderness), read by every subtask on restore.
 */
final class WaitingStreams {
    /** Operator (union list) state of the waiting events: one element per stream with events waiting. */
    static final String STATE = "waiting-events";

    private final Map<String, PendingEvents> byStream = new HashMap<>();
    /** Each stream's earliest waiting event, and entries it left behind that {@link #nextReleased} skips. */
    private final ReleaseOrder releaseOrder = new ReleaseOrder();
    private final ListState<Tuple2<String, PendingEvents>> checkpointed; // (streams with events waiting)

    private WaitingStreams(ListState<Tuple2<String, PendingEvents>> checkpointed) {
        this.checkpointed = checkpointed;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static ListStateDescriptor<Tuple2<String, PendingEvents>> descriptor() {
        TypeSerializer<Tuple2<String, PendingEvents>> serializer = new TupleSerializer<>((Class) Tuple2.class,
                new TypeSerializer[] {StringSerializer.INSTANCE, PendingEventsSerializer.INSTANCE});
        return new ListStateDescriptor<>(STATE, serializer);
    }

    /**
     * The waiting events checkpointed in {@code store}, those of the streams in {@code task}'s key groups (the
     * others belong to other subtasks after a rescale); none when the job starts afresh.
     */
    static WaitingStreams restore(OperatorStateStore store, TaskInfo task) throws Exception {
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        KeyGroupRange keyGroups = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(maxParallelism,
                task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        WaitingStreams waiting = new WaitingStreams(store.getUnionListState(descriptor()));
        for (Tuple2<String, PendingEvents> stream : waiting.checkpointed.get()) {
            if (keyGroups.contains(KeyGroupRangeAssignment.assignToKeyGroup(stream.f0, maxParallelism))) {
                waiting.adopt(stream.f0, stream.f1);
            }
        }
        return waiting;
    }

    /** Writes every waiting event into the union list state ({@link #STATE}) of the checkpoint being taken. */
    void snapshot() throws Exception {
        List<Tuple2<String, PendingEvents>> streams = new ArrayList<>(byStream.size());
        byStream.forEach((stream, events) -> streams.add(Tuple2.of(stream, events)));
        checkpointed.update(streams);
    }

    /**
     * Adds an arriving event of {@code stream}, in time order.
     *
     * @return false, dropping the event, when an event of the stream with this time already waits (a duplicate)
     */
    boolean insert(String stream, long ts, float[] values) {
        PendingEvents events = byStream.computeIfAbsent(stream, s -> new PendingEvents());
        if (!events.insert(ts, values)) {
            return false;
        }
        if (events.earliest() == ts) {
            releaseOrder.add(ts, stream, events);
        }
        return true;
    }

    /**
     * The waiting events of the next stream with events at or before {@code watermark}, earliest first, or null
     * when none is left; {@link #releasedStream} names the stream. Its caller applies those the watermark passes
     * and reports it with {@link #applied}.
     */
    PendingEvents nextReleased(long watermark) {
        while (!releaseOrder.isEmpty() && releaseOrder.earliest() <= watermark) {
            PendingEvents events = releaseOrder.poll();
            // Otherwise an entry left behind: the events it stood for were applied with an earlier entry's (a
            // buffer emptied is out of byStream: a later event of its stream starts a new one).
            if (events.count() > 0 && events.earliest() <= watermark) {
                return events;
            }
        }
        return null;
    }

    /** The stream of the events {@link #nextReleased} returned last. */
    String releasedStream() {
        return releaseOrder.polledStream();
    }

    /** Drops the stream's {@code count} earliest waiting events, which were applied. */
    void applied(String stream, PendingEvents events, int count) {
        events.removeFirst(count);
        if (events.count() == 0) {
            byStream.remove(stream);
        } else {
            releaseOrder.add(events.earliest(), stream, events);
        }
    }

    /**
     * Takes over waiting events kept elsewhere (a checkpoint, an earlier version's state); an event with the
     * time of one already waiting for the stream is dropped (the one already here arrived first).
     */
    void adopt(String stream, PendingEvents events) {
        if (events.count() == 0) {
            return;
        }
        PendingEvents here = byStream.get(stream);
        if (here == null) {
            byStream.put(stream, events);
            releaseOrder.add(events.earliest(), stream, events);
            return;
        }
        long earliest = here.earliest();
        for (int i = 0; i < events.count(); i++) {
            here.insert(events.ts(i), events.values(i));
        }
        if (here.earliest() < earliest) {
            releaseOrder.add(here.earliest(), stream, here);
        }
    }
}
