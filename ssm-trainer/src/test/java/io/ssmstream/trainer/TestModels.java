package io.ssmstream.trainer;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random models and irregular series shared by the tests. */
final class TestModels {
    private TestModels() {
    }

    /** The papers' initialisation plus Gaussian noise on every tensor, so no weight is a trivial 0 or 1. */
    static SsmModel noisy(Arch arch, int dInput, boolean timeAware, long seed) {
        // Mamba-2: d_inner 16 in 4 heads of 4, two groups of B and C
        ModelConfig config = ModelConfig.builder(arch, dInput).dModel(8).nLayers(2).dState(6).headdim(4).ngroups(2)
                .timeAware(timeAware).dtUnitMs(1000).inputMean(filled(dInput, 3f)).inputStd(filled(dInput, 2f))
                .build();
        SsmModel base = ModelInitializer.initialize(config, seed);
        Random r = new Random(seed + 1);
        Map<String, Tensor> noisy = new LinkedHashMap<>();
        for (Tensor t : base.tensors().values()) {
            float[] d = t.data().clone();
            for (int i = 0; i < d.length; i++) {
                d[i] += (float) (0.1 * r.nextGaussian());
            }
            noisy.put(t.name(), new Tensor(t.name(), t.shape(), d));
        }
        return SsmModel.of(config, noisy, Map.of());
    }

    static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Irregular gaps in steps: mostly around 1, some bursts (0 and tiny) and some long gaps. */
    static float[] irregularTau(int n, Random r) {
        float[] tau = new float[n];
        for (int i = 0; i < n; i++) {
            double p = r.nextDouble();
            tau[i] = (float) (p < 0.05 ? 0 : p < 0.15 ? 0.01 + 0.1 * r.nextDouble()
                    : p < 0.9 ? 0.5 + r.nextDouble() : 2 + 8 * r.nextDouble());
        }
        tau[0] = 1f;
        return tau;
    }
}
