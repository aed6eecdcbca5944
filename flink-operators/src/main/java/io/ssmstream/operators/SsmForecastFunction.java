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
import io.ssmstream.operators.state.PendingEventsSerializer;
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
 *   <li>Ordering: an event waits in {@link #PENDING_STATE} until the watermark passes its time, so events that
 *       arrive out of order within the watermark's bounded out-of-orderness are applied in time order. A stream
 *       has one event-time timer, at its earliest waiting event; when it fires, every waiting event the
 *       watermark has passed is applied, in time order, and the timer moves to the next waiting event.</li>
 *   <li>Late events (at or behind the watermark when they arrive) go to {@link #DEAD_LETTERS} as {@code late}.</li>
 *   <li>Duplicates (same stream, same time) keep the first; the rest are counted and dropped.</li>
 *   <li>Idle streams: a processing-time timer clears all of a stream's state after {@code idleTtl} without
 *       events, so millions of short-lived keys do not grow state forever.</li>
 *   <li>Model updates: see {@link ActiveModel} for the switch point and how stream states follow. The accepted
 *       update and the model's bytes are kept in {@link #ACCEPTED_MODEL_STATE} (broadcast state), so a job
 *       restored from a checkpoint runs the model it had switched to, whatever its {@code --model} says.</li>
 * </ul>
 */
public class SsmForecastFunction extends KeyedBroadcastProcessFunction<String, SensorEvent, ModelUpdate, ForecastRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String FORECASTER_STATE = "ssm-forecaster";
    public static final String PENDING_STATE = "pending-events-v3";
    /**
     * The ordering buffer as the job's earlier versions kept it (a POJO); read only to carry a restored state's
     * waiting events over into {@link #PENDING_STATE}, at the stream's next timer.
     */
    public static final String LEGACY_PENDING_STATE = "pending-events-v2";
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
    private transient ValueState<ForecasterState> forecasterState;
    private transient ValueState<PendingEvents> pending;
    private transient ValueState<PendingEvents> legacyPending;
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

    /** Before {@link #open}: picks up the model accepted before a restore, if any. */
    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        restored = context.getOperatorStateStore().getBroadcastState(ACCEPTED_MODEL_STATE).get(swap.modelName());
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // Nothing of its own: the accepted model is in Flink's broadcast state, the streams in keyed state.
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
        pending = getRuntimeContext().getState(
                new ValueStateDescriptor<>(PENDING_STATE, PendingEventsSerializer.INSTANCE));
        legacyPending = getRuntimeContext().getState(
                new ValueStateDescriptor<>(LEGACY_PENDING_STATE, TypeInformation.of(PendingEvents.class)));
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

    /**
     * Applies, in time order, every waiting event the watermark has passed; the timer moves to the next one.
     * The stream's state is first made the current model's (rebuilt from its input window after a swap).
     */
    private void applyReleased(OnTimerContext ctx, Collector<ForecastRecord> out) throws Exception {
        PendingEvents waiting = waitingWithLegacy();
        if (waiting == null) {
            return;
        }
        int released = waiting.countUpTo(ctx.timerService().currentWatermark());
        if (released == 0) {
            return; // a timer left at an earlier "earliest" whose events were applied with a previous release
        }
        ForecasterState stored = forecasterState.value();
        if (stored == null) {
            metrics.streamAdded();
        }
        ForecasterState state = active.stateFor(stored);
        StreamForecaster forecaster = active.forecaster();
        String stream = ctx.getCurrentKey();
        for (int i = 0; i < released; i++) {
            out.collect(apply(forecaster, state, stream, waiting.ts(i), waiting.values(i)));
        }
        forecasterState.update(state);
        waiting.removeFirst(released);
        if (waiting.count() > 0) {
            ctx.timerService().registerEventTimeTimer(waiting.earliest());
        }
        pending.update(waiting);
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
        PendingEvents waiting = waitingWithLegacy();
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

    /**
     * The stream's waiting events, with those of a state restored from an earlier version of the job moved over
     * from {@link #LEGACY_PENDING_STATE} (a restored stream has timers for them, so its next timer gets here
     * before they are due; a time already waiting in both keeps the one that arrived first, the legacy one).
     */
    private PendingEvents waitingWithLegacy() throws Exception {
        PendingEvents waiting = pending.value();
        PendingEvents legacy = legacyPending.value();
        if (legacy == null) {
            return waiting;
        }
        if (waiting != null) {
            for (int i = 0; i < waiting.count(); i++) {
                legacy.insert(waiting.ts(i), waiting.values(i));
            }
            legacy.lastSeenMillis = Math.max(legacy.lastSeenMillis, waiting.lastSeenMillis);
        }
        legacyPending.clear();
        pending.update(legacy);
        return legacy;
    }
}
