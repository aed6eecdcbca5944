package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.state.ForecasterStateSerializer;
import io.ssmstream.operators.swap.AcceptedModel;
import io.ssmstream.operators.swap.ActiveModel;
import io.ssmstream.operators.swap.ModelFetcher;
import io.ssmstream.operators.swap.SwapMetrics;
import io.ssmstream.operators.swap.SwapSettings;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-stream forecaster: keeps one SSM state per stream id in Flink keyed state and applies the stream's
 * events in event-time order; takes model updates from a broadcast input.
 * <ul>
 *   <li>Ordering: an event waits in memory ({@link WaitingStreams}, checkpointed into operator state) until the
 *       watermark passes its time, so events that arrive out of order within the watermark's bounded
 *       out-of-orderness are applied in time order. A stream has one event-time timer, at its earliest waiting
 *       event; when it fires, every waiting event the watermark has passed is applied, in time order, and the
 *       timer moves to the next waiting event.</li>
 *   <li>Late events (at or behind the watermark when they arrive) go to {@link #DEAD_LETTERS} as {@code late}.</li>
 *   <li>Duplicates (same stream, same time) keep the first; the rest are counted and dropped.</li>
 *   <li>Idle streams: a processing-time timer clears all of a stream's state after {@code idleTtl} without
 *       events, so millions of short-lived keys do not grow state forever. The time of the stream's last
 *       arrival is kept in {@link #LAST_ACTIVE_STATE} when its events are applied.</li>
 *   <li>Model updates: see {@link ActiveModel} for the switch point and how stream states follow. The accepted
 *       update and the model's bytes are kept in {@link #ACCEPTED_MODEL_STATE} (broadcast state), so a job
 *       restored from a checkpoint runs the model it had switched to, whatever its {@code --model} says.</li>
 * </ul>
 */
public class SsmForecastFunction extends KeyedBroadcastProcessFunction<String, SensorEvent, ModelUpdate, ForecastRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String FORECASTER_STATE = "ssm-forecaster";
    /** Processing time (epoch ms) of the stream's last arrival among the events applied so far. */
    public static final String LAST_ACTIVE_STATE = "last-active";
    /** Operator state of the events waiting for the watermark (see {@link WaitingStreams}). */
    public static final String WAITING_STATE = WaitingStreams.STATE;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };
    /** Broadcast state: model name to the update this forecaster accepted last. */
    public static final MapStateDescriptor<String, AcceptedModel> ACCEPTED_MODEL_STATE = new MapStateDescriptor<>(
            "accepted-model", Types.STRING, TypeInformation.of(AcceptedModel.class));

    /** Enough calls for the JIT's last tier to compile every kernel (thousands of calls each). */
    static final int WARM_UP_EVENTS = 20_000;
    /** A bound on the job's start-up on a slow or busy machine, where compilation takes longer. */
    static final long WARM_UP_MAX_NANOS = 3_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(SsmForecastFunction.class);

    private final ModelArtifact model;
    private final long idleTtlMillis;
    private final double anomalyThreshold;
    private final SwapSettings swap;

    private transient AcceptedModel restored;
    private transient ActiveModel active;
    private transient WaitingStreams waiting;
    private transient ValueState<ForecasterState> forecasterState;
    private transient ValueState<Long> lastActive;
    private transient ForecastMetrics metrics;

    /**
     * @param model            the model to run until an update is accepted
     * @param idleTtl          how long a stream may go without events before its state is dropped
     * @param anomalyThreshold score from which an event counts as an anomaly in the metrics, in (0, 1]
     * @param swap             which updates apply and how long each stream's input window is
     */
    public SsmForecastFunction(ModelArtifact model, Duration idleTtl, double anomalyThreshold, SwapSettings swap) {
        if (idleTtl == null || idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("idleTtl must be positive, got " + idleTtl);
        }
        if (!(anomalyThreshold > 0 && anomalyThreshold <= 1)) {
            throw new IllegalArgumentException("anomalyThreshold must be in (0, 1], got " + anomalyThreshold);
        }
        if (swap == null) {
            throw new IllegalArgumentException("swap settings must be given");
        }
        this.model = model;
        this.idleTtlMillis = idleTtl.toMillis();
        this.anomalyThreshold = anomalyThreshold;
        this.swap = swap;
    }

    /** With the default swap settings (model name {@code default}, a window of 64 events). */
    public SsmForecastFunction(ModelArtifact model, Duration idleTtl, double anomalyThreshold) {
        this(model, idleTtl, anomalyThreshold, SwapSettings.defaults());
    }

    /**
     * Before {@link #open}: picks up the model accepted before a restore, if any, and the events that were
     * waiting for the watermark in this subtask's key groups.
     */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        restored = context.getOperatorStateStore().getBroadcastState(ACCEPTED_MODEL_STATE).get(swap.modelName());
        waiting = WaitingStreams.restore(context.getOperatorStateStore(), getRuntimeContext().getTaskInfo());
    }

    /** The accepted model is in Flink's broadcast state, the streams in keyed state; the waiting events here. */
    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waiting.snapshot();
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new ForecastMetrics(getRuntimeContext().getMetricGroup(), () -> active.version());
        active = new ActiveModel(model, swap, KernelOpsProvider.get(), new LikelihoodScorer(),
                new ModelFetcher(model.dInput()), new SwapMetrics(metrics.group()));
        if (restored != null) {
            active.restore(restored);
            restored = null;
        }
        warmUpKernels();
        forecasterState = getRuntimeContext().getState(
                new ValueStateDescriptor<>(FORECASTER_STATE, ForecasterStateSerializer.INSTANCE));
        lastActive = getRuntimeContext().getState(new ValueStateDescriptor<>(LAST_ACTIVE_STATE, Types.LONG));
    }

    /** Compiles the model's kernels before the first event (see {@link StreamForecaster#warmUp}). */
    private void warmUpKernels() {
        long start = System.nanoTime();
        int events = active.forecaster().warmUp(WARM_UP_EVENTS, WARM_UP_MAX_NANOS);
        LOG.info("kernel warm-up ({}): {} synthetic events in {} ms", active.forecaster().ops().name(), events,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** The switch point: an accepted update is the current model from here on (see {@link ActiveModel}). */
    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<ForecastRecord> out)
            throws Exception {
        AcceptedModel accepted = active.offer(update);
        if (accepted != null) {
            ctx.getBroadcastState(ACCEPTED_MODEL_STATE).put(swap.modelName(), accepted);
        }
    }

    @Override
    public void processElement(SensorEvent event, ReadOnlyContext ctx, Collector<ForecastRecord> out)
            throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        if (event.ts <= watermark) {
            metrics.deadLettered(DeadLetterReason.LATE);
            ctx.output(DEAD_LETTERS, DeadLetter.late(event, watermark));
            return;
        }
        switch (waiting.insert(ctx.getCurrentKey(), event.ts, event.values,
                ctx.timerService().currentProcessingTime())) {
            case DUPLICATE -> metrics.duplicate();
            // The stream's timer stands at its earliest waiting event: this one is now the earliest.
            case EARLIEST -> ctx.timerService().registerEventTimeTimer(event.ts);
            case BEHIND -> { }
        }
    }

    /**
     * Moves waiting events kept by an earlier version of the job in keyed state (restored from its savepoint)
     * into the in-memory buffer; the keyed state backend's current key is {@code stream}.
     */
    void adoptEarlierVersionsWaiting(String stream, PendingEvents events) throws Exception {
        waiting.adopt(stream, events);
        Long last = lastActive.value();
        lastActive.update(last == null ? events.lastSeenMillis : Math.max(last, events.lastSeenMillis));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            applyReleased(ctx, out);
            return;
        }
        expireIfIdle(timestamp, ctx);
    }

    /**
     * Applies, in time order, every waiting event the watermark has passed; the timer moves to the next one.
     * The stream's state is first made the current model's (rebuilt from its input window after a swap).
     */
    private void applyReleased(OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        String stream = ctx.getCurrentKey();
        PendingEvents events = waiting.of(stream);
        if (events == null) {
            return;
        }
        int released = events.countUpTo(ctx.timerService().currentWatermark());
        if (released == 0) {
            return; // a timer left at an earlier "earliest" whose events were applied with a previous release
        }
        ForecasterState stored = forecasterState.value();
        if (stored == null) {
            metrics.streamAdded();
            ctx.timerService().registerProcessingTimeTimer(
                    ctx.timerService().currentProcessingTime() + idleTtlMillis);
        }
        ForecasterState state = active.stateFor(stored);
        StreamForecaster forecaster = active.forecaster();
        for (int i = 0; i < released; i++) {
            out.collect(apply(forecaster, state, stream, events.ts(i), events.values(i)));
        }
        forecasterState.update(state);
        lastActive.update(events.lastSeenMillis);
        events.removeFirst(released);
        if (events.count() > 0) {
            ctx.timerService().registerEventTimeTimer(events.earliest());
        } else {
            waiting.remove(stream);
        }
    }

    private ForecastRecord apply(StreamForecaster forecaster, ForecasterState state, String stream, long ts,
                                 float[] values) {
        long start = System.nanoTime();
        double score = forecaster.step(state, ts * 1000L, values);
        metrics.stepped(System.nanoTime() - start, score >= anomalyThreshold);
        return new ForecastRecord(stream, ts, values, state.forecastMean().clone(), state.forecastStd().clone(),
                score, state.modelVersion(), state.ssm().events());
    }

    private void expireIfIdle(long timestamp, OnTimerContext ctx) throws Exception {
        PendingEvents events = waiting.of(ctx.getCurrentKey());
        Long last = events != null ? Long.valueOf(events.lastSeenMillis) : lastActive.value();
        if (last != null && (timestamp < last + idleTtlMillis || events != null)) {
            // Events came since this timer was set, or some still wait for the watermark: look again later.
            ctx.timerService().registerProcessingTimeTimer(
                    Math.max(last + idleTtlMillis, timestamp + idleTtlMillis / 2 + 1));
            return;
        }
        if (forecasterState.value() != null) {
            metrics.streamExpired();
        }
        forecasterState.clear();
        lastActive.clear();
    }
}
