package io.ssmstream.benchmarks.pipeline;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The Flink floor of the pipeline benchmark: what the SSM forecaster costs without the model. Per event it reads
 * the stream's {@code float[stateSize]} value state (as large as the SSM state), adds to every element its own
 * fixed increment (element 0's is 1: it counts the stream's events), writes it back and emits a
 * {@link ForecastRecord} like the forecaster's: values, forecast and std of {@code d_input} floats, an anomaly
 * score, the same model version string. Its numbers are as long in JSON as a model's: the forecast is the input,
 * the std a float of as many digits, and the score 0 during the scorer's warm-up
 * ({@link LikelihoodScorer#DEFAULT_WARM_UP} events per stream), then a double of full precision.
 *
 * <p>Why every element: the model's step reads and writes its whole state at every event, and with a million
 * streams no state is in a cache when its event comes, so moving a state of this size between memory and the core
 * is a cost of the state, not of the model. {@link Touch#ONE_FLOAT} changes element 0 only (the floor of the
 * benchmark's earlier versions), which pays for the state's size in checkpoints alone.
 *
 * <p>Why increments drawn at random, not 1 everywhere: RocksDB compresses its files (Snappy, Flink's default), and
 * a state whose floats are all alike shrinks to under a tenth there while a model's state does not shrink
 * ({@code PassThroughFunctionTest} compares them), so the floor would write, compact, cache and checkpoint a
 * fraction of the bytes the model's state needs. A new stream's state starts from the increments (element 0
 * from 0 events), so a {@link Touch#ONE_FLOAT} state is as incompressible.
 *
 * <p>Unlike {@code SsmForecastFunction} it applies events on arrival: no buffering until the watermark passes
 * them (no buffer of waiting events, no event-time timers) and no idle-stream timer.
 */
public final class PassThroughFunction extends KeyedProcessFunction<String, SensorEvent, ForecastRecord> {
    private static final long serialVersionUID = 1L;
    public static final String STATE = "pass-through-state";
    private static final long INCREMENTS_SEED = 0x5EED_F100L;

    /** How much of its state the function changes per event. */
    public enum Touch {
        EVERY_FLOAT,
        ONE_FLOAT
    }

    private final int stateSize;
    private final String modelVersion;
    private final Touch touch;
    private transient ValueState<float[]> state;
    private transient float[] increments; // (stateSize): element 0 is 1, the others in [0.5, 1.5)

    /**
     * @param stateSize    floats per stream, at least 1
     * @param modelVersion written into each output record
     * @param touch        whether each event changes every element of its stream's state or element 0 only
     */
    public PassThroughFunction(int stateSize, String modelVersion, Touch touch) {
        if (stateSize < 1) {
            throw new IllegalArgumentException("stateSize must be at least 1, got " + stateSize);
        }
        if (touch == null) {
            throw new IllegalArgumentException("touch must be given");
        }
        this.stateSize = stateSize;
        this.modelVersion = modelVersion;
        this.touch = touch;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>(STATE, PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
        increments = increments(stateSize);
    }

    /** The same on every task and run: the floor's work does not depend on where or when it runs. */
    static float[] increments(int stateSize) {
        SplittableRandom random = new SplittableRandom(INCREMENTS_SEED);
        float[] increments = new float[stateSize];
        increments[0] = 1;
        for (int i = 1; i < stateSize; i++) {
            increments[i] = (float) random.nextDouble(0.5, 1.5);
        }
        return increments;
    }

    @Override
    public void processElement(SensorEvent event, Context ctx, Collector<ForecastRecord> out) throws Exception {
        float[] s = state.value();
        if (s == null) {
            s = increments.clone();
            s[0] = 0;
        }
        int touched = touch == Touch.EVERY_FLOAT ? s.length : 1;
        for (int i = 0; i < touched; i++) {
            s[i] += increments[i]; // element 0: events of this stream, exact up to 2^24
        }
        state.update(s);
        long events = (long) s[0];
        float[] std = new float[event.values.length];
        for (int k = 0; k < std.length; k++) {
            std[k] = Math.abs(event.values[k]) + 0.5f;
        }
        double score = events <= LikelihoodScorer.DEFAULT_WARM_UP ? 0.0 : Math.abs(event.values[0]) / 3.0;
        out.collect(new ForecastRecord(event.stream, event.ts, event.values, event.values.clone(), std, score,
                modelVersion, events));
    }
}
