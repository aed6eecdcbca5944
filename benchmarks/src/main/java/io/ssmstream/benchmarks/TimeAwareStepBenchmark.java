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
 * Nanoseconds per event per layer of one step of a time-aware model ({@code time_aware = true}) on an
 * irregularly sampled stream, scalar vs Vector API kernels.
 *
 * <p>The gap τ cycles through {@link #GAPS}: consecutive events never have the same τ, so S4D re-discretizes
 * (exp, expm1, sin, cos per mode and channel), LRU recomputes λ^τ and its input factor and S5 recomputes
 * exp(ΛΔτ) and (exp(ΛΔτ) - 1)/Λ (both in double, per state) on every event with τ ≠ 1, the worst case of their
 * one-entry τ caches; S4 and LSSL recompute their bilinear coefficients likewise; Mamba only scales Δ by τ;
 * SpaceTime steps round(τ) samples (1, 1, 2, 5, 17, 1, 2, 4: 33 companion steps per 8 events, the skipped
 * samples with zero input).
 * One event in {@code GAPS.length} has τ = 1 and takes the precomputed path. Like {@link MixerStepBenchmark}
 * it times the whole public {@link SsmRunner#step} of a one-layer, one-input model (the parts around the
 * mixer are O(d_model)), feeding a cycled noisy series to an evolving state and returning the forecast.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TimeAwareStepBenchmark {
    /** Gaps in steps of dt_unit_ms: late, regular, jittered, missing events, a long outage. */
    static final float[] GAPS = {0.5f, 1f, 1.5f, 5f, 17.3f, 0.25f, 2f, 3.7f};

    /** {@code arch-dModel-dState}, see {@link BenchModels}. */
    @Param({"mamba-64-16", "s4d-64-64", "s4-64-64", "lssl-64-64", "lru-64-64", "s5-64-64", "mamba2-64-16",
        "mamba2-64-64", "spacetime-64-64"})
    public String model;

    @Param({"scalar", "vector"})
    public String impl;

    private SteppedStream stream;
    private int g;

    @Setup
    public void setUp() {
        stream = new SteppedStream(model, impl, true, GAPS);
        g = 0;
    }

    @Benchmark
    public float step() {
        float tau = GAPS[g];
        g = g + 1 == GAPS.length ? 0 : g + 1;
        return stream.step(tau);
    }
}
