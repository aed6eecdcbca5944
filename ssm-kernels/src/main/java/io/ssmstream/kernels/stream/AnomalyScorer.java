package io.ssmstream.kernels.stream;

/**
 * Turns the forecast made before an event into an anomaly score in [0, 1] for that event. A scorer may keep a
 * small per-stream state (a flat float array it lays out itself, stored with the stream's forecaster state).
 * Implementations are stateless objects, shared by all streams of a thread.
 */
public interface AnomalyScorer {

    /** Stable name, stored with the state so that a scorer change is detected on restore. */
    String name();

    /** Floats of per-stream state this scorer needs for {@code dInput} channels. */
    int stateSize(int dInput);

    /** Fills a new stream's state ({@code stateSize} floats, zeros when called). Default: leaves zeros. */
    default void initState(float[] state) {
    }

    /**
     * Whether {@code state} is this scorer's, so that a state made by another scorer (restored from an older
     * job, after a scorer change) is replaced instead of misread. Default: the length matches.
     */
    default boolean owns(float[] state, int dInput) {
        return state.length == stateSize(dInput);
    }

    /**
     * @param values the event's values, (d_input)
     * @param mean   the forecast of this event made at the previous event, (d_input)
     * @param std    its standard deviation, (d_input), positive
     * @param state  this stream's scorer state, (stateSize), updated in place
     * @return the anomaly score in [0, 1]
     */
    double score(float[] values, float[] mean, float[] std, float[] state);
}
