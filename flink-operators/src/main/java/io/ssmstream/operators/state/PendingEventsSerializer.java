package io.ssmstream.operators.state;

import io.ssmstream.operators.PendingEvents;
import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a stream's {@link PendingEvents}: only the waiting events, not the buffer's spare slots.
 * It writes the waiting events into checkpoints (operator state {@code waiting-events}) and reads them from
 * keyed state {@code pending-events-v3}, where an earlier version of the job kept them.
 * Layout, version 1: {@code lastSeenMillis} (long), {@code count} (int), then per event its time (long), its
 * number of values (int) and the values (floats). A read buffer gets one spare slot, for the stream's next
 * arriving event.
 */
public final class PendingEventsSerializer extends SingletonSerializer<PendingEvents> {
    private static final long serialVersionUID = 1L;
    public static final PendingEventsSerializer INSTANCE = new PendingEventsSerializer();

    @Override
    public PendingEvents createInstance() {
        return new PendingEvents();
    }

    /** A deep copy (the heap backend copies a value that a running snapshot still reads before it changes). */
    @Override
    public PendingEvents copy(PendingEvents from) {
        int n = from.count();
        float[][] values = new float[n + 1][];
        for (int i = 0; i < n; i++) {
            values[i] = from.values(i).clone();
        }
        return PendingEvents.of(from.lastSeenMillis, Arrays.copyOf(from.ts, n + 1), values, n);
    }

    @Override
    public void serialize(PendingEvents record, DataOutputView target) throws IOException {
        int n = record.count();
        target.writeLong(record.lastSeenMillis);
        target.writeInt(n);
        for (int i = 0; i < n; i++) {
            float[] values = record.values(i);
            target.writeLong(record.ts(i));
            target.writeInt(values.length);
            for (float v : values) {
                target.writeFloat(v);
            }
        }
    }

    /** Reads the events straight into the arrays. */
    @Override
    public PendingEvents deserialize(DataInputView source) throws IOException {
        long lastSeenMillis = source.readLong();
        int n = source.readInt();
        if (n < 0) {
            throw new IOException("corrupt pending events: count " + n);
        }
        long[] ts = new long[n + 1];
        float[][] values = new float[n + 1][];
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            ts[i] = source.readLong();
            int length = source.readInt();
            if (ts[i] <= previous || length < 0) {
                throw new IOException("corrupt pending events: event " + i + " at time " + ts[i] + " after "
                        + previous + ", with " + length + " values");
            }
            values[i] = new float[length];
            for (int k = 0; k < length; k++) {
                values[i][k] = source.readFloat();
            }
            previous = ts[i];
        }
        return PendingEvents.of(lastSeenMillis, ts, values, n);
    }

    @Override
    public TypeSerializerSnapshot<PendingEvents> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Version 1 of the layout above; a later layout gets a new snapshot version that reads this one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<PendingEvents> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
