package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.model.StreamState;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one stream needs between two events: the SSM state, the previous event's time (for τ), the
 * forecast made at the previous event (to score the next one), the anomaly scorer's state, the version of the
 * model that produced them, and a window of the latest inputs to rebuild them for another model. Mutable, owned
 * by the stream's owner (a Flink key, a replay or evaluation loop).
 */
public final class ForecasterState {
    /** {@link #lastTsMicros} before the first event. */
    public static final long NO_EVENT = Long.MIN_VALUE;

    final StreamState ssm;
    long lastTsMicros;
    final float[] forecastMean; // (d_input): forecast of the next event
    final float[] forecastStd;  // (d_input)
    final float[] scorer;       // (scorer.stateSize)
    final InputWindow window;
    String modelVersion;        // null: unknown (a state written before versions were recorded)

    /** A state with no model version and no input window (replay, evaluation, states from codec version 1). */
    public ForecasterState(StreamState ssm, long lastTsMicros, float[] forecastMean, float[] forecastStd,
                           float[] scorer) {
        this(ssm, lastTsMicros, forecastMean, forecastStd, scorer, null, InputWindow.NONE);
    }

    /**
     * @param modelVersion the version of the model that produced {@code ssm} and the forecast, or null if unknown
     * @param window       the stream's latest inputs, {@link InputWindow#NONE} for none
     */
    public ForecasterState(StreamState ssm, long lastTsMicros, float[] forecastMean, float[] forecastStd,
                           float[] scorer, String modelVersion, InputWindow window) {
        this.window = Objects.requireNonNull(window, "window");
        this.modelVersion = modelVersion;
        this.ssm = Objects.requireNonNull(ssm, "ssm");
        this.lastTsMicros = lastTsMicros;
        this.forecastMean = Objects.requireNonNull(forecastMean, "forecastMean");
        this.forecastStd = Objects.requireNonNull(forecastStd, "forecastStd");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        if (forecastMean.length != forecastStd.length) {
            throw new IllegalArgumentException("forecast mean has " + forecastMean.length + " channels, std "
                    + forecastStd.length);
        }
    }

    public StreamState ssm() {
        return ssm;
    }

    public long lastTsMicros() {
        return lastTsMicros;
    }

    public boolean hasEvents() {
        return lastTsMicros != NO_EVENT;
    }

    public float[] forecastMean() {
        return forecastMean;
    }

    public float[] forecastStd() {
        return forecastStd;
    }

    public float[] scorerState() {
        return scorer;
    }

    /** The version of the model that produced this state, or null if unknown. */
    public String modelVersion() {
        return modelVersion;
    }

    public void modelVersion(String version) {
        this.modelVersion = version;
    }

    /** The stream's latest inputs; {@link InputWindow#NONE} when none are kept. */
    public InputWindow window() {
        return window;
    }

    /**
     * This state with an input window of {@code capacity} holding the latest of this window's events (a state
     * from codec version 1, which kept none, or a window length changed between runs). Shares everything else.
     */
    public ForecasterState withWindowCapacity(int capacity) {
        if (capacity == window.capacity()) {
            return this;
        }
        int dInput = forecastMean.length;
        InputWindow resized = capacity == 0 ? InputWindow.NONE : new InputWindow(capacity, dInput);
        float[] values = new float[dInput];
        for (int i = Math.max(0, window.size() - capacity); i < window.size(); i++) {
            window.values(i, values);
            resized.add(window.tsMicros(i), values);
        }
        return new ForecasterState(ssm, lastTsMicros, forecastMean, forecastStd, scorer, modelVersion, resized);
    }

    public ForecasterState copy() {
        return new ForecasterState(ssm.copy(), lastTsMicros, forecastMean.clone(), forecastStd.clone(), scorer.clone(),
                modelVersion, window.copy());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecasterState s && lastTsMicros == s.lastTsMicros && ssm.equals(s.ssm)
                && Arrays.equals(forecastMean, s.forecastMean) && Arrays.equals(forecastStd, s.forecastStd)
                && Arrays.equals(scorer, s.scorer) && Objects.equals(modelVersion, s.modelVersion)
                && window.equals(s.window);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ssm, lastTsMicros, Arrays.hashCode(forecastMean));
    }
}
