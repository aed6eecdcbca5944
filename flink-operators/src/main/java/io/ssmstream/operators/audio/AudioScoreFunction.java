package io.ssmstream.operators.audio;

import io.ssmstream.connectors.audio.AudioChunk;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.NllQuantileScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.state.AudioFrontEndStateSerializer;
import io.ssmstream.operators.state.ForecasterStateSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-stream audio scorer: chunk → {@link AudioFrontEnd} (log-mel frames, the partial frame kept in keyed
 * state) → each frame one SSM event through the kernels' {@link StreamForecaster} (forecast of the next frame,
 * anomaly score of this one) → the scores reduced to one {@link AudioScoreRecord} per stream per interval
 * (mean, max, frame count, gaps and overlaps).
 * <ul>
 *   <li>Chunks of a stream are applied in arrival order (they arrive in order within a Kafka partition); a gap
 *       or overlap between consecutive chunks is handled by the front end and counted in the metrics and in the
 *       record of the interval current after that chunk; a change of sample rate restarts the front end and
 *       counts as a gap.</li>
 *   <li>An interval's record is emitted when the stream's first frame of a later interval arrives, or when the
 *       watermark passes the interval's end plus one window (an event-time timer), so a stream that stops
 *       still reports its last interval. Frames arriving after that (from chunks behind the watermark) are
 *       reported in a second record for the same interval.</li>
 *   <li>Idle streams: every state has a processing-time TTL of {@code idleTtl}.</li>
 * </ul>
 */
public class AudioScoreFunction extends KeyedProcessFunction<String, AudioChunk, AudioScoreRecord> {
    private static final long serialVersionUID = 1L;

    public static final String FRONT_END_STATE = "audio-front-end";
    public static final String FORECASTER_STATE = "audio-ssm-forecaster";
    public static final String INTERVAL_STATE = "audio-interval-scores";

    private final ModelArtifact model;
    private final AudioFeatures features;
    private final long intervalMillis;
    private final long idleTtlMillis;
    private final long windowMillis;

    private transient StreamForecaster forecaster;
    private transient Map<Integer, AudioFrontEnd> frontEnds;
    private transient ValueState<AudioFrontEndState> frontEndState;
    private transient ValueState<ForecasterState> forecasterState;
    private transient ValueState<IntervalScores> intervalState;
    private transient AudioMetrics metrics;
    private transient AudioFrontEnd.FrameListener onFrame;
    // the chunk being processed, for onFrame
    private transient ForecasterState stepping;
    private transient IntervalScores interval;
    private transient Context context;
    private transient Collector<AudioScoreRecord> out;

    /**
     * @param features the front end the model was trained with; its bands must equal the model's d_input
     * @param interval reporting interval, e.g. 1 s
     * @param idleTtl  how long a stream may go without chunks before its state is dropped
     */
    public AudioScoreFunction(ModelArtifact model, AudioFeatures features, Duration interval, Duration idleTtl) {
        int dInput = model.load().config().dInput();
        if (dInput != features.bands()) {
            throw new IllegalArgumentException("the model's d_input is " + dInput + " but the front end makes "
                    + features.bands() + " bands");
        }
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("the reporting interval must be at least 1 ms, got " + interval);
        }
        if (idleTtl == null || idleTtl.toMillis() < 1) {
            throw new IllegalArgumentException("idleTtl must be at least 1 ms, got " + idleTtl);
        }
        this.model = model;
        this.features = features;
        this.intervalMillis = interval.toMillis();
        this.idleTtlMillis = idleTtl.toMillis();
        this.windowMillis = (long) Math.ceil(features.windowMs());
    }

    @Override
    public void open(OpenContext openContext) {
        SsmModel loaded = model.load();
        forecaster = new StreamForecaster(loaded, KernelOpsProvider.get(), NllQuantileScorer.forModel(loaded,
                "model " + model.version()));
        frontEnds = new HashMap<>();
        StateTtlConfig ttl = StateTtlConfig.newBuilder(Duration.ofMillis(idleTtlMillis))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired).build();
        ValueStateDescriptor<AudioFrontEndState> fe =
                new ValueStateDescriptor<>(FRONT_END_STATE, AudioFrontEndStateSerializer.INSTANCE);
        ValueStateDescriptor<ForecasterState> fc =
                new ValueStateDescriptor<>(FORECASTER_STATE, new ForecasterStateSerializer());
        ValueStateDescriptor<IntervalScores> iv =
                new ValueStateDescriptor<>(INTERVAL_STATE, TypeInformation.of(IntervalScores.class));
        fe.enableTimeToLive(ttl);
        fc.enableTimeToLive(ttl);
        iv.enableTimeToLive(ttl);
        frontEndState = getRuntimeContext().getState(fe);
        forecasterState = getRuntimeContext().getState(fc);
        intervalState = getRuntimeContext().getState(iv);
        metrics = new AudioMetrics(getRuntimeContext().getMetricGroup());
        onFrame = this::frame;
    }

    @Override
    public void processElement(AudioChunk chunk, Context ctx, Collector<AudioScoreRecord> collector) throws Exception {
        metrics.chunks.inc();
        AudioFrontEnd frontEnd = frontEnds.computeIfAbsent(chunk.sampleRate, rate -> new AudioFrontEnd(features, rate));
        AudioFrontEndState fe = frontEndState.value();
        boolean rateChanged = fe != null && fe.started() && fe.sampleRate() != chunk.sampleRate;
        if (fe == null || !frontEnd.fits(fe)) {
            fe = frontEnd.newState();
        }
        ForecasterState fc = forecasterState.value();
        stepping = fc == null ? forecaster.newState() : fc;
        interval = intervalState.value();
        context = ctx;
        out = collector;

        long discontinuity = frontEnd.process(fe, chunk.startMicros, chunk.samples, 0, chunk.samples.length, onFrame);
        if (rateChanged) {
            metrics.sampleRateChanges.inc();
            discontinuity = Math.max(1, discontinuity);
        }
        if (discontinuity != 0) {
            metrics.discontinuity(discontinuity);
            if (interval == null) {
                interval = openInterval(intervalStart(chunk.startMillis()));
            }
            interval.discontinuity(discontinuity);
        }
        frontEndState.update(fe);
        forecasterState.update(stepping);
        if (interval != null) {
            intervalState.update(interval);
        } else {
            intervalState.clear();
        }
        context = null;
        out = null;
    }

    /** One frame: score it against the previous frame's forecast, advance the SSM, add the score. */
    private void frame(long tsMicros, float[] bands) {
        if (stepping.hasEvents() && tsMicros <= stepping.lastTsMicros()) {
            metrics.framesOutOfOrder.inc();
            return;
        }
        double score = forecaster.step(stepping, tsMicros, bands);
        metrics.frames.inc();
        long start = intervalStart(Math.floorDiv(tsMicros, 1000));
        if (interval != null && interval.start != start) {
            emit(interval);
            interval = null;
        }
        if (interval == null) {
            interval = openInterval(start);
        }
        interval.add(score);
    }

    private long intervalStart(long millis) {
        return Math.floorDiv(millis, intervalMillis) * intervalMillis;
    }

    private IntervalScores openInterval(long start) {
        context.timerService().registerEventTimeTimer(start + intervalMillis + windowMillis);
        return new IntervalScores(start, start + intervalMillis);
    }

    private void emit(IntervalScores done) {
        context.timerService().deleteEventTimeTimer(done.end + windowMillis);
        metrics.intervals.inc();
        out.collect(done.toRecord(context.getCurrentKey(), model.version()));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AudioScoreRecord> collector) throws Exception {
        IntervalScores pending = intervalState.value();
        if (pending != null && timestamp >= pending.end + windowMillis) {
            metrics.intervals.inc();
            collector.collect(pending.toRecord(ctx.getCurrentKey(), model.version()));
            intervalState.clear();
        }
    }
}
