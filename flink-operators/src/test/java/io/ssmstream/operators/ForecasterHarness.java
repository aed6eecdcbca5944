package io.ssmstream.operators;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** {@link SsmForecastFunction} in Flink's keyed-broadcast operator test harness. */
final class ForecasterHarness {
    static final Duration TTL = Duration.ofHours(1);

    private ForecasterHarness() {
    }

    /**
     * An open harness whose update input is at the end of time, as the job's model-update source is, so the
     * events' watermark alone drives the forecaster.
     *
     * @param restore a snapshot to restore, or null
     */
    static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> open(
            ModelArtifact model, SwapSettings swap, OperatorSubtaskState restore) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord>(
                new CoBroadcastWithKeyedOperator<>(new SsmForecastFunction(model, TTL, 0.99, swap),
                        List.of(SsmForecastFunction.ACCEPTED_MODEL_STATE)),
                e -> e.stream, Types.STRING, 1, 1, 0);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        h.processBroadcastWatermark(Long.MAX_VALUE);
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
