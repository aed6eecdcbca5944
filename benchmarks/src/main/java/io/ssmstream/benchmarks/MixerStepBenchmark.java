package io.ssmstream.benchmarks;

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
 * Nanoseconds per event per layer of one SSM step, scalar vs Vector API kernels, regular time (τ = 1, models
 * built with {@code time_aware = false}).
 *
 * <p>What is timed is the whole public {@link SsmRunner#step} of a one-layer, one-input model: input
 * normalisation, encoder (d_model × 1), one RMSNorm, the mixer, the residual add, the final RMSNorm, the head
 * (2 × d_model) and the forecast. {@code SsmModel}'s mixers are package-private, so the mixer cannot be
 * stepped on its own through the public API; the parts around it are O(d_model) (about 16·d_model + 15 flops,
 * against 10⁴–10⁵ for the mixers benchmarked here, see {@code benchmarks/README.md}), so the result is
 * the mixer's cost to within a few percent of the flops. Nothing is subtracted. One caveat on time (not
 * flops): with d_input = 1 the head is a 2-row product, which the Vector API kernels run through a masked
 * tail that JDK 17 does not fully intrinsify (it allocates and is slow), see {@code benchmarks/README.md}.
 *
 * <p>The state evolves as in a real stream: each invocation feeds the next value of a precomputed noisy
 * series (cycled) to the same {@link StreamState}, primed with {@value BenchModels#PRIME_EVENTS} events first.
 * The forecast is returned so the JIT cannot drop the step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MixerStepBenchmark {

    /** {@code arch-dModel-dState}, see {@link BenchModels}. */
    @Param({"mamba-16-16", "mamba-64-16", "s4d-64-64", "s4-64-64", "lssl-64-64", "lru-64-64", "s5-64-64", "mamba2-64-16",
        "mamba2-64-64", "spacetime-64-64"})
    public String model;

    @Param({"scalar", "vector"})
    public String impl;

    private SteppedStream stream;

    @Setup
    public void setUp() {
        stream = new SteppedStream(model, impl, false, new float[] {1f});
    }

    @Benchmark
    public float step() {
        return stream.step(1f);
    }
}
