package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

    private static EventSeries series(int n, long gapMicros) {
        long[] micros = new long[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            micros[i] = 1_000_000_000L + i * gapMicros + (i % 3 == 0 ? 0 : gapMicros / 4);
            values[i] = i;
        }
        return new EventSeries("s.csv", List.of("v"), micros, values);
    }

    /** How often each target event k + 1 is scored by the windows. */
    private static int[] scoredTargets(List<Windows.Window> windows, int n, int length) {
        int[] count = new int[n];
        for (Windows.Window w : windows) {
            for (int k = w.start(); k < w.start() + w.length(length); k++) {
                if (k >= w.scoreFrom() && k + 1 < w.end()) {
                    count[k + 1]++;
                }
            }
        }
        return count;
    }

    @Test
    void trainingWindowsOverlapByHalfAndScoreEveryTargetBeforeTheEnd() {
        int n = 1000;
        List<Windows.Window> w = Windows.training(0, n, 256, 16);
        assertEquals(0, w.get(0).start());
        assertEquals(0, w.get(0).scoreFrom(), "a window at the series start is a new stream: no burn-in");
        assertEquals(128, w.get(1).start());
        assertEquals(128 + 16, w.get(1).scoreFrom());
        int[] count = scoredTargets(w, n, 256);
        assertEquals(0, count[0]);
        for (int k = 1; k < n; k++) {
            assertTrue(count[k] >= 1 && count[k] <= 2, "target " + k + " scored " + count[k] + " times");
        }
        Windows.Window last = w.get(w.size() - 1);
        assertTrue(last.start() + 256 - 128 < n - 1, "the last window adds targets");
    }

    @Test
    void evaluationWindowsScoreEachEventExactlyOnceAfterAWarmUp() {
        int n = 900;
        int split = 700;
        List<Windows.Window> w = Windows.evaluation(0, split - 1 - 16, split - 1, n, 64, 16);
        int[] count = scoredTargets(w, n, 64);
        for (int k = 0; k < n; k++) {
            assertEquals(k >= split ? 1 : 0, count[k], "event " + k);
        }
        assertEquals(split - 1 - 16, w.get(0).start());
    }

    @Test
    void batchUsesTheTrueGapAtAWindowsFirstStepAndOneOnlyForTheSeriesFirstEvent() {
        EventSeries s = series(100, 2_000_000);
        Windows.Scaling sc = new Windows.Scaling(new float[] {10}, new float[] {4}, 1000);
        List<Windows.Window> w = List.of(new Windows.Window(0, 0, 100, 0), new Windows.Window(0, 40, 100, 45));
        Windows.Batch b = Windows.batch(List.of(s), w, sc, 32);
        assertEquals(32, b.length());
        assertEquals(1f, b.tau()[0], "the series' first event");
        float gap40 = (s.micros()[40] - s.micros()[39]) / 1000f / 1000f;
        assertEquals(gap40, b.tau()[32], 1e-6, "window 2 starts at event 40: its gap to event 39");
        assertTrue(Math.abs(gap40 - 1f) > 0.1f);
        assertEquals((0 - 10f) / 4f, b.u()[0], 0f);
        assertEquals((41 - 10f) / 4f, b.target()[32], 0f, "the target of event 40 is event 41");
        assertEquals(1f, b.mask()[0]);
        assertEquals(0f, b.mask()[32 + 4], "burn-in of window 2");
        assertEquals(1f, b.mask()[32 + 5]);
        assertEquals(32 + 27, b.scored());
    }

    @Test
    void lastEventOfARangeIsNeverScoredAndShortWindowsArePadded() {
        EventSeries s = series(10, 1000);
        Windows.Batch b = Windows.batch(List.of(s), List.of(new Windows.Window(0, 0, 10, 0)),
                new Windows.Scaling(new float[] {0}, new float[] {1}, 1), 64);
        assertEquals(10, b.length(), "the batch is as long as its longest window");
        assertEquals(9, b.scored());
        assertEquals(0f, b.mask()[9]);
    }

    @Test
    void scalingTakesMeanStdAndMedianGapFromTheTrainingRangeOnly() {
        long[] micros = {0, 1000, 3000, 6000, 7000, 100_000_000};
        float[] values = {1, 2, 3, 4, 5, 1000};
        EventSeries s = new EventSeries("s", List.of("v"), micros, values);
        Windows.Scaling sc = Windows.scaling(List.of(s), new int[] {5});
        assertArrayEquals(new float[] {3f}, sc.mean());
        assertEquals((float) Math.sqrt(2.0), sc.std()[0], 1e-6);
        assertEquals(1.5, sc.dtUnitMs(), 1e-12, "median of 1, 2, 3, 1 ms");
    }

    @Test
    void constantChannelGetsUnitStd() {
        EventSeries s = new EventSeries("s", List.of("a", "b"), new long[] {0, 1000, 2000},
                new float[] {5, 1, 5, 2, 5, 3});
        Windows.Scaling sc = Windows.scaling(List.of(s), new int[] {3});
        assertEquals(1f, sc.std()[0]);
        assertEquals(5f, sc.mean()[0]);
    }
}
