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
 * Three more kinds of event are red (q = {@value #RECORD_Q}, score 0.6) whatever the average says, all "never
 * seen on this stream" checks like the spatial one below, for anomalies the short average cannot show:
 * <ul>
 *   <li>a record surprise: D = -log₁₀ P(|Z| ≥ e / c) (the raw score before its cap) above {@code recordFactor}
 *       times the largest D of the stream so far, and above {@value #RECORD_MIN_DECADES} decades. A single
 *       spike moves the average of W raw scores too little to reach the red zone; a spike larger than any
 *       before does not need the average. Streams with usual spikes (tweet counts) soon hold a high record and
 *       are not alarmed by the next ordinary one;</li>
 *   <li>a record drift: the two-sided CUSUM of the signed standardized errors z_k = (v_k - μ_k) / (σ_k c), each
 *       clipped to ±{@value #CALIBRATION_CAP}: S⁺_k = max(0, S⁺_k + z_k - κ), S⁻_k = max(0, S⁻_k - z_k - κ),
 *       κ = {@value #DRIFT_SLACK}; an excursion of S = max_k max(S⁺_k, S⁻_k) (from S leaving 0 to its return to
 *       0) that rises above {@code recordFactor} times the highest peak of the excursions ended since the
 *       warm-up, and above {@value #DRIFT_MIN}; once per excursion. A forecast that stays a little too high or
 *       too low for many events (a level shift the model follows only slowly, a day unlike the others) gives
 *       errors each too small to be surprising, but of one sign;</li>
 *   <li>a flat run: the values (all channels) repeat exactly for ρ events in a row, with ρ reaching
 *       max({@code flatRunMin}, {@code flatRunFactor} times the longest run of repeats that ended before); once
 *       per run. A stream that suddenly stops moving (a stuck sensor, a flat-lined metric) is forecast well
 *       (the model follows the flat level), so its errors do not show it; a stream that is often constant
 *       soon holds a long record.</li>
 * </ul>
 * A value beyond the range seen so far on its channel by more than the spatial tolerance (a fraction of that
 * range) scores 1: Numenta's NAB detector's spatial anomaly, a level never seen is anomalous whatever the
 * forecast says. The first {@code warmUp} events score 0 while the moments and the range settle.
 *
 * <p>Glossary: e {@code e} (largest standardized error), c² {@code CALIBRATION}, r {@code raw}, D
 * {@code decades}, W {@code shortWindow}, a {@code avg}, H {@code horizon}, m {@code MEAN}, s² {@code VARIANCE},
 * q {@code q}, S⁺ S⁻ ({@code up}, {@code down}), S {@code drift}, ρ {@code RUN}.
 *
 * <p>State, (12 + W + 5 d) floats: [tag, n, m, s², c², events since the last red, ring position, record D,
 * peak of S in this excursion, highest peak of the ended excursions, ρ, longest ended run, W raw scores,
 * d minima, d maxima, d previous values, d S⁺, d S⁻]. The tag is a number derived from
 * {@link #name()}, which names every setting, so a state made by another scorer or other settings is recognised
 * and replaced.
 */
public final class LikelihoodScorer implements AnomalyScorer {
    /** Events that score 0 at a stream's start unless {@link Builder#warmUp} says otherwise. */
    public static final int DEFAULT_WARM_UP = 100;
    static final double CALIBRATION_CAP = 3;
    static final double RAW_DECADES = 10;
    static final double RED_ZONE = 1e-5;
    static final double YELLOW_ZONE = 1e-3;
    /** q of a record surprise, drift or flat run: red, score 0.6. */
    static final double RECORD_Q = 1e-6;
    /** A record surprise must also be this rare (decades): the first ordinary errors set low records. */
    static final double RECORD_MIN_DECADES = 3;
    /** κ, the drift per event (in σ) that the CUSUM ignores: half a σ, the classic choice for a 1 σ shift. */
    static final double DRIFT_SLACK = 0.5;
    /** A record drift must also be this large: the first quiet events set low records. */
    static final double DRIFT_MIN = 2;
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
    private static final int RECORD = 7;
    private static final int DRIFT_PEAK = 8;
    private static final int DRIFT_RECORD = 9;
    private static final int RUN = 10;
    private static final int RUN_RECORD = 11;
    private static final int RING = 12;

    private final int shortWindow;
    private final int horizon;
    private final int warmUp;
    private final double spatialTolerance;
    private final int quietPeriod;
    private final double recordFactor;
    private final double flatRunFactor;
    private final int flatRunMin;
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
        this.recordFactor = b.recordFactor;
        this.flatRunFactor = b.flatRunFactor;
        this.flatRunMin = b.flatRunMin;
        this.name = "likelihood-w" + shortWindow + "-h" + horizon + "-u" + warmUp + "-s" + spatialTolerance
                + "-q" + quietPeriod + "-r" + recordFactor + "-f" + flatRunFactor + "x" + flatRunMin;
        this.tag = (name.hashCode() & 0x7FFFFF) + 1; // an exact float integer in [1, 2^23], never 0 (a blank state)
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings; the defaults were chosen on NAB's nab-dev files (one setting for all of them). */
    public static final class Builder {
        private int shortWindow = 20;
        private int horizon = 2000;
        private int warmUp = DEFAULT_WARM_UP;
        private double spatialTolerance = 0.05;
        private int quietPeriod = 50;
        private double recordFactor = 1.2;
        private double flatRunFactor = 1.5;
        private int flatRunMin = 50;

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

        /**
         * How far above the stream's largest surprise (in decades) and largest drift (CUSUM) so far, a factor, a
         * surprise or a drift is red (default 1.2); 0: never.
         */
        public Builder recordFactor(double v) {
            require(v == 0 || v >= 1 && Double.isFinite(v), "recordFactor must be 0 or at least 1, got " + v);
            recordFactor = v;
            return this;
        }

        /**
         * How much longer than the longest run of repeated values before (a factor) a run is red (default 1.5);
         * 0: never.
         */
        public Builder flatRunFactor(double v) {
            require(v == 0 || v >= 1 && Double.isFinite(v), "flatRunFactor must be 0 or at least 1, got " + v);
            flatRunFactor = v;
            return this;
        }

        /** Events of repeated values a flat run needs at least to be red (default 50), at least 1. */
        public Builder flatRunMin(int v) {
            require(v >= 1, "flatRunMin must be at least 1, got " + v);
            flatRunMin = v;
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
        return RING + shortWindow + 5 * dInput;
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
        boolean runRecord = flatRunRecord(values, state, n == 1);
        double forget = Math.max(1.0 / n, 1.0 / horizon);

        double c2 = state[CALIBRATION];
        double tail = Activations.erfc(e / Math.sqrt(c2) / Math.sqrt(2));
        double decades = -Math.log10(Math.max(tail, 1e-300));
        double raw = Math.min(1, decades / RAW_DECADES);
        double sample = Math.min(e * e, CALIBRATION_CAP * CALIBRATION_CAP * c2);
        state[CALIBRATION] = (float) Math.max(1e-6, c2 + forget * (sample - c2));
        boolean surpriseRecord = recordFactor > 0 && decades > RECORD_MIN_DECADES
                && decades > recordFactor * state[RECORD];
        state[RECORD] = (float) Math.max(state[RECORD], decades);
        boolean driftRecord = driftRecord(values, mean, std, Math.sqrt(c2), state, n > warmUp);

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
            if (surpriseRecord || driftRecord || runRecord) {
                q = Math.min(q, RECORD_Q);
            }
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

    /**
     * Advances the CUSUMs S⁺_k, S⁻_k of the clipped signed errors; whether S's excursion rises above
     * max({@value #DRIFT_MIN}, recordFactor × the highest peak of the excursions ended since the warm-up) with this
     * event.
     */
    private boolean driftRecord(float[] values, float[] mean, float[] std, double c, float[] state,
                                boolean warm) {
        int d = values.length;
        int up = RING + shortWindow + 3 * d;
        int down = up + d;
        double drift = 0;
        for (int k = 0; k < d; k++) {
            double z = Math.max(-CALIBRATION_CAP, Math.min(CALIBRATION_CAP, (values[k] - mean[k]) / (std[k] * c)));
            state[up + k] = (float) Math.max(0, state[up + k] + z - DRIFT_SLACK);
            state[down + k] = (float) Math.max(0, state[down + k] - z - DRIFT_SLACK);
            drift = Math.max(drift, Math.max(state[up + k], state[down + k]));
        }
        double bar = Math.max(DRIFT_MIN, recordFactor * state[DRIFT_RECORD]);
        boolean record = recordFactor > 0 && warm && drift > bar && state[DRIFT_PEAK] <= bar;
        state[DRIFT_PEAK] = (float) Math.max(state[DRIFT_PEAK], drift);
        if (drift == 0) {
            // the forecaster's first events (its state starting from zeros) drift far: no record before the warm-up
            if (warm) {
                state[DRIFT_RECORD] = Math.max(state[DRIFT_RECORD], state[DRIFT_PEAK]);
            }
            state[DRIFT_PEAK] = 0;
        }
        return record;
    }

    /**
     * Counts the run of events whose values all repeat the previous event's exactly; whether this event makes the
     * run exactly long enough to be a record (max(flatRunMin, flatRunFactor × the longest run ended before)).
     */
    private boolean flatRunRecord(float[] values, float[] state, boolean first) {
        int previous = RING + shortWindow + 2 * values.length;
        boolean repeated = !first;
        for (int k = 0; k < values.length; k++) {
            repeated &= values[k] == state[previous + k];
            state[previous + k] = values[k];
        }
        if (first) {
            return false;
        }
        if (!repeated) {
            state[RUN_RECORD] = Math.max(state[RUN_RECORD], state[RUN]);
            state[RUN] = 0;
            return false;
        }
        state[RUN] = Math.min(state[RUN] + 1, 1 << 24);
        return flatRunFactor > 0 && state[RUN] == Math.ceil(Math.max(flatRunMin, flatRunFactor * state[RUN_RECORD]));
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
