package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class PendingEventsTest {

    @Test
    void eventsAreKeptInTimeOrderWhateverTheArrivalOrder() {
        PendingEvents p = new PendingEvents();
        assertTrue(p.insert(30, new float[] {3}));
        assertTrue(p.insert(10, new float[] {1}));
        assertTrue(p.insert(40, new float[] {4}));
        assertTrue(p.insert(20, new float[] {2}));
        assertEquals(4, p.count());
        for (int i = 0; i < 4; i++) {
            assertEquals(10 * (i + 1), p.ts(i));
            assertEquals(i + 1f, p.values(i)[0]);
        }
        assertEquals(10, p.earliest());
    }

    @Test
    void buffersGrowPastTheirFirstCapacityInTimeOrder() {
        PendingEvents p = new PendingEvents();
        int n = 5 * PendingEvents.MIN_CAPACITY + 3;
        for (int i = n - 1; i >= 0; i -= 2) { // every other time, latest first
            assertTrue(p.insert(i, new float[] {i}));
        }
        for (int i = n - 2; i >= 0; i -= 2) { // then the gaps between them
            assertTrue(p.insert(i, new float[] {i}));
        }
        assertEquals(n, p.count());
        for (int i = 0; i < n; i++) {
            assertEquals(i, p.ts(i));
            assertEquals(i, p.values(i)[0]);
        }
        assertEquals(p.ts.length - n, p.unused);
    }

    @Test
    void releasedSlotsAreReusedAndHoldNoValues() {
        PendingEvents p = new PendingEvents();
        for (long t = 1; t <= 6; t++) {
            p.insert(t, new float[] {t});
        }
        int capacity = p.ts.length;
        p.removeFirst(4);
        for (int i = p.count(); i < capacity; i++) {
            assertNull(p.values[i], "slot " + i + " keeps an applied event's values alive");
        }
        for (long t = 7; t < 7 + capacity - 2; t++) {
            p.insert(t, new float[] {t});
        }
        assertEquals(capacity, p.ts.length, "filled the freed slots instead of growing");
        assertEquals(5, p.earliest());
        assertEquals(capacity, p.count());
    }

    @Test
    void aBufferSavedBeforeUnusedSlotsExistedHoldsEveryEventItHad() {
        // State written by the first version of this class: exactly sized arrays, no "unused" field, which
        // Flink's POJO schema evolution then reads as 0.
        PendingEvents p = new PendingEvents();
        p.ts = new long[] {10, 20};
        p.values = new float[][] {{1}, {2}};
        assertEquals(2, p.count());
        assertEquals(1, p.countUpTo(15));
        assertTrue(p.insert(15, new float[] {1.5f}));
        assertFalse(p.insert(20, new float[] {9}));
        assertEquals(3, p.count());
        assertEquals(15, p.ts(1));
        assertEquals(2f, p.values(2)[0]);
    }

    @Test
    void duplicateTimeIsRefusedAndTheFirstKept() {
        PendingEvents p = new PendingEvents();
        p.insert(10, new float[] {1});
        assertFalse(p.insert(10, new float[] {9}));
        assertEquals(1, p.count());
        assertEquals(1f, p.values(0)[0]);
    }

    @Test
    void watermarkReleasesEveryEventAtOrBeforeIt() {
        PendingEvents p = new PendingEvents();
        for (long t : new long[] {10, 20, 30}) {
            p.insert(t, new float[] {t});
        }
        assertEquals(0, p.countUpTo(9));
        assertEquals(1, p.countUpTo(10));
        assertEquals(2, p.countUpTo(29));
        assertEquals(3, p.countUpTo(Long.MAX_VALUE));
        p.removeFirst(2);
        assertEquals(1, p.count());
        assertEquals(30, p.earliest());
        assertEquals(30f, p.values(0)[0]);
    }

    @Test
    void flinkSerializesItAsAPojoAndReadsItBack() throws Exception {
        TypeInformation<PendingEvents> info = TypeInformation.of(PendingEvents.class);
        assertTrue(info instanceof PojoTypeInfo, "a POJO, not a generic (Kryo) type: " + info);
        TypeSerializer<PendingEvents> serializer = info.createSerializer(new SerializerConfigImpl());
        PendingEvents p = new PendingEvents();
        p.lastSeenMillis = 1234;
        p.insert(20, new float[] {2, 3});
        p.insert(10, new float[] {1, 5});
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(p, out);
        PendingEvents back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals(1234, back.lastSeenMillis);
        assertEquals(2, back.count());
        assertEquals(10, back.ts(0));
        assertEquals(20, back.ts(1));
        assertArrayEquals(p.values(0), back.values(0));
        assertArrayEquals(p.values(1), back.values(1));
    }
}
