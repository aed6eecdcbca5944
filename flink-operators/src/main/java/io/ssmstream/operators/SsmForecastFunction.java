package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.state.ForecasterStateSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The per-stream forecaster: keeps one SSM state per stream id in Flink keyed state and applies the stream's
 * events in event-time order.
 * <ul>
 *   <li>Ordering: an event waits in {@link #PENDING_STATE} until the watermark passes its time (an event-time
 *       timer), so events that arrive out of order within the watermark's bounded out-of-orderness are
 *       applied in time order.</li>
 *   <li>Late events (at or behind the watermark when they arrive) go to {@link #DEAD_LETTERS} as {@code late}.</li>
 *   <li>Duplicates (same stream, same time) keep the first; the rest are counted and dropped.</li>
 *   <li>Idle streams: a processing-time timer clears all of a stream's state after {@code idleTtl} without
 *       events, so millions of short-lived keys do not grow state forever.</li>
 * </ul>
 */
public class SsmForecastFunction extends KeyedProcessFunction<String, SensorEvent, ForecastRecord> {
    private static final long serialVersionUID = 1L;

    public static final String FORECASTER_STATE = "ssm-forecaster";
    public static final String PENDING_STATE = "pending-events";
    public static final String LAST_SEEN_STATE = "last-seen-processing-time";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };

    private final ModelArtifact model;
    private final long idleTtlMillis;
    private final double anomalyThreshold;

    private transient StreamForecaster forecaster;
    private transient ValueState<ForecasterState> forecasterState;
    private transient MapState<Long, SensorEvent> pending;
    private transient ValueState<Long> lastSeen;
    private transient ForecastMetrics metrics;

    /**
     * @param idleTtl          how long a stream may go without events before its state is dropped
     * @param anomalyThreshold score from which an event counts as an anomaly in the metrics, in (0, 1]
     */
    public SsmForecastFunction(ModelArtifact model, Duration idleTtl, double anomalyThreshold) {
        if (idleTtl == null || idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("idleTtl must be positive, got " + idleTtl);
        }
        if (!(anomalyThreshold > 0 && anomalyThreshold <= 1)) {
            throw new IllegalArgumentException("anomalyThreshold must be in (0, 1], got " + anomalyThreshold);
        }
        this.model = model;
        this.idleTtlMillis = idleTtl.toMillis();
        this.anomalyThreshold = anomalyThreshold;
    }

    @Override
    public void open(OpenContext openContext) {
        forecaster = new StreamForecaster(model.load(), KernelOpsProvider.get(), new LikelihoodScorer());
        forecasterState = getRuntimeContext().getState(
                new ValueStateDescriptor<>(FORECASTER_STATE, ForecasterStateSerializer.INSTANCE));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>(PENDING_STATE, Types.LONG, TypeInformation.of(SensorEvent.class)));
        lastSeen = getRuntimeContext().getState(new ValueStateDescriptor<>(LAST_SEEN_STATE, Types.LONG));
        metrics = new ForecastMetrics(getRuntimeContext().getMetricGroup(), model.version());
    }

    @Override
    public void processElement(SensorEvent event, Context ctx, Collector<ForecastRecord> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (event.ts <= watermark) {
            metrics.deadLettered(DeadLetterReason.LATE);
            ctx.output(DEAD_LETTERS, DeadLetter.late(event, watermark));
            return;
        }
        if (pending.contains(event.ts)) {
            metrics.duplicate();
            return;
        }
        pending.put(event.ts, event);
        ctx.timerService().registerEventTimeTimer(event.ts);
        long now = ctx.timerService().currentProcessingTime();
        if (lastSeen.value() == null) {
            ctx.timerService().registerProcessingTimeTimer(now + idleTtlMillis);
        }
        lastSeen.update(now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            SensorEvent event = pending.get(timestamp);
            if (event != null) {
                pending.remove(timestamp);
                out.collect(apply(event));
            }
            return;
        }
        expireIfIdle(timestamp, ctx);
    }

    private ForecastRecord apply(SensorEvent event) throws Exception {
        ForecasterState state = forecasterState.value();
        if (state == null) {
            state = forecaster.newState();
            metrics.streamAdded();
        }
        long start = System.nanoTime();
        double score = forecaster.step(state, event.ts * 1000L, event.values);
        metrics.stepped(System.nanoTime() - start, score >= anomalyThreshold);
        forecasterState.update(state);
        return new ForecastRecord(event.stream, event.ts, event.values, state.forecastMean().clone(),
                state.forecastStd().clone(), score, model.version(), state.ssm().events());
    }

    private void expireIfIdle(long timestamp, OnTimerContext ctx) throws Exception {
        Long seen = lastSeen.value();
        if (seen == null) {
            return;
        }
        long deadline = seen + idleTtlMillis;
        if (timestamp < deadline || !pending.isEmpty()) {
            // Events came since this timer was set, or some still wait for the watermark: look again later.
            ctx.timerService().registerProcessingTimeTimer(Math.max(deadline, timestamp + idleTtlMillis / 2 + 1));
            return;
        }
        if (forecasterState.value() != null) {
            metrics.streamExpired();
        }
        forecasterState.clear();
        lastSeen.clear();
    }
}
