package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReleaseOrderTest {
    private final Map<String, PendingEvents> buffers = new HashMap<>();

    private void add(ReleaseOrder order, long ts, String stream) {
        order.add(ts, stream, buffers.computeIfAbsent(stream, s -> new PendingEvents()));
    }

    /** Polls and checks that the buffer returned is the one added with the stream it names. */
    private String poll(ReleaseOrder order) {
        PendingEvents events = order.poll();
        assertSame(buffers.get(order.polledStream()), events, order.polledStream());
        return order.polledStream();
    }

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
                add(order, ts, "s" + i);
                oracle.add(new Object[] {ts, "s" + i});
            } else {
                long expectedTs = (Long) oracle.peek()[0];
                assertEquals(expectedTs, order.earliest(), "at step " + i);
                polled.add(poll(order));
                oraclePolled.add((String) oracle.poll()[1]);
            }
        }
        while (!order.isEmpty()) {
            assertEquals((long) (Long) oracle.peek()[0], order.earliest());
            polled.add(poll(order));
            oraclePolled.add((String) oracle.poll()[1]);
        }
        assertTrue(oracle.isEmpty());
        // Entries at the same time may leave in either order; the same ones leave.
        assertEquals(oraclePolled.stream().sorted().toList(), polled.stream().sorted().toList());
    }

    @Test
    void holdsOneEntryAndEmptiesAgain() {
        ReleaseOrder order = new ReleaseOrder();
        add(order, 5, "a");
        assertEquals(5, order.earliest());
        assertEquals("a", poll(order));
        assertTrue(order.isEmpty());
        add(order, 3, "b");
        add(order, 1, "c");
        assertEquals("c", poll(order));
        assertEquals("b", poll(order));
        assertTrue(order.isEmpty());
    }

    @Test
    void moreInterleavedTimeOrderedSequencesThanRunsStillLeaveInTimeOrder() {
        Random random = new Random(11);
        int sequences = 3 * ReleaseOrder.RUNS;
        long[] clocks = new long[sequences];
        ReleaseOrder order = new ReleaseOrder();
        PriorityQueue<Object[]> oracle = new PriorityQueue<>(Comparator.comparingLong(e -> (Long) e[0]));
        for (int i = 0; i < 50_000; i++) {
            if (random.nextInt(5) > 0 || order.isEmpty()) {
                int q = random.nextInt(sequences);
                clocks[q] += 1 + random.nextInt(40);
                add(order, clocks[q], "s" + i);
                oracle.add(new Object[] {clocks[q], "s" + i});
            } else {
                assertEquals((long) (Long) oracle.poll()[0], order.earliest(), "at step " + i);
                poll(order);
            }
        }
        while (!order.isEmpty()) {
            assertEquals((long) (Long) oracle.poll()[0], order.earliest());
            poll(order);
        }
        assertTrue(oracle.isEmpty());
    }
}
