package io.ssmstream.connectors.event;

import java.util.Arrays;
import java.util.Objects;

/**
 * The job's output for one event: the event, the model's forecast for the stream's next event, and how
 * anomalous this event was given the forecast made before it, and the direct forecasts of its next H events
 * when the model has a direct head. A Flink POJO.
 */
public class ForecastRecord {
    public String stream;
    /** The event's time, epoch milliseconds. */
    public long ts;
    public float[] values;
    /** Forecast mean and standard deviation of the stream's NEXT event, raw units. */
    public float[] forecast;
    public float[] std;
    /** In [0, 1]: how unlikely this event was under the previous forecast (0 for a stream's first event). */
    public double anomalyScore;
    public String modelVersion;
    /** Events applied to this stream's state so far, this one included. */
    public long events;
    /**
     * The model's direct forecasts of the stream's next H events, (H, d_input) row-major, raw units; null when
     * the model has no direct head.
     */
    public float[] horizon;

    public ForecastRecord() {
    }

    public ForecastRecord(String stream, long ts, float[] values, float[] forecast, float[] std, double anomalyScore,
                          String modelVersion, long events) {
        this.stream = stream;
        this.ts = ts;
        this.values = values;
        this.forecast = forecast;
        this.std = std;
        this.anomalyScore = anomalyScore;
        this.modelVersion = modelVersion;
        this.events = events;
    }

    /** @param horizon the direct forecasts of the next H events, (H, d_input), or null */
    public ForecastRecord(String stream, long ts, float[] values, float[] forecast, float[] std, double anomalyScore,
                          String modelVersion, long events, float[] horizon) {
        this(stream, ts, values, forecast, std, anomalyScore, modelVersion, events);
        this.horizon = horizon;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastRecord r && ts == r.ts && events == r.events
                && Double.compare(anomalyScore, r.anomalyScore) == 0 && Objects.equals(stream, r.stream)
                && Arrays.equals(values, r.values) && Arrays.equals(forecast, r.forecast) && Arrays.equals(std, r.std)
                && Objects.equals(modelVersion, r.modelVersion) && Arrays.equals(horizon, r.horizon);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, ts, events, Arrays.hashCode(forecast));
    }

    @Override
    public String toString() {
        return "ForecastRecord{" + stream + " @" + ts + " #" + events + " values=" + Arrays.toString(values)
                + " forecast=" + Arrays.toString(forecast) + " std=" + Arrays.toString(std) + " score=" + anomalyScore
                + "}";
    }
}
