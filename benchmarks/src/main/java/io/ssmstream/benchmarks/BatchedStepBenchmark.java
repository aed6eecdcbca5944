package io.ssmstream.benchmarks;

import io.ssmstream.kernels.model.SsmBatchRunner;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOps;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One event of each of {@code batch} streams through a one-layer, one-input model: {@code single} steps them one
 * after the other ({@link SsmRunner#step}, what the job does without batching), {@code batched} in one pass over
 * the weights ({@link SsmBatchRunner#step}). One op is all {@code batch} events: ns per event per layer is the
 * score divided by {@code batch} (BENCHMARKS.md does the division).
 *
 * <p>Each stream has its own state, primed at its own offset into the series, and each op feeds every stream
 * the next value of its own position, so the states evolve as real streams do and differ from each other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class BatchedStepBenchmark {

    /** {@code arch-dModel-dState}, see {@link BenchModels}. */
    @Param({"mamba-16-16", "mamba-64-16", "mamba-128-16"})
    public String model;

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"1", "4", "16", "32"})
    public int batch;

    private SsmRunner single;
    private SsmBatchRunner batched;
    private StreamState[] states;
    private float[] series;
    private float[] values;
    private float[] taus;
    private float[] means;
    private float[] stds;
    private final float[] one = new float[1];
    private final float[] mean = new float[1];
    private final float[] std = new float[1];
    private int t;

    @Setup
    public void setUp() {
        SsmModel m = BenchModels.model(model, false);
        KernelOps ops = BenchModels.ops(impl);
        single = new SsmRunner(m, ops);
        batched = new SsmBatchRunner(m, ops, batch);
        series = BenchModels.series();
        states = new StreamState[batch];
        for (int b = 0; b < batch; b++) {
            states[b] = StreamState.zeros(m);
            for (int i = 0; i <= b; i++) { // offsets the streams' histories
                one[0] = series[i];
                single.step(states[b], one, 1f, mean, std);
            }
            BenchModels.prime(single, states[b], series, new float[] {1f});
        }
        values = new float[batch];
        taus = new float[batch];
        Arrays.fill(taus, 1f);
        means = new float[batch];
        stds = new float[batch];
    }

    @Benchmark
    public float single() {
        int at = t++;
        float sum = 0;
        for (int b = 0; b < batch; b++) {
            one[0] = series[(at + 97 * b) & (BenchModels.SERIES_LENGTH - 1)];
            single.step(states[b], one, 1f, mean, std);
            sum += mean[0];
        }
        return sum;
    }

    @Benchmark
    public float batched() {
        int at = t++;
        for (int b = 0; b < batch; b++) {
            values[b] = series[(at + 97 * b) & (BenchModels.SERIES_LENGTH - 1)];
        }
        batched.step(batch, states, values, taus, means, stds);
        return means[0] + means[batch - 1];
    }
}
