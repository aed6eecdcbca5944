package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReleaseOrderTest {

    @Test
    void pollsInTheOrderOfJavasPriorityQueueWhateverTheOrderOfAdding() {
        Random random = new Random(7);
        ReleaseOrder order = new ReleaseOrder();
        PriorityQueue<Object[]> oracle = new PriorityQueue<>(Comparator.comparingLong(e -> (Long) e[0]));
        List<String> polled = new ArrayList<>();
        List<String> oraclePolled = new ArrayList<>();
        long clock = 0;
        for (int i = 0; i < 20_000; i++) {
            if (random.nextInt(3) > 0 || order.isEmpty()) {
                // Mostly in time order, some out of order, some at a time already held.
                clock += random.nextInt(4);
                long ts = random.nextInt(5) == 0 ? clock - random.nextInt(50) : clock;
                order.add(ts, "s" + i);
                oracle.add(new Object[] {ts, "s" + i});
            } else {
                long expectedTs = (Long) oracle.peek()[0];
                assertEquals(expectedTs, order.earliest(), "at step " + i);
                polled.add(order.poll());
                oraclePolled.add((String) oracle.poll()[1]);
            }
        }
        while (!order.isEmpty()) {
            assertEquals((long) (Long) oracle.peek()[0], order.earliest());
            polled.add(order.poll());
            oraclePolled.add((String) oracle.poll()[1]);
        }
        assertTrue(oracle.isEmpty());
        // Entries at the same time may leave in either order; the same ones leave.
        assertEquals(oraclePolled.stream().sorted().toList(), polled.stream().sorted().toList());
    }

    @Test
    void holdsOneEntryAndEmptiesAgain() {
        ReleaseOrder order = new ReleaseOrder();
        order.add(5, "a");
        assertEquals(5, order.earliest());
        assertEquals("a", order.poll());
        assertTrue(order.isEmpty());
        order.add(3, "b");
        order.add(1, "c");
        assertEquals("c", order.poll());
        assertEquals("b", order.poll());
        assertTrue(order.isEmpty());
    }
}
