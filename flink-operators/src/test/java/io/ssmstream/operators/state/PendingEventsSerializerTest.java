package io.ssmstream.operators.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.operators.PendingEvents;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PendingEventsSerializerTest {
    private static final PendingEventsSerializer SERIALIZER = PendingEventsSerializer.INSTANCE;

    private static PendingEvents threeEvents() {
        PendingEvents p = new PendingEvents();
        p.lastSeenMillis = 1234;
        p.insert(30, new float[] {3, 33});
        p.insert(10, new float[] {1, 11});
        p.insert(20, new float[] {2, 22});
        return p;
    }

    private static byte[] bytes(PendingEvents p) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(p, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void readsBackTheWaitingEventsInTimeOrder() throws Exception {
        PendingEvents back = SERIALIZER.deserialize(new DataInputDeserializer(bytes(threeEvents())));
        assertEquals(1234, back.lastSeenMillis);
        assertEquals(3, back.count());
        for (int i = 0; i < 3; i++) {
            assertEquals(10 * (i + 1), back.ts(i));
            assertArrayEquals(new float[] {i + 1, 11 * (i + 1)}, back.values(i));
        }
    }

    @Test
    void writesTheEventsButNotTheSpareSlots() throws Exception {
        PendingEvents p = threeEvents();
        assertTrue(p.unused > 0, "the buffer has spare slots: " + p.unused);
        int eventBytes = Long.BYTES + Integer.BYTES + 2 * Float.BYTES;
        assertEquals(Long.BYTES + Integer.BYTES + 3 * eventBytes, bytes(p).length);
    }

    @Test
    void aReadBufferTakesTheNextEventWithoutGrowing() throws Exception {
        PendingEvents back = SERIALIZER.deserialize(new DataInputDeserializer(bytes(threeEvents())));
        int capacity = back.ts.length;
        assertTrue(back.insert(40, new float[] {4, 44}));
        assertEquals(capacity, back.ts.length);
    }

    @Test
    void copyIsDeep() {
        PendingEvents p = threeEvents();
        PendingEvents copy = SERIALIZER.copy(p);
        assertNotSame(p.values(0), copy.values(0));
        copy.insert(40, new float[] {4, 44});
        copy.values(0)[0] = -1;
        assertEquals(3, p.count());
        assertEquals(1f, p.values(0)[0]);
        assertEquals(1234, copy.lastSeenMillis);
    }

    @Test
    void corruptCountIsAClearError() {
        DataOutputSerializer out = new DataOutputSerializer(16);
        assertThrows(IOException.class, () -> {
            out.writeLong(0);
            out.writeInt(-5);
            SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        });
    }

    @Test
    void eventsOutOfTimeOrderAreAClearError() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(0);
        out.writeInt(2);
        for (long ts : new long[] {20, 10}) {
            out.writeLong(ts);
            out.writeInt(1);
            out.writeFloat(1f);
        }
        IOException e = assertThrows(IOException.class,
                () -> SERIALIZER.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        assertTrue(e.getMessage().contains("event 1 at time 10 after 20"), e.getMessage());
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, SERIALIZER.snapshotConfiguration());
        TypeSerializerSnapshot<PendingEvents> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<PendingEvents> compatibility =
                SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAsIs(), compatibility.toString());
        assertEquals(SERIALIZER, restored.restoreSerializer());
    }
}
