package io.ssmstream.operators.swap;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Model-swap metrics in the operator's {@code ssm} group: {@code modelUpdatesAccepted}, {@code modelUpdatesRejected}
 * (one per rejected update, whatever the reason; the log line names it) and {@code statesRebuilt} (streams whose
 * state was rebuilt for a new model). The current version is the {@code modelVersion} gauge.
 */
public final class SwapMetrics {
    public static final String ACCEPTED = "modelUpdatesAccepted";
    public static final String REJECTED = "modelUpdatesRejected";
    public static final String REBUILT = "statesRebuilt";

    private final Counter accepted;
    private final Counter rejected;
    private final Counter rebuilt;

    /** @param ssmGroup the operator's {@code ssm} metric group */
    public SwapMetrics(MetricGroup ssmGroup) {
        this.accepted = ssmGroup.counter(ACCEPTED);
        this.rejected = ssmGroup.counter(REJECTED);
        this.rebuilt = ssmGroup.counter(REBUILT);
    }

    void accepted() {
        accepted.inc();
    }

    void rejected() {
        rejected.inc();
    }

    void rebuilt() {
        rebuilt.inc();
    }
}
