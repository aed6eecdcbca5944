package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.model.SsmBatchRunner;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * One event of one stream, end to end, exactly as the Flink job, {@code replay} and {@code eval} all do it:
 * score the event against the forecast made before it, advance the SSM state with the event and its time gap,
 * keep the new forecast for the next event, and append the event to the state's input window (if it keeps
 * one). One instance per thread; allocates nothing per event.
 */
public final class StreamForecaster {
    /** The most streams one {@link #stepBatch} takes. */
    public static final int MAX_BATCH = 32;
    /** Streams per batch in {@link #warmUp}'s batched half: enough for the kernels' four-stream blocks. */
    private static final int WARM_UP_BATCH = 8;

    private final SsmRunner runner;
    private final AnomalyScorer scorer;
    private final int dInput;
    private BatchScratch batch; // made by the first stepBatch

    public StreamForecaster(SsmModel model, KernelOps ops, AnomalyScorer scorer) {
        this.runner = new SsmRunner(model, ops);
        this.scorer = scorer;
        this.dInput = model.config().dInput();
    }

    public SsmModel model() {
        return runner.model();
    }

    public KernelOps ops() {
        return runner.ops();
    }

    /** H of the model's direct head; 0 when it has none. */
    public int horizon() {
        return runner.model().config().horizon();
    }

    /**
     * The direct head's forecasts of the stream's next H events from its state (see {@code HorizonHead}).
     *
     * @return (H, d_input) row-major, raw units, a new array
     * @throws IllegalStateException when the model has no direct head
     */
    public float[] forecastHorizon(ForecasterState state) {
        float[] out = new float[horizon() * dInput];
        runner.forecastHorizon(state.ssm(), out);
        return out;
    }

    /** A new stream's state: zeros, no previous event, no model version, no input window. */
    public ForecasterState newState() {
        return newState(null, 0);
    }

    /**
     * A new stream's state: zeros, no previous event.
     *
     * @param modelVersion the version of this forecaster's model, recorded in the state
     * @param windowLength how many of the latest inputs the state keeps for {@link #rebuild}; 0 for none
     */
    public ForecasterState newState(String modelVersion, int windowLength) {
        return new ForecasterState(StreamState.zeros(runner.model()), ForecasterState.NO_EVENT, new float[dInput],
                new float[dInput], newScorerState(), modelVersion,
                windowLength == 0 ? InputWindow.NONE : new InputWindow(windowLength, dInput));
    }

    /**
     * A state for this forecaster's model rebuilt from {@code other}'s input window: a fresh state that replays
     * the window's events in order, as if this model had seen only them: the hidden state and the forecast are
     * this model's own. Carried over: the window (same events, same capacity), the stream's event count, and the
     * scorer's state when this forecaster's scorer made it. The scorer's state sums up the stream's history of
     * surprises (normalised by each forecast's own std, so comparable across models); starting it over from the
     * window would put every stream back into the scorer's warm-up, with no anomaly scored, at each swap. An
     * empty window gives a new stream's state. {@code other} is not changed.
     *
     * @param modelVersion the version of this forecaster's model, recorded in the new state
     * @throws IllegalArgumentException when the window's width is not this model's d_input
     */
    public ForecasterState rebuild(ForecasterState other, String modelVersion) {
        InputWindow window = other.window;
        if (window.size() > 0 && window.dInput() != dInput) {
            throw new IllegalArgumentException("the state's input window has " + window.dInput()
                    + " values per event, the model takes " + dInput);
        }
        ForecasterState fresh = newState(modelVersion, window.capacity());
        float[] values = new float[dInput];
        for (int i = 0; i < window.size(); i++) {
            window.values(i, values);
            step(fresh, window.tsMicros(i), values);
        }
        StreamState ssm = fresh.ssm.withEvents(other.ssm.events());
        float[] scorerState = window.size() > 0 && scorer.owns(other.scorer, dInput) ? other.scorer.clone()
                : fresh.scorer;
        return new ForecasterState(ssm, fresh.lastTsMicros, fresh.forecastMean, fresh.forecastStd, scorerState,
                modelVersion, fresh.window);
    }

    /**
     * Runs synthetic events (a noisy sine, one per model time unit) through scratch states until {@code events}
     * ran or {@code maxNanos} passed, so that the JIT compiles the kernels before real events wait on them: until
     * it does, the Vector API runs its Java fallback, which allocates every vector and is tens of times slower
     * than the compiled step (seconds of a job's start on a small machine). The first half goes through
     * {@link #step}, the second through {@link #stepBatch} in batches of {@value #WARM_UP_BATCH}, so both paths
     * are compiled. Changes no state but the scratch ones.
     *
     * @return how many events ran
     */
    public int warmUp(int events, long maxNanos) {
        ForecasterState scratch = newState();
        float[] values = new float[dInput];
        long stepMicros = Math.max(1L, Math.round(runner.model().config().dtUnitMs() * 1000));
        long deadline = System.nanoTime() + maxNanos;
        int single = events / 2;
        int done = 0;
        for (; done < single && System.nanoTime() - deadline < 0; done++) {
            warmUpValues(done, values);
            step(scratch, done * stepMicros, values);
        }
        ForecasterState[] states = new ForecasterState[WARM_UP_BATCH];
        for (int b = 0; b < WARM_UP_BATCH; b++) {
            states[b] = newState();
        }
        long[] ts = new long[WARM_UP_BATCH];
        float[][] batchValues = new float[WARM_UP_BATCH][dInput];
        double[] scores = new double[WARM_UP_BATCH];
        for (int round = 0; done < events && System.nanoTime() - deadline < 0; round++) {
            int batch = Math.min(WARM_UP_BATCH, events - done);
            for (int b = 0; b < batch; b++) {
                ts[b] = round * stepMicros;
                warmUpValues(round + 31 * b, batchValues[b]);
            }
            stepBatch(batch, states, ts, batchValues, scores);
            done += batch;
        }
        return done;
    }

    /** The synthetic event {@code i} of {@link #warmUp} into {@code values}. */
    private void warmUpValues(int i, float[] values) {
        for (int c = 0; c < dInput; c++) {
            values[c] = (float) (Math.sin(0.1 * i + c) + 0.01 * ((i * 7919 + c * 104729) % 201 - 100));
        }
    }

    public AnomalyScorer scorer() {
        return scorer;
    }

    private float[] newScorerState() {
        float[] s = new float[scorer.stateSize(dInput)];
        scorer.initState(s);
        return s;
    }

    /** Whether {@code state} was made for this model's layer sizes and this scorer. */
    public boolean fits(ForecasterState state) {
        return state.ssm.fits(runner.model()) && state.forecastMean.length == dInput
                && scorer.owns(state.scorer, dInput);
    }

    /**
     * Applies one event.
     *
     * @param tsMicros event time, epoch µs, not before the stream's previous event
     * @param values   (d_input), finite
     * @return the anomaly score of this event in [0, 1]; 0 for a stream's first event. The forecast for the
     *         next event is then in {@code state.forecastMean()} and {@code state.forecastStd()}. A scorer state
     *         that another scorer made (state restored after a scorer change) is replaced by a new one: the
     *         scorer starts over (its warm-up), the SSM state is kept.
     * @throws IllegalArgumentException when the event is older than the stream's previous event
     */
    public double step(ForecasterState state, long tsMicros, float[] values) {
        double score = 0;
        float tau = TimeGap.FIRST_EVENT;
        if (!scorer.owns(state.scorer, dInput)) {
            state.scorer = newScorerState();
        }
        if (state.hasEvents()) {
            tau = TimeGap.tau(state.lastTsMicros, tsMicros, runner.model().config().dtUnitMs());
            score = scorer.score(values, state.forecastMean, state.forecastStd, state.scorer);
        }
        runner.step(state.ssm, values, tau, state.forecastMean, state.forecastStd);
        state.lastTsMicros = tsMicros;
        state.window.add(tsMicros, values);
        return score;
    }

    /**
     * Applies one event to each of several streams at once: {@link #step} for each, with the model's forward
     * pass batched over the streams ({@link SsmBatchRunner}: every weight is read once for all of them). Each
     * stream's score, forecast and state are those {@link #step} gives it (bit for bit with the scalar kernels).
     *
     * @param batch    how many streams, in [1, {@link #MAX_BATCH}]
     * @param states   distinct streams' states, (batch)
     * @param tsMicros each event's time, epoch µs, not before its stream's previous event, (batch)
     * @param values   each event's values, (d_input), finite
     * @param scores   receives each event's anomaly score, (batch), as {@link #step} returns it
     * @throws IllegalArgumentException when batch is out of bounds or an event is older than its stream's
     *                                  previous one (checked for all before any state changes)
     */
    public void stepBatch(int batch, ForecasterState[] states, long[] tsMicros, float[][] values, double[] scores) {
        if (batch < 1 || batch > MAX_BATCH) {
            throw new IllegalArgumentException("batch must be in [1, " + MAX_BATCH + "], got " + batch);
        }
        if (this.batch == null) {
            this.batch = new BatchScratch();
        }
        BatchScratch scratch = this.batch;
        double dtUnitMs = runner.model().config().dtUnitMs();
        for (int b = 0; b < batch; b++) {
            ForecasterState state = states[b];
            scratch.taus[b] = state.hasEvents() ? TimeGap.tau(state.lastTsMicros, tsMicros[b], dtUnitMs)
                    : TimeGap.FIRST_EVENT;
        }
        for (int b = 0; b < batch; b++) {
            ForecasterState state = states[b];
            if (!scorer.owns(state.scorer, dInput)) {
                state.scorer = newScorerState();
            }
            scores[b] = state.hasEvents()
                    ? scorer.score(values[b], state.forecastMean, state.forecastStd, state.scorer) : 0;
            scratch.ssm[b] = state.ssm;
            System.arraycopy(values[b], 0, scratch.values, b * dInput, dInput);
        }
        scratch.runner.step(batch, scratch.ssm, scratch.values, scratch.taus, scratch.means, scratch.stds);
        for (int b = 0; b < batch; b++) {
            ForecasterState state = states[b];
            System.arraycopy(scratch.means, b * dInput, state.forecastMean, 0, dInput);
            System.arraycopy(scratch.stds, b * dInput, state.forecastStd, 0, dInput);
            state.lastTsMicros = tsMicros[b];
            state.window.add(tsMicros[b], values[b]);
            scratch.ssm[b] = null;
        }
    }

    /** {@link #stepBatch}'s working memory. */
    private final class BatchScratch {
        private final SsmBatchRunner runner = new SsmBatchRunner(StreamForecaster.this.runner.model(),
                StreamForecaster.this.runner.ops(), MAX_BATCH);
        private final StreamState[] ssm = new StreamState[MAX_BATCH];  // (MAX_BATCH): the call's SSM states
        private final float[] taus = new float[MAX_BATCH];             // (MAX_BATCH)
        private final float[] means = new float[MAX_BATCH * dInput];   // (MAX_BATCH, d_input)
        private final float[] stds = new float[MAX_BATCH * dInput];    // (MAX_BATCH, d_input)
        private final float[] values = new float[MAX_BATCH * dInput];  // (MAX_BATCH, d_input): the events' values
    }
}
