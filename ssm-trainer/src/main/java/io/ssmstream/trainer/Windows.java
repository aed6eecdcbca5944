package io.ssmstream.trainer;

import io.ssmstream.kernels.model.TimeGap;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts series into training and validation windows and packs batches of them into flat arrays.
 *
 * <p>A window feeds the model the events [start, min(start + L, end)) from a fresh state; the output at
 * event k predicts event k + 1 and counts in the loss when k ≥ scoreFrom and k + 1 &lt; end. Windows that
 * start inside a series skip their first {@code burnIn} outputs (the state is still warming up there; a
 * deployed stream's state never is); a window at the start of a series counts from its first event, as a new
 * stream does. τ for every event is its true gap to the previous event of the series (1 for the series'
 * first event), so a window's first step sees the same τ as the running stream would.
 */
public final class Windows {

    /**
     * @param series    index into the series list
     * @param start     first input event
     * @param end       events at and after end are neither inputs nor targets
     * @param scoreFrom first event whose forecast counts
     */
    public record Window(int series, int start, int end, int scoreFrom) {
        public int length(int maxLength) {
            return Math.min(maxLength, end - start);
        }
    }

    private Windows() {
    }

    /** Training windows over events [0, end) with stride L/2. */
    public static List<Window> training(int series, int end, int length, int burnIn) {
        List<Window> out = new ArrayList<>();
        int stride = Math.max(1, length / 2);
        for (int s = 0; s < end - 1; s += stride) {
            int scoreFrom = s == 0 ? 0 : s + burnIn;
            boolean newTargets = s == 0 || s - stride + length < end - 1;
            if (!newTargets || scoreFrom >= end - 1) {
                break;
            }
            out.add(new Window(series, s, end, scoreFrom));
        }
        return out;
    }

    /**
     * Evaluation windows that score every event in [scoreStart, end) exactly once, with stride L - burnIn;
     * inputs start at {@code from} (≤ scoreStart: earlier events only warm the state up).
     */
    public static List<Window> evaluation(int series, int from, int scoreStart, int end, int length, int burnIn) {
        if (burnIn < 0 || burnIn >= length || scoreStart < from || scoreStart >= from + length) {
            throw new IllegalArgumentException("need 0 <= burnIn < length and from <= scoreStart < from + length");
        }
        List<Window> out = new ArrayList<>();
        int s = from;
        int scoreFrom = scoreStart;
        while (scoreFrom < end - 1) {
            out.add(new Window(series, s, end, scoreFrom));
            scoreFrom = s + length;   // this window scored up to its last input
            s = scoreFrom - burnIn;   // the next one warms up on the last burnIn of them
        }
        return out;
    }

    /** Normalisation and time unit of the data, as they go into the model's config. */
    public record Scaling(float[] mean, float[] std, double dtUnitMs) {
    }

    /** A batch as flat float32 arrays: u, target (B, L, d), tau, mask (B, L). */
    public record Batch(int size, int length, int channels, float[] u, float[] tau, float[] target, float[] mask,
                        long events, long scored) {
    }

    /** Packs windows into one batch, L = the longest window (at most {@code maxLength}); shorter ones padded. */
    public static Batch batch(List<EventSeries> series, List<Window> windows, Scaling scaling, int maxLength) {
        int b = windows.size();
        int d = series.get(windows.get(0).series()).channels();
        int len = 1;
        for (Window w : windows) {
            len = Math.max(len, w.length(maxLength));
        }
        float[] u = new float[b * len * d];
        float[] target = new float[b * len * d];
        float[] tau = new float[b * len];
        float[] mask = new float[b * len];
        long events = 0;
        long scored = 0;
        float[] mean = scaling.mean();
        float[] std = scaling.std();
        for (int i = 0; i < b; i++) {
            Window w = windows.get(i);
            EventSeries s = series.get(w.series());
            int n = w.length(maxLength);
            events += n;
            long[] micros = s.micros();
            for (int j = 0; j < n; j++) {
                int k = w.start() + j;
                int at = i * len + j;
                tau[at] = k == 0 ? TimeGap.FIRST_EVENT : TimeGap.tau(micros[k - 1], micros[k], scaling.dtUnitMs());
                for (int c = 0; c < d; c++) {
                    // the same float arithmetic as SsmRunner
                    u[at * d + c] = (s.value(k, c) - mean[c]) / std[c];
                }
                if (k + 1 < w.end()) {
                    for (int c = 0; c < d; c++) {
                        target[at * d + c] = (s.value(k + 1, c) - mean[c]) / std[c];
                    }
                    if (k >= w.scoreFrom()) {
                        mask[at] = 1f;
                        scored++;
                    }
                }
            }
            for (int j = n; j < len; j++) {
                tau[i * len + j] = 1f;
            }
        }
        return new Batch(b, len, d, u, tau, target, mask, events, scored);
    }

    /**
     * Mean and standard deviation per channel of events [0, ends[i]) of every series (std 1 for a constant
     * channel), and the median positive gap between consecutive events in ms (1000 when there is none).
     */
    public static Scaling scaling(List<EventSeries> series, int[] ends) {
        int d = series.get(0).channels();
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        long count = 0;
        List<Long> gaps = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            EventSeries s = series.get(i);
            for (int k = 0; k < ends[i]; k++) {
                for (int c = 0; c < d; c++) {
                    double v = s.value(k, c);
                    sum[c] += v;
                    sumSq[c] += v * v;
                }
                if (k > 0 && s.micros()[k] > s.micros()[k - 1]) {
                    gaps.add(s.micros()[k] - s.micros()[k - 1]);
                }
            }
            count += ends[i];
        }
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int c = 0; c < d; c++) {
            double m = sum[c] / count;
            double var = Math.max(0, sumSq[c] / count - m * m);
            mean[c] = (float) m;
            double sd = Math.sqrt(var);
            std[c] = sd > 1e-12 * Math.max(1, Math.abs(m)) ? (float) sd : 1f;
        }
        double dtUnitMs = 1000;
        if (!gaps.isEmpty()) {
            long[] g = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
            int n = g.length;
            double medianMicros = n % 2 == 1 ? g[n / 2] : (g[n / 2 - 1] + g[n / 2]) / 2.0;
            dtUnitMs = medianMicros / 1000.0;
        }
        return new Scaling(mean, std, dtUnitMs);
    }
}
