package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.kernels.testing.ReferenceForward;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels (scalar and vector) against an independent double-precision implementation of the format v1
 * equations, on random models of every arch with irregular time gaps: every forecast and std within
 * 1e-4 × that channel's input_std.
 */
class ForwardPassTest {
    private static final double TOLERANCE = 1e-4;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Arch arch : Arch.values()) {
            for (boolean timeAware : new boolean[] {true, false}) {
                b.add(Arguments.of(arch, 3, 16, 2, 16, timeAware));
                b.add(Arguments.of(arch, 1, 17, 3, arch.pairsStates() ? 6 : 7, timeAware));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} d_input={1} d_model={2} layers={3} d_state={4} time_aware={5}")
    @MethodSource("cases")
    void kernelsMatchIndependentReferenceWithIrregularGaps(Arch arch, int dInput, int dModel, int nLayers, int dState,
                                                           boolean timeAware) {
        SsmModel model = RandomModels.create(arch, dInput, dModel, nLayers, dState, timeAware, 42);
        for (KernelOps ops : new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()}) {
            assertMatchesReference(model, ops);
        }
    }

    private static void assertMatchesReference(SsmModel model, KernelOps ops) {
        ModelConfig c = model.config();
        int steps = 300;
        float[] taus = RandomModels.irregularTaus(steps, 7);
        float[][] values = RandomModels.series(c, steps, 11);
        ReferenceForward reference = new ReferenceForward(model);
        SsmRunner runner = new SsmRunner(model, ops);
        StreamState state = StreamState.zeros(model);
        float[] mean = new float[c.dInput()];
        float[] std = new float[c.dInput()];
        float[] inputStd = c.inputStd();
        double worst = 0;
        for (int t = 0; t < steps; t++) {
            double[] v = new double[c.dInput()];
            for (int k = 0; k < v.length; k++) {
                v[k] = values[t][k];
            }
            double[][] expected = reference.step(v, taus[t]);
            runner.step(state, values[t], taus[t], mean, std);
            for (int k = 0; k < c.dInput(); k++) {
                double errMean = Math.abs(mean[k] - expected[0][k]) / inputStd[k];
                double errStd = Math.abs(std[k] - expected[1][k]) / inputStd[k];
                worst = Math.max(worst, Math.max(errMean, errStd));
                assertTrue(errMean <= TOLERANCE && errStd <= TOLERANCE,
                        () -> ops.name() + " step " + " channel: forecast " + mean[0] + " vs " + expected[0][0]
                                + ", std " + std[0] + " vs " + expected[1][0]);
            }
        }
        assertEquals(steps, state.events());
        assertTrue(worst > 0, "a bit-exact match with a double reference means the reference was not run");
    }
}
