package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertArrayEquals(new long[] {10, 20, 30, 40}, p.ts);
        for (int i = 0; i < 4; i++) {
            assertEquals(i + 1f, p.values[i][0]);
        }
        assertEquals(10, p.earliest());
    }

    @Test
    void duplicateTimeIsRefusedAndTheFirstKept() {
        PendingEvents p = new PendingEvents();
        p.insert(10, new float[] {1});
        assertFalse(p.insert(10, new float[] {9}));
        assertEquals(1, p.count());
        assertEquals(1f, p.values[0][0]);
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
        assertArrayEquals(new long[] {30}, p.ts);
        assertEquals(30f, p.values[0][0]);
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
        assertArrayEquals(p.ts, back.ts);
        assertArrayEquals(p.values[0], back.values[0]);
        assertArrayEquals(p.values[1], back.values[1]);
    }
}
