package io.ssmstream.benchmarks;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
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
 * Nanoseconds per event of what a direct head ({@code HorizonHead}) adds, on the model {@code eval forecast}
 * measures in QUALITY.md: LRU, d_model 16, 2 layers, d_state 16, one input, a head with 42 modes (a daily season
 * of hourly rows) for the next H events. {@code step}: one event through the whole model, head included (its SSM
 * update is 42 complex multiply-adds per channel); {@code stepWithoutHead}: the same model without one;
 * {@code forecastHorizon}: the head's H forecasts from the stream's state (one (H, 2·42 + 16) matrix-vector
 * product), which the job does once per event when the model has a head. Random head weights: the cost does
 * not depend on their values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class HorizonHeadBenchmark {
    private static final int MODES = 42;

    @Param({"96", "336"})
    public int horizon;

    @Param({"scalar", "vector"})
    public String impl;

    private SsmRunner withHead;
    private SsmRunner withoutHead;
    private StreamState headState;
    private StreamState plainState;
    private float[] series;
    private final float[] event = new float[1];
    private final float[] mean = new float[1];
    private final float[] std = new float[1];
    private float[] forecasts;
    private int t;

    @Setup
    public void setUp() {
        ModelConfig plain = ModelConfig.builder(Arch.LRU, 1).dModel(16).nLayers(2).dState(16).build();
        SsmModel base = ModelInitializer.initialize(plain, BenchModels.SEED);
        SsmModel headed = withRandomHead(base, horizon);
        withHead = new SsmRunner(headed, BenchModels.ops(impl));
        withoutHead = new SsmRunner(base, BenchModels.ops(impl));
        headState = StreamState.zeros(headed);
        plainState = StreamState.zeros(base);
        series = BenchModels.series();
        forecasts = new float[horizon];
        for (int i = 0; i < BenchModels.PRIME_EVENTS; i++) {
            step();
            stepWithoutHead();
        }
    }

    private static SsmModel withRandomHead(SsmModel base, int horizon) {
        Random random = new Random(BenchModels.SEED);
        int features = 2 * MODES + base.config().dModel();
        float[] logTimescale = new float[MODES];
        float[] frequency = new float[MODES];
        float[] weight = new float[horizon * features];
        for (int p = 0; p < MODES; p++) {
            logTimescale[p] = (float) Math.log(24 * (1 + p % 3 * 4));
            frequency[p] = (float) (2 * Math.PI * (p / 3) / 24);
        }
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (0.01 * random.nextGaussian());
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(base.tensors());
        tensors.put("horizon.log_timescale", new Tensor("horizon.log_timescale", new int[] {MODES}, logTimescale));
        tensors.put("horizon.frequency", new Tensor("horizon.frequency", new int[] {MODES}, frequency));
        tensors.put("horizon.weight", new Tensor("horizon.weight", new int[] {horizon, features}, weight));
        tensors.put("horizon.bias", new Tensor("horizon.bias", new int[] {horizon}, new float[horizon]));
        ModelConfig config = base.config().toBuilder().horizon(horizon, MODES).build();
        return SsmModel.of(config, tensors, Map.of());
    }

    @Benchmark
    public float step() {
        event[0] = series[t];
        t = (t + 1) & (BenchModels.SERIES_LENGTH - 1);
        withHead.step(headState, event, 1f, mean, std);
        return mean[0];
    }

    @Benchmark
    public float stepWithoutHead() {
        event[0] = series[t];
        t = (t + 1) & (BenchModels.SERIES_LENGTH - 1);
        withoutHead.step(plainState, event, 1f, mean, std);
        return mean[0];
    }

    @Benchmark
    public float[] forecastHorizon() {
        withHead.forecastHorizon(headState, forecasts);
        return forecasts;
    }
}
