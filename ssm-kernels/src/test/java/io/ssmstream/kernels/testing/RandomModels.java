package io.ssmstream.kernels.testing;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Models with the papers' initialisation plus noise on every tensor, so that no weight is trivially 0 or 1. */
public final class RandomModels {
    private RandomModels() {
    }

    public static SsmModel create(Arch arch, int dInput, int dModel, int nLayers, int dState, boolean timeAware,
                                  long seed) {
        Random random = new Random(seed);
        float[] mean = new float[dInput];
        float[] std = new float[dInput];
        for (int k = 0; k < dInput; k++) {
            mean[k] = 10 + 90 * random.nextFloat();
            std[k] = 0.5f + 20 * random.nextFloat();
        }
        ModelConfig.Builder builder = ModelConfig.builder(arch, dInput).dModel(dModel).nLayers(nLayers).dState(dState)
                .timeAware(timeAware).dtUnitMs(60_000).inputMean(mean).inputStd(std);
        if (arch == Arch.MAMBA2) {
            // heads of the largest width up to 8 that divides d_inner, in two groups where the heads allow
            int dInner = 2 * dModel;
            int headdim = 8;
            while (dInner % headdim != 0) {
                headdim--;
            }
            builder.headdim(headdim).ngroups((dInner / headdim) % 2 == 0 ? 2 : 1);
        }
        ModelConfig config = builder.build();
        SsmModel base = ModelInitializer.initialize(config, seed);
        Map<String, Tensor> noisy = new LinkedHashMap<>();
        for (Tensor t : base.tensors().values()) {
            float[] data = t.data().clone();
            for (int i = 0; i < data.length; i++) {
                data[i] += (float) (0.05 * random.nextGaussian());
            }
            noisy.put(t.name(), new Tensor(t.name(), t.shape(), data));
        }
        return SsmModel.of(config, noisy, Map.of());
    }

    /**
     * {@code base} with a random direct head for steps 1..{@code horizon}: time scales of 1 to 200 steps,
     * frequencies in [0, π), weights and biases N(0, 0.1²).
     */
    public static SsmModel withHorizonHead(SsmModel base, int horizon, int modes, long seed) {
        Random random = new Random(seed);
        ModelConfig config = base.config().toBuilder().horizon(horizon, modes).build();
        int outputs = horizon * config.dInput();
        int features = 2 * config.dInput() * modes + config.dModel();
        float[] logTimescale = new float[modes];
        float[] frequency = new float[modes];
        for (int p = 0; p < modes; p++) {
            logTimescale[p] = (float) (Math.log(200) * random.nextDouble());
            frequency[p] = (float) (Math.PI * random.nextDouble());
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>(base.tensors());
        tensors.put("horizon.log_timescale", new Tensor("horizon.log_timescale", new int[] {modes}, logTimescale));
        tensors.put("horizon.frequency", new Tensor("horizon.frequency", new int[] {modes}, frequency));
        tensors.put("horizon.weight", new Tensor("horizon.weight", new int[] {outputs, features},
                gaussian(random, outputs * features, 0.1)));
        tensors.put("horizon.bias", new Tensor("horizon.bias", new int[] {outputs}, gaussian(random, outputs, 0.1)));
        return SsmModel.of(config, tensors, base.metadata());
    }

    private static float[] gaussian(Random random, int n, double sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (sigma * random.nextGaussian());
        }
        return a;
    }

    /** Irregular time gaps in steps: mostly 1, sometimes 0 (equal timestamps), 0.5, 1.5, 5 and 60. */
    public static float[] irregularTaus(int n, long seed) {
        Random random = new Random(seed);
        float[] choices = {1f, 1f, 1f, 1f, 0f, 0.5f, 1.5f, 5f, 60f, 1f};
        float[] taus = new float[n];
        taus[0] = 1f;
        for (int i = 1; i < n; i++) {
            taus[i] = choices[random.nextInt(choices.length)];
        }
        return taus;
    }

    /** A smooth multi-channel signal around the model's input mean, with noise. */
    public static float[][] series(ModelConfig config, int n, long seed) {
        Random random = new Random(seed);
        float[] mean = config.inputMean();
        float[] std = config.inputStd();
        float[][] values = new float[n][config.dInput()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < config.dInput(); k++) {
                values[i][k] = mean[k] + std[k] * (float) (Math.sin(i / (7.0 + k)) + 0.3 * random.nextGaussian());
            }
        }
        return values;
    }
}
