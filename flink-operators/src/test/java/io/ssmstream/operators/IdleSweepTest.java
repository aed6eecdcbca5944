package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.Test;

class IdleSweepTest {
    private static final long TTL = 1000;

    private final List<String> looked = new ArrayList<>();
    private int listed;

    private SupplierWithException<List<String>, Exception> streams(int n) {
        return () -> {
            listed++;
            return IntStream.range(0, n).mapToObj(i -> "s" + i).toList();
        };
    }

    @Test
    void aSweepStartsATtlAfterTheFirstWatermarkAndLooksAtEachStreamOnceInSharesOfTheList() throws Exception {
        int n = 300_000;
        IdleSweep sweep = new IdleSweep(TTL);
        sweep.onWatermark(Long.MIN_VALUE, streams(n), looked::add);
        sweep.onWatermark(5000, streams(n), looked::add);
        sweep.onWatermark(5000 + TTL - 1, streams(n), looked::add);
        assertEquals(0, listed, "no sweep before a TTL after the first watermark");
        int watermarks = 0;
        for (long wm = 5000 + TTL; looked.size() < n; wm++) {
            sweep.onWatermark(wm, streams(n), looked::add);
            watermarks++;
            assertEquals(Math.min(n, watermarks * (n / IdleSweep.SHARES)), looked.size(), "after " + watermarks);
        }
        assertEquals(1, listed, "the list is taken once per sweep");
        assertEquals(n, looked.stream().distinct().count());
        assertEquals(IdleSweep.SHARES + 1, watermarks, "a share per watermark (and the remainder)");
        sweep.onWatermark(5000 + 2 * TTL - 1, streams(n), looked::add);
        assertEquals(1, listed, "the next sweep is a TTL after this one started");
        sweep.onWatermark(5000 + 2 * TTL, streams(n), looked::add);
        assertEquals(2, listed);
    }

    @Test
    void aFewStreamsAreSweptAtOneWatermark() throws Exception {
        IdleSweep sweep = new IdleSweep(TTL);
        sweep.onWatermark(0, streams(IdleSweep.MIN_PER_WATERMARK), looked::add);
        sweep.onWatermark(TTL, streams(IdleSweep.MIN_PER_WATERMARK), looked::add);
        assertEquals(IdleSweep.MIN_PER_WATERMARK, looked.size());
    }

    @Test
    void aStreamIsIdleWhenItsLastEventIsMoreThanATtlBehindTheWatermark() {
        IdleSweep sweep = new IdleSweep(TTL);
        assertFalse(sweep.isIdle(4000, 4000 + TTL));
        assertTrue(sweep.isIdle(3999, 4000 + TTL));
        assertFalse(sweep.isIdle(Long.MIN_VALUE, Long.MIN_VALUE + TTL - 1), "no underflow near the start of time");
    }

    @Test
    void theEndOfTimeSweepsNothingAndWatermarksNearItDoNotOverflow() throws Exception {
        IdleSweep sweep = new IdleSweep(TTL);
        sweep.onWatermark(0, streams(3), looked::add);
        sweep.onWatermark(Long.MAX_VALUE, streams(3), looked::add);
        assertEquals(0, listed, "the last watermark of a bounded input or a drain");
        sweep.onWatermark(Long.MAX_VALUE - 1, streams(3), looked::add);
        assertEquals(3, looked.size(), "a sweep was due");
        sweep.onWatermark(Long.MAX_VALUE - 1, streams(3), looked::add);
        assertEquals(1, listed, "the next one is due at the end of time (saturated), which never comes");
    }

    @Test
    void aTtlThatIsNotPositiveIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new IdleSweep(0)).getMessage()
                .contains("idle TTL must be positive"));
    }
}
