package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.model.StreamState;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything one stream needs between two events: the SSM state, the previous event's time (for τ), the
 * forecast made at the previous event (to score the next one), and the anomaly scorer's state. Mutable, owned
 * by the stream's owner (a Flink key, a replay or evaluation loop).
 */
public final class ForecasterState {
    /** {@link #lastTsMicros} before the first event. */
    public static final long NO_EVENT = Long.MIN_VALUE;

    final StreamState ssm;
    long lastTsMicros;
    final float[] forecastMean; // (d_input): forecast of the next event
    final float[] forecastStd;  // (d_input)
    float[] scorer;             // (scorer.stateSize); replaced when it was another scorer's

    public ForecasterState(StreamState ssm, long lastTsMicros, float[] forecastMean, float[] forecastStd,
                           float[] scorer) {
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

    public ForecasterState copy() {
        return new ForecasterState(ssm.copy(), lastTsMicros, forecastMean.clone(), forecastStd.clone(), scorer.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecasterState s && lastTsMicros == s.lastTsMicros && ssm.equals(s.ssm)
                && Arrays.equals(forecastMean, s.forecastMean) && Arrays.equals(forecastStd, s.forecastStd)
                && Arrays.equals(scorer, s.scorer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ssm, lastTsMicros, Arrays.hashCode(forecastMean));
    }
}
