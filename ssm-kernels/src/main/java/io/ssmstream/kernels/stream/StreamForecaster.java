package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * One event of one stream, end to end, exactly as the Flink job, {@code replay} and {@code eval} all do it:
 * score the event against the forecast made before it, advance the SSM state with the event and its time gap,
 * and keep the new forecast for the next event. One instance per thread; allocates nothing per event.
 */
public final class StreamForecaster {
    private final SsmRunner runner;
    private final AnomalyScorer scorer;
    private final int dInput;

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

    /** A new stream's state: zeros, no previous event. */
    public ForecasterState newState() {
        return new ForecasterState(StreamState.zeros(runner.model()), ForecasterState.NO_EVENT, new float[dInput],
                new float[dInput], newScorerState());
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
        return score;
    }
}
