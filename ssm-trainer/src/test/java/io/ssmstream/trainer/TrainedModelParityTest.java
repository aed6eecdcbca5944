package io.ssmstream.trainer;

import static io.ssmstream.trainer.ChunkedScanTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After a few epochs of training, every arch's saved model file replays in the kernels exactly as the
 * trainer's forward pass computes it, with weights moved away from the initialisation and the training loss
 * going down.
 */
class TrainedModelParityTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Arch.class)
    void savedTrainedModelReplaysInTheKernelsAsTheTrainerComputesIt(Arch arch) throws IOException {
        // irregular gaps, so that time-aware discretisation is exercised by training and replay alike
        Random r = new Random(3);
        int n = 1200;
        long[] micros = new long[n];
        float[] values = new float[n];
        long t = 1_700_000_000_000_000L;
        for (int k = 0; k < n; k++) {
            t += k == 0 ? 0 : (long) (1_000_000 * (0.3 + 1.4 * r.nextDouble()));
            micros[k] = t;
            values[k] = (float) (50 + 5 * Math.sin(t / 1e6 / 20.0) + 0.5 * r.nextGaussian());
        }
        EventSeries s = new EventSeries("sine", List.of("v"), micros, values);
        TrainingOptions o = new TrainingOptions().arch(arch).dModel(8).dState(8).epochs(4).windowLength(128)
                .batchSize(8).seed(2);
        StringWriter log = new StringWriter();
        Trainer.Result res = Trainer.train(List.of(s), null, o, new PrintWriter(log, true));
        assertEquals(4, res.epochs(), log.toString());
        assertTrue(Double.isFinite(res.validationLoss()), log.toString());
        String[] lines = log.toString().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("epoch 4/4"), log.toString());
        assertTrue(res.trainLoss() < firstTrainLoss(log.toString()), "the training loss goes down: " + log);

        Path file = dir.resolve(arch.configName() + ".safetensors");
        res.model().save(file);
        SsmModel saved = SsmModel.load(file);
        SsmModel init = ModelInitializer.initialize(saved.config(), 2);
        assertEquals(init.tensors().keySet(), saved.tensors().keySet(), "same tensor names in the same order");
        double moved = 0;
        for (Tensor w : saved.tensors().values()) {
            assertTrue(Arrays.equals(w.shape(), init.tensors().get(w.name()).shape()), w.name());
            float[] a = init.tensors().get(w.name()).data();
            for (int i = 0; i < a.length; i++) {
                moved = Math.max(moved, Math.abs(a[i] - w.data()[i]));
            }
        }
        assertTrue(moved > 1e-2, "weights moved from the initialisation by at most " + moved);

        // trainer forward over the whole series vs the stream forecaster, step by step
        float[] mean = saved.config().inputMean();
        float[] std = saved.config().inputStd();
        float[] u = new float[n];
        float[] tau = new float[n];
        for (int k = 0; k < n; k++) {
            u[k] = (values[k] - mean[0]) / std[0];
            tau[k] = k == 0 ? TimeGap.FIRST_EVENT : TimeGap.tau(micros[k - 1], micros[k], saved.config().dtUnitMs());
        }
        float[] out;
        try (NDManager root = NDManager.newBaseManager();
             SsmTrainingModel m = SsmTrainingModel.fromModel(saved, root, new ChunkedScan(ChunkedScan.DEFAULT_CHUNK));
             NDManager step = root.newSubManager()) {
            out = m.forward(step.create(u, new Shape(1, n, 1)), step.create(tau, new Shape(1, n))).toFloatArray();
        }
        StreamForecaster f = new StreamForecaster(saved, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = f.newState();
        for (int k = 0; k < n; k++) {
            f.step(state, micros[k], new float[] {values[k]});
            double kernelMean = (state.forecastMean()[0] - mean[0]) / std[0];
            double kernelLogVar = 2 * Math.log(state.forecastStd()[0] / std[0]);
            assertClose(kernelMean, out[2 * k], 1e-4, arch + " mean at " + k);
            assertClose(kernelLogVar, out[2 * k + 1], 1e-4, arch + " log-variance at " + k);
        }
    }

    private static double firstTrainLoss(String log) {
        for (String line : log.split("\n")) {
            if (line.startsWith("epoch 1/")) {
                String[] parts = line.trim().split("\\s+");
                return Double.parseDouble(parts[3]);
            }
        }
        throw new AssertionError("no epoch 1 line in " + log);
    }
}
