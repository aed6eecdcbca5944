package io.ssmstream.app.job;

import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.SsmForecastFunction;
import io.ssmstream.operators.swap.SwapSettings;
import java.io.Serializable;
import java.time.Duration;

/**
 * The streaming job's tunables, with defaults that suit telemetry: events may arrive up to 5 s out of order,
 * a stream's state is dropped after 7 days without events, an event scoring at least 0.99 counts as an anomaly
 * in the metrics, a Kafka partition without records for 10 s stops holding the watermark back, and model updates
 * for the model name {@code default} are applied, rebuilding each stream's state from its latest 64 inputs, and
 * the streams a watermark releases are stepped 16 at a time.
 */
public final class JobSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration outOfOrderness;
    private final Duration idleTtl;
    private final Duration idlePartitionTimeout;
    private final double anomalyThreshold;
    private final SwapSettings swap;
    private final int batchStreams;

    private JobSettings(Builder b) {
        this.outOfOrderness = b.outOfOrderness;
        this.idleTtl = b.idleTtl;
        this.idlePartitionTimeout = b.idlePartitionTimeout;
        this.anomalyThreshold = b.anomalyThreshold;
        this.swap = new SwapSettings(b.modelName, b.swapWindow);
        this.batchStreams = b.batchStreams;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static JobSettings defaults() {
        return builder().build();
    }

    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    public Duration idleTtl() {
        return idleTtl;
    }

    public Duration idlePartitionTimeout() {
        return idlePartitionTimeout;
    }

    public double anomalyThreshold() {
        return anomalyThreshold;
    }

    /** Which model updates apply and how stream states follow a swap. */
    public SwapSettings swap() {
        return swap;
    }

    /** How many released streams the forecaster steps together (see {@link SsmForecastFunction#applyReleased}). */
    public int batchStreams() {
        return batchStreams;
    }

    /** Fail-fast builder: each setter names the argument it rejects. */
    public static final class Builder {
        private Duration outOfOrderness = Duration.ofSeconds(5);
        private Duration idleTtl = Duration.ofDays(7);
        private Duration idlePartitionTimeout = Duration.ofSeconds(10);
        private double anomalyThreshold = 0.99;
        private String modelName = SwapSettings.DEFAULT_MODEL_NAME;
        private int swapWindow = SwapSettings.DEFAULT_WINDOW;
        private int batchStreams = SsmForecastFunction.DEFAULT_BATCH_STREAMS;

        private Builder() {
        }

        /** How far behind the newest event an event may arrive and still be applied in order; default 5 s. */
        public Builder outOfOrderness(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("out-of-orderness must be zero or positive, got " + d);
            }
            outOfOrderness = d;
            return this;
        }

        /**
         * How long a stream may go without events (event time) before it starts over from a new state;
         * default 7 days. Its state is dropped once its last event is this far behind the watermark: the
         * forecaster looks once per TTL, so by twice this.
         */
        public Builder idleTtl(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("idle TTL must be positive, got " + d);
            }
            idleTtl = d;
            return this;
        }

        /** After this long without records a partition no longer holds the watermark back; default 10 s. */
        public Builder idlePartitionTimeout(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("idle partition timeout must be positive, got " + d);
            }
            idlePartitionTimeout = d;
            return this;
        }

        /** Score from which an event counts as an anomaly in the metrics, in (0, 1]; default 0.99. */
        public Builder anomalyThreshold(double t) {
            if (!(t > 0 && t <= 1)) {
                throw new IllegalArgumentException("anomaly threshold must be in (0, 1], got " + t);
            }
            anomalyThreshold = t;
            return this;
        }

        /** Model updates for this model name are applied, others ignored; default {@code default}. */
        public Builder modelName(String name) {
            modelName = SwapSettings.requireModelName(name);
            return this;
        }

        /**
         * How many of each stream's latest inputs are kept to rebuild its state after a model swap, in
         * [0, 100000]; default 64 (see {@link SwapSettings}).
         */
        public Builder swapWindow(int events) {
            swapWindow = SwapSettings.requireWindowLength(events);
            return this;
        }

        /**
         * How many of the streams a watermark releases are stepped together, each weight of the model read once
         * for all of them, in [1, {@value StreamForecaster#MAX_BATCH}]; 1 steps one event at a time. The
         * forecasts are the same either way. Default {@value SsmForecastFunction#DEFAULT_BATCH_STREAMS}.
         */
        public Builder batchStreams(int streams) {
            if (streams < 1 || streams > StreamForecaster.MAX_BATCH) {
                throw new IllegalArgumentException("batch streams must be in [1, " + StreamForecaster.MAX_BATCH
                        + "], got " + streams);
            }
            batchStreams = streams;
            return this;
        }

        public JobSettings build() {
            return new JobSettings(this);
        }
    }
}
