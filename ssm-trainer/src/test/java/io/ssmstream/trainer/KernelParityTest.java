package io.ssmstream.trainer;

import static io.ssmstream.trainer.ChunkedScanTest.assertClose;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DJL forward pass over a whole series equals the kernels' step-by-step forward pass on every step. */
class KernelParityTest {

    @ParameterizedTest(name = "{0} time_aware={1}")
    @CsvSource({"MAMBA,true", "S4D,true", "S4,true", "LSSL,true", "LRU,true", "S5,true", "MAMBA2,true", "SPACETIME,true", "MAMBA,false", "S4D,false", "S4,false", "LSSL,false",
        "LRU,false", "S5,false", "MAMBA2,false", "SPACETIME,false"})
    void djlForwardOverASeriesEqualsScalarKernelsOnEveryStep(Arch arch, boolean timeAware) {
        int d = 2;
        int len = 300; // several chunks and a partial one
        SsmModel model = TestModels.noisy(arch, d, timeAware, 3);
        ModelConfig c = model.config();
        Random r = new Random(7);
        float[] tau = TestModels.irregularTau(len, r);
        float[] raw = new float[len * d];
        for (int t = 0; t < len; t++) {
            for (int k = 0; k < d; k++) {
                raw[t * d + k] = (float) (3 + 2 * Math.sin(0.05 * t + k) + 0.5 * r.nextGaussian());
            }
        }
        float[] mean = c.inputMean();
        float[] std = c.inputStd();
        float[] u = new float[len * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = (raw[i] - mean[i % d]) / std[i % d];
        }
        float[] out;
        try (NDManager root = NDManager.newBaseManager();
             SsmTrainingModel trainer = SsmTrainingModel.fromModel(model, root, new ChunkedScan(ChunkedScan.DEFAULT_CHUNK));
             NDManager step = root.newSubManager()) {
            out = trainer.forward(step.create(u, new Shape(1, len, d)), step.create(tau, new Shape(1, len)))
                    .toFloatArray();
        }
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(model);
        float[] fm = new float[d];
        float[] fs = new float[d];
        for (int t = 0; t < len; t++) {
            runner.step(state, java.util.Arrays.copyOfRange(raw, t * d, t * d + d), tau[t], fm, fs);
            for (int k = 0; k < d; k++) {
                double kernelMean = (fm[k] - mean[k]) / std[k];
                double kernelLogVar = 2 * Math.log(fs[k] / std[k]);
                String at = arch + " step " + t + " channel " + k;
                assertClose(kernelMean, out[(t * 2 * d) + k], 1e-4, at + " mean");
                assertClose(kernelLogVar, out[(t * 2 * d) + d + k], 1e-4, at + " log-variance");
            }
        }
    }
}
