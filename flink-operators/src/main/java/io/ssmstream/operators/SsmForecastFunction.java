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
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.function.SupplierWithException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-stream forecaster: keeps one SSM state per stream id in Flink keyed state and applies the stream's
 * events in event-time order; takes model updates from a broadcast input.
 * <ul>
 *   <li>Ordering: an event waits in memory ({@link WaitingStreams}, checkpointed into operator state) until the
 *       watermark passes its time, so events that arrive out of order within the watermark's bounded
 *       out-of-orderness are applied in time order. Each watermark, before it moves on, applies every waiting
 *       event it passes ({@link #applyReleased}, called by {@link ForecasterOperator}): a stream's state is read
 *       and written once for all of its events one watermark releases.</li>
 *   <li>Late events (at or behind the watermark when they arrive) go to {@link #DEAD_LETTERS} as {@code late}.</li>
 *   <li>Duplicates (same stream, same time) keep the first; the rest are counted and dropped.</li>
 *   <li>Idle streams: a stream whose next event comes more than {@code idleTtl} after its last one starts over
 *       from a new state, as if it had never been seen (Flink's state TTL likewise never returns an expired
 *       value), so what its events give depends on their times alone: {@code ssm-stream replay --idle-ttl} does
 *       the same. The state of a stream whose last event is more than {@code idleTtl} behind the watermark is
 *       dropped, so millions of short-lived keys do not grow state forever: once per TTL of event time a sweep
 *       looks at every stream ({@link IdleSweep}, called by {@link ForecasterOperator} with each watermark), and
 *       drops an idle stream between one and two TTLs after its last event (plus the sweep's length, 64
 *       watermarks). Events still waiting for such a stream are all more than a TTL after its last one (they are
 *       ahead of the watermark), so they start it over either way. Applying events writes nothing for the sweep,
 *       and it sets no timer.</li>
 *   <li>Model updates: see {@link ActiveModel} for the switch point and how stream states follow. The accepted
 *       update and the model's bytes are kept in {@link #ACCEPTED_MODEL_STATE} (broadcast state), so a job
 *       restored from a checkpoint runs the model it had switched to, whatever its {@code --model} says.</li>
 * </ul>
 */
public class SsmForecastFunction extends KeyedBroadcastProcessFunction<String, SensorEvent, ModelUpdate, ForecastRecord>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String FORECASTER_STATE = "ssm-forecaster";
    /** Operator state of the events waiting for the watermark (see {@link WaitingStreams}). */
    public static final String WAITING_STATE = WaitingStreams.STATE;
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") { };
    /** Broadcast state: model name to the update this forecaster accepted last. */
    public static final MapStateDescriptor<String, AcceptedModel> ACCEPTED_MODEL_STATE = new MapStateDescriptor<>(
            "accepted-model", Types.STRING, TypeInformation.of(AcceptedModel.class));

    /**
     * Released streams stepped together by default: at d_model 64 a Mamba layer's weights are read once per 16
     * events instead of once per event (BENCHMARKS.md, batched step).
     */
    public static final int DEFAULT_BATCH_STREAMS = 16;

    /** Enough calls for the JIT's last tier to compile every kernel (thousands of calls each). */
    static final int WARM_UP_EVENTS = 20_000;
    /** A bound on the job's start-up on a slow or busy machine, where compilation takes longer. */
    static final long WARM_UP_MAX_NANOS = 3_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(SsmForecastFunction.class);

    private final ModelArtifact model;
    private final long idleTtlMillis;
    private final double anomalyThreshold;
    private final SwapSettings swap;
    private final int batchStreams;

    private transient AcceptedModel restored;
    private transient ActiveModel active;
    private transient WaitingStreams waiting;
    private transient ValueState<ForecasterState> forecasterState;
    private transient IdleSweep idleSweep;
    private transient ForecastMetrics metrics;
    private transient ReleasedBatch batch;
    private transient BatchRound round;

    /**
     * @param model            the model to run until an update is accepted
     * @param idleTtl          how long (event time) a stream may go without events before its state is dropped (by
     *                         twice this)
     * @param anomalyThreshold score from which an event counts as an anomaly in the metrics, in (0, 1]
     * @param swap             which updates apply and how long each stream's input window is
     * @param batchStreams     how many released streams are stepped together, in [1, {@value
     *                         StreamForecaster#MAX_BATCH}]; 1 steps one event at a time (see {@link #applyReleased})
     */
    public SsmForecastFunction(ModelArtifact model, Duration idleTtl, double anomalyThreshold, SwapSettings swap,
                               int batchStreams) {
        if (idleTtl == null || idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("idleTtl must be positive, got " + idleTtl);
        }
        if (!(anomalyThreshold > 0 && anomalyThreshold <= 1)) {
            throw new IllegalArgumentException("anomalyThreshold must be in (0, 1], got " + anomalyThreshold);
        }
        if (swap == null) {
            throw new IllegalArgumentException("swap settings must be given");
        }
        if (batchStreams < 1 || batchStreams > StreamForecaster.MAX_BATCH) {
            throw new IllegalArgumentException("batchStreams must be in [1, " + StreamForecaster.MAX_BATCH
                    + "], got " + batchStreams);
        }
        this.model = model;
        this.idleTtlMillis = idleTtl.toMillis();
        this.anomalyThreshold = anomalyThreshold;
        this.swap = swap;
        this.batchStreams = batchStreams;
    }

    /** With {@value #DEFAULT_BATCH_STREAMS} streams stepped together. */
    public SsmForecastFunction(ModelArtifact model, Duration idleTtl, double anomalyThreshold, SwapSettings swap) {
        this(model, idleTtl, anomalyThreshold, swap, DEFAULT_BATCH_STREAMS);
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
                new ValueStateDescriptor<>(FORECASTER_STATE, new ForecasterStateSerializer()));
        idleSweep = new IdleSweep(idleTtlMillis);
        batch = new ReleasedBatch(batchStreams);
        round = new BatchRound(batchStreams);
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
        if (!waiting.insert(ctx.getCurrentKey(), event.ts, event.values)) {
            metrics.duplicate();
        }
    }

    /**
     * Moves waiting events kept by an earlier version of the job in keyed state (restored from its savepoint)
     * into the in-memory buffer.
     */
    void adoptEarlierVersionsWaiting(String stream, PendingEvents events) {
        waiting.adopt(stream, events);
    }

    /**
     * Timers are those an earlier version of the job set (restored from its savepoint): event-time ones at each
     * stream's earliest waiting event, whose events {@link #applyReleased} applies now, and processing-time ones
     * that looked for idle streams, which {@link #sweepIdle} does now. Both are let go.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ForecastRecord> out) {
    }

    /**
     * Applies every waiting event {@code watermark} passes, each stream's in time order; {@link ForecasterOperator}
     * calls it before the watermark moves on. A stream's state is first made the current model's (rebuilt from
     * its input window after a swap). The released streams are taken {@code batchStreams} at a time
     * ({@link ReleasedBatch}) and their events stepped together, round by round (the first released event of
     * each, then the next, ...): every weight of the model is read once per round instead of once per event, and
     * each event's forecast and score are those of stepping it alone (see
     * {@link StreamForecaster#stepBatch}). The forecasts leave round by round: in time order within a stream.
     *
     * @param keys makes a stream the keyed state's current key
     * @param out  the forecasts, each with its event's time as the record's timestamp
     */
    void applyReleased(long watermark, Consumer<String> keys, TimestampedCollector<ForecastRecord> out)
            throws Exception {
        for (PendingEvents events = waiting.nextReleased(watermark); events != null;
                events = waiting.nextReleased(watermark)) {
            if (batch.holds(events)) {
                continue; // an entry the stream left behind, see ReleasedBatch#holds
            }
            String stream = waiting.releasedStream();
            keys.accept(stream);
            ForecasterState stored = forecasterState.value();
            batch.add(stream, events, events.countUpTo(watermark), stored, active.stateFor(stored));
            if (batch.isFull()) {
                applyBatch(keys, out);
            }
        }
        if (batch.size() > 0) {
            applyBatch(keys, out);
        }
    }

    /** Steps the batch's released events round by round, then stores each stream's state and empties the batch. */
    private void applyBatch(Consumer<String> keys, TimestampedCollector<ForecastRecord> out) throws Exception {
        StreamForecaster forecaster = active.forecaster();
        while (nextRound()) {
            long start = System.nanoTime();
            round.step(forecaster);
            long share = (System.nanoTime() - start) / round.size();
            for (int k = 0; k < round.size(); k++) {
                double score = round.score(k);
                metrics.stepped(share, score >= anomalyThreshold);
                long ts = round.tsMillis(k);
                out.setAbsoluteTimestamp(ts);
                out.collect(record(forecaster, round.state(k), batch.stream(round.slot(k)), ts,
                        round.eventValues(k), score));
                batch.countApplied(round.slot(k));
            }
            round.clear();
        }
        for (int i = 0; i < batch.size(); i++) {
            String stream = batch.stream(i);
            keys.accept(stream);
            forecasterState.update(batch.state(i));
            if (batch.stored(i) == null) {
                metrics.streamAdded();
            }
            waiting.applied(stream, batch.events(i), batch.released(i));
        }
        batch.clear();
    }

    /** Fills {@link #round} with the next released event of each stream that has one; false when none has. */
    private boolean nextRound() {
        for (int i = 0; i < batch.size(); i++) {
            int next = batch.applied(i);
            if (next == batch.released(i)) {
                continue;
            }
            PendingEvents events = batch.events(i);
            long ts = events.ts(next);
            ForecasterState state = batch.state(i);
            if (state.hasEvents() && idleAt(state, ts)) {
                state = active.stateFor(null); // a TTL since its last event: start over, see the class comment
                batch.setState(i, state);
            }
            round.add(i, state, ts, events.values(next));
        }
        return round.size() > 0;
    }

    private static ForecastRecord record(StreamForecaster forecaster, ForecasterState state, String stream, long ts,
                                         float[] values, double score) {
        float[] horizon = forecaster.horizon() == 0 ? null : forecaster.forecastHorizon(state);
        return new ForecastRecord(stream, ts, values, state.forecastMean().clone(), state.forecastStd().clone(),
                score, state.modelVersion(), state.ssm().events(), horizon);
    }

    /** Whether the stream's last event is more than a TTL before {@code timeMillis} (see {@link IdleSweep#isIdle}). */
    private boolean idleAt(ForecasterState state, long timeMillis) {
        return idleSweep.isIdle(Math.floorDiv(state.lastTsMicros(), 1000L), timeMillis);
    }

    /**
     * Drops the idle streams among this watermark's share of the idle sweep ({@link IdleSweep}); after
     * {@link #applyReleased}, so a stream's events this watermark releases count.
     *
     * @param keys    makes a stream the keyed state's current key
     * @param streams the subtask's streams with state
     */
    void sweepIdle(long watermark, Consumer<String> keys,
                   SupplierWithException<List<String>, Exception> streams) throws Exception {
        idleSweep.onWatermark(watermark, streams, stream -> {
            keys.accept(stream);
            ForecasterState stored = forecasterState.value();
            if (stored != null && idleAt(stored, watermark)) {
                forecasterState.clear();
                metrics.streamExpired();
            }
        });
    }
}
