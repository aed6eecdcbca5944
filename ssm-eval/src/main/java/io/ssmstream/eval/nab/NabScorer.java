package io.ssmstream.eval.nab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * NAB's scoring rules (the NAB paper and {@code nab/sweeper.py}), written here from
 * {@code ../shared/data/README.md}.
 *
 * <p>Glossary: N rows of a file; the probationary period, the first min(⌊0.15 N⌋, 750) rows, is not scored. A
 * window [l, r] (row indices, inclusive) has width w = r - l + 1. The scaled sigmoid σ(y) = 2 / (1 + e^{5y}) - 1,
 * and -1 for y > 3.
 * <ul>
 *   <li>A detection at row i inside a window is worth tp · σ(y) / σ(-1), y = -(r - i + 1) / w (-1 at the left
 *       edge, -1/w at the right edge); a window counts only its best (earliest) detection.</li>
 *   <li>A detection outside every window costs fp · σ(y), y = |i - r'| / (w' - 1) for the previous window
 *       [l', r'] of width w' (a detection just after a window costs little, one far after it the full fp);
 *       fp · (-1) when no window precedes it.</li>
 *   <li>A window without a detection costs -fn.</li>
 * </ul>
 * A row with score ≥ threshold is a detection. The threshold is one per detector and profile for the whole
 * corpus, the one with the best summed score (ties: the highest). Normalised score
 * 100 · (S - S_null) / (S_perfect - S_null), S_null the detector that never fires, S_perfect one detection at
 * each window's left edge.
 */
public final class NabScorer {
    /** NAB's first threshold, above every score in [0, 1]: no detection at all. */
    public static final double NEVER = 1.1;
    static final int OUTSIDE = -1;
    static final int PROBATIONARY = -2;
    private static final double MAX_TP = scaledSigmoid(-1);

    private NabScorer() {
    }

    /** Rows of a file of {@code rows} rows that are not scored: min(⌊0.15 N⌋, 750). */
    public static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    /** σ(y) = 2 / (1 + e^{5y}) - 1 for y ≤ 3, else -1. */
    public static double scaledSigmoid(double y) {
        return y > 3 ? -1 : 2 / (1 + Math.exp(5 * y)) - 1;
    }

    /**
     * One file prepared for scoring.
     *
     * @param file        NAB's name of the file
     * @param scores      anomaly score per row, (N)
     * @param unweighted  per row: σ(y)/σ(-1) inside a window, σ(y) or -1 outside (before the profile's weight), (N)
     * @param window      per row: the window index in this file, {@link #OUTSIDE} or {@link #PROBATIONARY}, (N)
     * @param windowLeft  first row of each window, (windows)
     */
    public record Sweep(String file, double[] scores, double[] unweighted, int[] window, int[] windowLeft) {
        /** Windows with at least one scored row: the ones that can be missed. */
        public int scoredWindows() {
            return (int) Arrays.stream(window).filter(w -> w >= 0).distinct().count();
        }
    }

    /**
     * @param micros  row times, epoch µs, in row order (not decreasing)
     * @param scores  anomaly score per row, in [0, 1]
     * @param windows the file's windows in time order; those without rows (past a truncated file's end) are
     *                left out
     */
    public static Sweep sweep(String file, long[] micros, double[] scores, List<NabWindows.Window> windows) {
        int n = micros.length;
        if (scores.length != n) {
            throw new IllegalArgumentException(file + ": " + n + " timestamps but " + scores.length + " scores");
        }
        for (int i = 0; i < n; i++) {
            if (!(scores[i] >= 0 && scores[i] <= 1)) {
                throw new IllegalArgumentException(file + ": row " + i + " has score " + scores[i]
                        + ", outside [0, 1]");
            }
        }
        // windows that hold no rows (past the end of a truncated file) are left out
        List<int[]> rowsOf = new ArrayList<>();
        for (NabWindows.Window w : windows) {
            int l = firstAtOrAfter(micros, w.startMicros());
            int r = lastAtOrBefore(micros, w.endMicros());
            if (l > r) {
                continue;
            }
            if (!rowsOf.isEmpty() && l <= rowsOf.get(rowsOf.size() - 1)[1]) {
                throw new IllegalArgumentException(file + ": window " + w + " overlaps the previous one");
            }
            rowsOf.add(new int[] {l, r});
        }
        int[] left = rowsOf.stream().mapToInt(lr -> lr[0]).toArray();
        int[] right = rowsOf.stream().mapToInt(lr -> lr[1]).toArray();
        int probation = probationaryLength(n);
        double[] unweighted = new double[n];
        int[] window = new int[n];
        int next = 0;        // next window to enter
        int current = -1;    // window the row is in
        int prevRight = -1;  // right edge of the last window left behind
        int prevWidth = 0;
        for (int i = 0; i < n; i++) {
            if (current < 0 && next < left.length && i == left[next]) {
                current = next++;
            }
            if (current >= 0) {
                double width = right[current] - left[current] + 1;
                unweighted[i] = scaledSigmoid(-(right[current] - i + 1) / width) / MAX_TP;
            } else if (prevRight < 0) {
                unweighted[i] = -1;
            } else {
                // a one-row window has no width to scale by: any detection after it is a full false positive
                double y = prevWidth > 1 ? Math.abs(i - prevRight) / (double) (prevWidth - 1) : Double.POSITIVE_INFINITY;
                unweighted[i] = scaledSigmoid(y);
            }
            window[i] = i < probation ? PROBATIONARY : current >= 0 ? current : OUTSIDE;
            if (current >= 0 && i == right[current]) {
                prevRight = i;
                prevWidth = right[current] - left[current] + 1;
                current = -1;
            }
        }
        return new Sweep(file, scores.clone(), unweighted, window, left);
    }

    /** Whether a row lies inside a window (also in the probationary period): only there is a detection worth > 0. */
    public static boolean inWindow(Sweep s, int row) {
        return s.unweighted()[row] > 0;
    }

    /** The raw score of one file at a threshold. */
    public static double score(Sweep s, NabProfile p, double threshold) {
        double total = 0;
        double[] best = new double[s.windowLeft().length];
        Arrays.fill(best, Double.NaN);
        for (int i = 0; i < s.scores().length; i++) {
            int w = s.window()[i];
            if (w == PROBATIONARY) {
                continue;
            }
            if (w >= 0 && Double.isNaN(best[w])) {
                best[w] = -p.fnWeight();
            }
            if (s.scores()[i] >= threshold) {
                if (w == OUTSIDE) {
                    total += s.unweighted()[i] * p.fpWeight();
                } else {
                    best[w] = Math.max(best[w], s.unweighted()[i] * p.tpWeight());
                }
            }
        }
        for (double b : best) {
            total += Double.isNaN(b) ? 0 : b;
        }
        return total;
    }

    /** The threshold with the best summed score over all files, and that score. */
    public record Optimum(double threshold, double score) {
    }

    /** NAB's sweep over every distinct score of the corpus, from the highest down. */
    public static Optimum optimize(List<Sweep> corpus, NabProfile p) {
        List<double[]> rows = new ArrayList<>(); // {score, weighted value, global window or -1}
        int windows = 0;
        double total = 0;
        List<Double> bestInWindow = new ArrayList<>();
        for (Sweep s : corpus) {
            boolean[] counted = new boolean[s.windowLeft().length];
            for (int i = 0; i < s.scores().length; i++) {
                int w = s.window()[i];
                if (w == PROBATIONARY) {
                    continue;
                }
                if (w >= 0 && !counted[w]) {
                    counted[w] = true;
                    total -= p.fnWeight();
                }
                double weighted = s.unweighted()[i] * (w == OUTSIDE ? p.fpWeight() : p.tpWeight());
                rows.add(new double[] {s.scores()[i], weighted, w == OUTSIDE ? -1 : windows + w});
            }
            windows += s.windowLeft().length;
        }
        double[] best = new double[windows];
        Arrays.fill(best, -p.fnWeight());
        rows.sort(Comparator.comparingDouble((double[] r) -> r[0]).reversed());
        Optimum optimum = new Optimum(NEVER, total);
        double threshold = NEVER;
        for (double[] r : rows) {
            if (r[0] != threshold) {
                if (total > optimum.score()) {
                    optimum = new Optimum(threshold, total);
                }
                threshold = r[0];
            }
            int g = (int) r[2];
            if (g < 0) {
                total += r[1];
            } else if (r[1] > best[g]) {
                total += r[1] - best[g];
                best[g] = r[1];
            }
        }
        return total > optimum.score() ? new Optimum(threshold, total) : optimum;
    }

    /** A detector's corpus result under one profile. */
    public record Result(NabProfile profile, double threshold, double raw, double nullRaw, double perfectRaw) {
        public double normalized() {
            return 100 * (raw - nullRaw) / (perfectRaw - nullRaw);
        }
    }

    /** Optimised threshold, raw score and the null and perfect detectors' scores on the same files. */
    public static Result evaluate(List<Sweep> corpus, NabProfile p) {
        Optimum o = optimize(corpus, p);
        double nullRaw = 0;
        double perfectRaw = 0;
        for (Sweep s : corpus) {
            nullRaw += score(s, p, NEVER);
            perfectRaw += score(perfect(s), p, 1);
        }
        return new Result(p, o.threshold(), o.score(), nullRaw, perfectRaw);
    }

    /** The perfect detector on the same rows: one detection, score 1, at each window's left edge. */
    static Sweep perfect(Sweep s) {
        double[] scores = new double[s.scores().length];
        for (int l : s.windowLeft()) {
            scores[l] = 1;
        }
        return new Sweep(s.file(), scores, s.unweighted(), s.window(), s.windowLeft());
    }

    private static int firstAtOrAfter(long[] micros, long t) {
        return IntStream.range(0, micros.length).filter(i -> micros[i] >= t).findFirst().orElse(micros.length);
    }

    private static int lastAtOrBefore(long[] micros, long t) {
        int last = -1;
        for (int i = 0; i < micros.length && micros[i] <= t; i++) {
            last = i;
        }
        return last;
    }
}
