package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetterReason;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Counters {@code ssm.deadLettered.<reason>}, registered on first use of each reason. */
public final class DeadLetterCounters {
    private final MetricGroup group;
    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

    public DeadLetterCounters(MetricGroup operatorGroup) {
        this.group = operatorGroup.addGroup(ForecastMetrics.GROUP).addGroup("deadLettered");
    }

    public void count(DeadLetterReason reason) {
        counters.computeIfAbsent(reason, r -> group.counter(r.code())).inc();
    }
}
