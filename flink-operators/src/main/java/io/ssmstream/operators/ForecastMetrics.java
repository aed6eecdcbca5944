package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetterReason;
import java.util.function.Supplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The job's metrics, under the operator's metric group {@code ssm}: {@code events}, {@code eventsPerSecond},
 * {@code anomalies}, {@code duplicates}, {@code deadLettered.<reason>}, {@code stepLatencyNanos} (histogram of
 * the last 1024 steps; an event stepped together with others counts its share of the batch's time),
 * {@code modelVersion} (the version running now), the model-swap metrics of
 * {@link io.ssmstream.operators.swap.SwapMetrics}, and {@code streams} (streams with state on this subtask, counted
 * since the subtask started: after a restore it counts streams seen again).
 */
public final class ForecastMetrics {
    public static final String GROUP = "ssm";

    private final MetricGroup group;
    private final Counter events;
    private final Counter anomalies;
    private final Counter duplicates;
    private final Histogram stepLatency;
    private final DeadLetterCounters deadLettered;
    private long streams;

    /** @param modelVersion the version of the model running now (it changes with model updates) */
    public ForecastMetrics(MetricGroup parent, Supplier<String> modelVersion) {
        this.group = parent.addGroup(GROUP);
        this.deadLettered = new DeadLetterCounters(parent);
        this.events = group.counter("events");
        group.<Meter>meter("eventsPerSecond", new MeterView(events));
        this.anomalies = group.counter("anomalies");
        this.duplicates = group.counter("duplicates");
        this.stepLatency = group.histogram("stepLatencyNanos", new DescriptiveStatisticsHistogram(1024));
        group.<String, Gauge<String>>gauge("modelVersion", modelVersion::get);
        group.<Long, Gauge<Long>>gauge("streams", () -> streams);
    }

    /** The {@code ssm} group, for metrics registered elsewhere. */
    public MetricGroup group() {
        return group;
    }

    void stepped(long nanos, boolean anomaly) {
        events.inc();
        stepLatency.update(nanos);
        if (anomaly) {
            anomalies.inc();
        }
    }

    void duplicate() {
        duplicates.inc();
    }

    public void deadLettered(DeadLetterReason reason) {
        deadLettered.count(reason);
    }

    void streamAdded() {
        streams++;
    }

    void streamExpired() {
        streams--;
    }
}
