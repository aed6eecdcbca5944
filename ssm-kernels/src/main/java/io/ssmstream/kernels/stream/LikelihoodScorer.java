package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.math.Activations;
import java.util.Arrays;

/**
 * Anomaly likelihood in the spirit of Numenta's (Ahmad et al., "Unsupervised real-time anomaly detection for
 * streaming data", 2017), the post-processing behind the strongest NAB detectors, with a small fixed state.
 *
 * <p>Per event, with e = max_k |v_k - μ_k| / σ_k the largest standardized forecast error over the channels:
 * <ol>
 *   <li>raw score r = min(1, -log₁₀ P(|Z| ≥ e / c) / 10), the surprise of the error in decades of its two-sided
 *       tail probability erfc(e / (c √2)), where c² is a running mean of e² (so a forecaster whose σ is too narrow
 *       or too wide on this stream is recalibrated; each sample is capped at {@value #CALIBRATION_CAP}² c², so
 *       spikes cannot blind the scorer). Unlike the tail mass itself, which is uniform on [0, 1] for a
 *       well-calibrated forecast, r is near 0 for ordinary events (mean 0.043) and near 1 only for rare ones,
 *       like the prediction error of Numenta's HTM that the likelihood was designed for;</li>
 *   <li>short average a = mean of the last W raw scores;</li>
 *   <li>the long-run distribution of a: mean m and variance s² with exponential forgetting over a horizon of H
 *       events (plain running moments before H events), floored at m ≥ 0.03, s² ≥ 0.0003 as Numenta's;</li>
 *   <li>tail probability q = Q(|a - m| / s) (upper tail of a standard normal; a drop of a below m counts as its
 *       mirror image above m, as Numenta's); a red-zone q (≤ 1e-5) within the quiet period after the last red
 *       one is reported as yellow (1e-3), so a lasting anomaly raises one alarm (Numenta's filter is a quiet
 *       period of 1 event);</li>
 *   <li>score = log(q + 1e-10) / log(1e-10) in [0, 1] (Numenta's log-likelihood: 0.5 at q = 1e-5).</li>
 * </ol>
 * A value beyond the range seen so far on its channel by more than the spatial tolerance (a fraction of that
 * range) scores 1: Numenta's NAB detector's spatial anomaly, a level never seen is anomalous whatever the
 * forecast says. The first {@code warmUp} events score 0 while the moments and the range settle.
 *
 * <p>State, (7 + W + 2 d) floats: [tag, n, m, s², c², events since the last red, ring position, W raw scores,
 * d minima, d maxima]. The tag is a number derived from {@link #name()}, which names every setting, so a state
 * made by another scorer or other settings is recognised and replaced.
 */
public final class LikelihoodScorer implements AnomalyScorer {
    static final double CALIBRATION_CAP = 3;
    static final double RAW_DECADES = 10;
    static final double RED_ZONE = 1e-5;
    static final double YELLOW_ZONE = 1e-3;
    private static final double MEAN_FLOOR = 0.03;
    private static final double VARIANCE_FLOOR = 0.0003;
    private static final double Q_FLOOR = 1e-10;

    private static final int TAG = 0;
    private static final int COUNT = 1;
    private static final int MEAN = 2;
    private static final int VARIANCE = 3;
    private static final int CALIBRATION = 4;
    private static final int SINCE_RED = 5;
    private static final int RING_POSITION = 6;
    private static final int RING = 7;

    private final int shortWindow;
    private final int horizon;
    private final int warmUp;
    private final double spatialTolerance;
    private final int quietPeriod;
    private final String name;
    private final float tag;

    /** With the {@link Builder}'s defaults, the settings the streaming job uses. */
    public LikelihoodScorer() {
        this(builder());
    }

    private LikelihoodScorer(Builder b) {
        this.shortWindow = b.shortWindow;
        this.horizon = b.horizon;
        this.warmUp = b.warmUp;
        this.spatialTolerance = b.spatialTolerance;
        this.quietPeriod = b.quietPeriod;
        this.name = "likelihood-w" + shortWindow + "-h" + horizon + "-u" + warmUp + "-s" + spatialTolerance
                + "-q" + quietPeriod;
        this.tag = (name.hashCode() & 0x7FFFFF) + 1; // an exact float integer in [1, 2^23], never 0 (a blank state)
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; the defaults were chosen on NAB's nab-dev files (one setting for all of them). */
    public static final class Builder {
        private int shortWindow = 20;
        private int horizon = 2000;
        private int warmUp = 100;
        private double spatialTolerance = 0.05;
        private int quietPeriod = 50;

        private Builder() {
        }

        /** W, raw scores in the short average (default 20), at least 1. */
        public Builder shortWindow(int v) {
            require(v >= 1, "shortWindow must be at least 1, got " + v);
            shortWindow = v;
            return this;
        }

        /** H, events the long-run moments remember (default 2000); at least W when built. */
        public Builder horizon(int v) {
            require(v >= 1, "horizon must be at least 1, got " + v);
            horizon = v;
            return this;
        }

        /** Events that score 0 at a stream's start (default 100); at least W when built. */
        public Builder warmUp(int v) {
            require(v >= 1, "warmUp must be at least 1, got " + v);
            warmUp = v;
            return this;
        }

        /** How far beyond the seen range, as a fraction of it, a value scores 1 (default 0.05); 0: never. */
        public Builder spatialTolerance(double v) {
            require(v >= 0 && Double.isFinite(v), "spatialTolerance must be 0 or positive, got " + v);
            spatialTolerance = v;
            return this;
        }

        /** Events after a red score during which another red is reported as yellow (default 50), at least 1. */
        public Builder quietPeriod(int v) {
            require(v >= 1, "quietPeriod must be at least 1, got " + v);
            quietPeriod = v;
            return this;
        }

        public LikelihoodScorer build() {
            require(horizon >= shortWindow, "horizon (" + horizon + ") must be at least shortWindow (" + shortWindow
                    + ")");
            require(warmUp >= shortWindow, "warmUp (" + warmUp + ") must be at least shortWindow (" + shortWindow
                    + ")");
            return new LikelihoodScorer(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int stateSize(int dInput) {
        return RING + shortWindow + 2 * dInput;
    }

    @Override
    public void initState(float[] state) {
        Arrays.fill(state, 0f);
        state[TAG] = tag;
        state[CALIBRATION] = 1;
        state[SINCE_RED] = Float.MAX_VALUE;
    }

    @Override
    public boolean owns(float[] state, int dInput) {
        return state.length == stateSize(dInput) && state[TAG] == tag;
    }

    @Override
    public double score(float[] values, float[] mean, float[] std, float[] state) {
        double e = 0;
        for (int k = 0; k < values.length; k++) {
            e = Math.max(e, Math.abs((values[k] - mean[k]) / (double) std[k]));
        }
        double n = state[COUNT] + 1.0;
        boolean beyondRange = outsideSeenRange(values, state, n == 1);
        double forget = Math.max(1.0 / n, 1.0 / horizon);

        double c2 = state[CALIBRATION];
        double tail = Activations.erfc(e / Math.sqrt(c2) / Math.sqrt(2));
        double raw = Math.min(1, -Math.log10(Math.max(tail, 1e-300)) / RAW_DECADES);
        double sample = Math.min(e * e, CALIBRATION_CAP * CALIBRATION_CAP * c2);
        state[CALIBRATION] = (float) Math.max(1e-6, c2 + forget * (sample - c2));

        int pos = (int) state[RING_POSITION];
        state[RING + pos] = (float) raw;
        state[RING_POSITION] = (pos + 1) % shortWindow;
        int filled = (int) Math.min(n, shortWindow);
        double sum = 0;
        for (int i = 0; i < filled; i++) {
            sum += state[RING + i];
        }
        double avg = sum / filled;

        double m = state[MEAN];
        double v = state[VARIANCE];
        double score = 0;
        if (n > warmUp) {
            double mf = Math.max(m, MEAN_FLOOR);
            double sd = Math.sqrt(Math.max(v, VARIANCE_FLOOR));
            double q = 0.5 * Activations.erfc(Math.abs(avg - mf) / sd / Math.sqrt(2));
            double sinceRed = state[SINCE_RED] + 1.0;
            double reported = q <= RED_ZONE && sinceRed <= quietPeriod ? YELLOW_ZONE : q;
            state[SINCE_RED] = q <= RED_ZONE ? 0 : (float) Math.min(sinceRed, Float.MAX_VALUE);
            score = beyondRange ? 1 : Math.log(reported + Q_FLOOR) / Math.log(Q_FLOOR);
        }
        // long-run moments of the short average (West's exponentially weighted update)
        double delta = avg - m;
        state[MEAN] = (float) (m + forget * delta);
        state[VARIANCE] = (float) ((1 - forget) * (v + forget * delta * delta));
        state[COUNT] = (float) Math.min(n, 1 << 24);
        return Math.min(1, Math.max(0, score));
    }

    /** Whether a value lies beyond its channel's seen range by more than the tolerance; then widens the range. */
    private boolean outsideSeenRange(float[] values, float[] state, boolean first) {
        int d = values.length;
        int min = RING + shortWindow;
        int max = min + d;
        boolean beyond = false;
        for (int k = 0; k < d; k++) {
            float v = values[k];
            if (first) {
                state[min + k] = v;
                state[max + k] = v;
                continue;
            }
            double tolerance = spatialTolerance * (state[max + k] - state[min + k]);
            beyond |= spatialTolerance > 0 && tolerance > 0
                    && (v > state[max + k] + tolerance || v < state[min + k] - tolerance);
            state[min + k] = Math.min(state[min + k], v);
            state[max + k] = Math.max(state[max + k], v);
        }
        return beyond;
    }
}
