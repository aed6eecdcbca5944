package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.state.ForecasterStateSerializer;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The per-stream forecaster: keeps one SSM state per stream id in Flink keyed state and applies the stream's
 * events in event-time order.
 * <ul>
 *   <li>Ordering: an event waits in {@link #PENDING_STATE} until the watermark passes its time, so events that
 *       arrive out of order within the watermark's bounded out-of-orderness are applied in time order. A stream
 *       has one event-time timer, at its earliest waiting event; when it fires, every waiting event the
 *       watermark has passed is applied, in time order, and the timer moves to the next waiting event.</li>
 *   <li>Late events (at or behind the watermark when they arrive) go to {@link #DEAD_LETTERS} as {@code late}.</li>
 *   <li>Duplicates (same stream, same time) keep the first; the rest are counted and dropped.</li>
 *   <li>Idle streams: a processing-time timer clears all of a stream's state after {@code idleTtl} without
 *       events, so millions of short-lived keys do not grow state forever.</li>
 * </ul>
 */
public class SsmForecastFunction extends KeyedProcessFunction<String, SensorEvent, ForecastRecord> {
    private static final long serialVersionUID = 1L;

    public static final String FORECASTER_STATE = "ssm-forecaster";
    public static final String PENDING_STATE = "pending-events-v2";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };

    private final ModelArtifact model;
    private final long idleTtlMillis;
    private final double anomalyThreshold;

    private transient StreamForecaster forecaster;
    private transient ValueState<ForecasterState> forecasterState;
    private transient ValueState<PendingEvents> pending;
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
        forecaster = new StreamForecaster(model.load(), KernelOpsProvider.get(), new GaussianTailScorer());
        forecasterState = getRuntimeContext().getState(
                new ValueStateDescriptor<>(FORECASTER_STATE, ForecasterStateSerializer.INSTANCE));
        pending = getRuntimeContext().getState(
                new ValueStateDescriptor<>(PENDING_STATE, TypeInformation.of(PendingEvents.class)));
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
        PendingEvents waiting = pending.value();
        long now = ctx.timerService().currentProcessingTime();
        if (waiting == null) {
            waiting = new PendingEvents();
            ctx.timerService().registerProcessingTimeTimer(now + idleTtlMillis);
        }
        if (!waiting.insert(event.ts, event.values)) {
            metrics.duplicate();
            return;
        }
        if (waiting.earliest() == event.ts) {
            // The stream's timer stands at its earliest waiting event: this one is now the earliest.
            ctx.timerService().registerEventTimeTimer(event.ts);
        }
        waiting.lastSeenMillis = now;
        pending.update(waiting);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            applyReleased(ctx, out);
            return;
        }
        expireIfIdle(timestamp, ctx);
    }

    /** Applies, in time order, every waiting event the watermark has passed; the timer moves to the next one. */
    private void applyReleased(OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        PendingEvents waiting = pending.value();
        if (waiting == null) {
            return;
        }
        int released = waiting.countUpTo(ctx.timerService().currentWatermark());
        if (released == 0) {
            return; // a timer left at an earlier "earliest" whose events were applied with a previous release
        }
        ForecasterState state = forecasterState.value();
        if (state == null) {
            state = forecaster.newState();
            metrics.streamAdded();
        }
        String stream = ctx.getCurrentKey();
        for (int i = 0; i < released; i++) {
            out.collect(apply(state, stream, waiting.ts[i], waiting.values[i]));
        }
        forecasterState.update(state);
        waiting.removeFirst(released);
        if (waiting.count() > 0) {
            ctx.timerService().registerEventTimeTimer(waiting.earliest());
        }
        pending.update(waiting);
    }

    private ForecastRecord apply(ForecasterState state, String stream, long ts, float[] values) {
        long start = System.nanoTime();
        double score = forecaster.step(state, ts * 1000L, values);
        metrics.stepped(System.nanoTime() - start, score >= anomalyThreshold);
        return new ForecastRecord(stream, ts, values, state.forecastMean().clone(), state.forecastStd().clone(),
                score, model.version(), state.ssm().events());
    }

    private void expireIfIdle(long timestamp, OnTimerContext ctx) throws Exception {
        PendingEvents waiting = pending.value();
        if (waiting == null) {
            return;
        }
        long deadline = waiting.lastSeenMillis + idleTtlMillis;
        if (timestamp < deadline || waiting.count() > 0) {
            // Events came since this timer was set, or some still wait for the watermark: look again later.
            ctx.timerService().registerProcessingTimeTimer(Math.max(deadline, timestamp + idleTtlMillis / 2 + 1));
            return;
        }
        if (forecasterState.value() != null) {
            metrics.streamExpired();
        }
        forecasterState.clear();
        pending.clear();
    }
}
