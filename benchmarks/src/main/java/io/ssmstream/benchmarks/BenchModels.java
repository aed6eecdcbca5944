package io.ssmstream.benchmarks;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.util.Locale;
import java.util.Random;

/**
 * Shared set-up of the benchmarks: parses a model spec, builds a one-layer model with a fixed seed, a runner
 * on the requested kernels, and a precomputed input series.
 *
 * <p>A spec is {@code arch-dModel-dState}, e.g. {@code mamba-64-16} (d_model 64, d_state 16, expand 2,
 * d_conv 4, dt_rank ceil(d_model/16)) or {@code s4d-64-64} (H 64, N 64). One string parameter instead of three
 * keeps JMH from running the cartesian product of arch × d_model × d_state.
 */
final class BenchModels {
    static final long SEED = 20240607L;
    /** Length of the cycled input series: a power of two, so the index is a mask. */
    static final int SERIES_LENGTH = 4096;
    /** Events applied before measuring so that the state is no longer near zero. */
    static final int PRIME_EVENTS = 2048;

    private BenchModels() {
    }

    /** Parses {@code arch-dModel-dState} into a one-layer, one-input config. */
    static ModelConfig config(String spec, boolean timeAware) {
        String[] parts = spec.split("-");
        if (parts.length != 3) {
            throw new IllegalArgumentException("model spec must be arch-dModel-dState, got " + spec);
        }
        Arch arch = Arch.fromConfigName(parts[0].toLowerCase(Locale.ROOT));
        if (arch == null) {
            throw new IllegalArgumentException("unknown arch in model spec " + spec + " (" + Arch.choices() + ")");
        }
        return ModelConfig.builder(arch, 1)
                .dModel(Integer.parseInt(parts[1]))
                .nLayers(1)
                .dState(Integer.parseInt(parts[2]))
                .timeAware(timeAware)
                .build();
    }

    static KernelOps ops(String impl) {
        switch (impl) {
            case "scalar":
                return KernelOpsProvider.scalar();
            case "vector":
                return KernelOpsProvider.vector();
            default:
                throw new IllegalArgumentException("impl must be scalar or vector, got " + impl);
        }
    }

    static SsmModel model(String spec, boolean timeAware) {
        return ModelInitializer.initialize(config(spec, timeAware), SEED);
    }

    /**
     * A slow sine with a daily-like second harmonic and Gaussian noise, roughly zero mean and unit std (the
     * untrained model's input normalisation), so every step sees a different input.
     */
    static float[] series() {
        Random random = new Random(SEED);
        float[] v = new float[SERIES_LENGTH];
        for (int t = 0; t < v.length; t++) {
            double phase = 2 * Math.PI * t / 256.0;
            v[t] = (float) (Math.sin(phase) + 0.3 * Math.sin(7 * phase) + 0.2 * random.nextGaussian());
        }
        return v;
    }

    /**
     * Applies {@link #PRIME_EVENTS} events with the given gaps (cycled) and checks that the forecasts stay
     * finite, so a broken model fails the set-up instead of timing NaNs.
     */
    static void prime(SsmRunner runner, StreamState state, float[] series, float[] taus) {
        float[] values = new float[1];
        float[] mean = new float[1];
        float[] std = new float[1];
        for (int t = 0; t < PRIME_EVENTS; t++) {
            values[0] = series[t & (SERIES_LENGTH - 1)];
            runner.step(state, values, taus[t % taus.length], mean, std);
        }
        if (!Float.isFinite(mean[0]) || !Float.isFinite(std[0])) {
            throw new IllegalStateException("forecast is not finite after priming: mean " + mean[0] + ", std " + std[0]);
        }
    }
}
