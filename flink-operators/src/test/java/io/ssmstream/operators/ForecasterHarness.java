package io.ssmstream.operators;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** {@link SsmForecastFunction} in Flink's keyed-broadcast operator test harness. */
final class ForecasterHarness {
    static final Duration TTL = Duration.ofHours(1);

    private ForecasterHarness() {
    }

    /**
     * An open harness on the job's forecaster operator: the events' watermark alone drives the forecaster.
     *
     * @param restore a snapshot to restore, or null
     */
    static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            ModelArtifact model, SwapSettings swap, OperatorSubtaskState restore) throws Exception {
        return open(model, swap, restore, 1, 1, 0);
    }

    /** As above, as subtask {@code subtask} of {@code parallelism}, with {@code maxParallelism} key groups. */
    static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            ModelArtifact model, SwapSettings swap, OperatorSubtaskState restore, int maxParallelism,
            int parallelism, int subtask) throws Exception {
        return open(new SsmForecastFunction(model, TTL, 0.99, swap), restore, maxParallelism, parallelism, subtask);
    }

    /** An open harness on {@code function} in the job's forecaster operator, as subtask 0 of 1. */
    static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            SsmForecastFunction function) throws Exception {
        return open(function, null, 1, 1, 0);
    }

    private static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            SsmForecastFunction function, OperatorSubtaskState restore, int maxParallelism, int parallelism,
            int subtask) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord>(
                new ForecasterOperator(function), e -> e.stream, Types.STRING, maxParallelism, parallelism, subtask);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            ModelArtifact model) throws Exception {
        return open(model, SwapSettings.defaults(), null);
    }

    static int numKeyedStateEntries(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static SensorEvent event(String stream, long ts, float value) {
        return new SensorEvent(stream, ts, new float[] {value})
                .withSource("in", 0, ts, ("{\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8));
    }
}
