package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.ssmstream.kernels.model.Arch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerStepTest {

    private static Windows.Batch batch(float first) {
        int len = 12;
        float[] u = new float[len];
        float[] tau = new float[len];
        float[] target = new float[len];
        float[] mask = new float[len];
        for (int i = 0; i < len; i++) {
            u[i] = (float) Math.sin(i);
            target[i] = (float) Math.sin(i + 1);
            tau[i] = 1f;
            mask[i] = 1f;
        }
        u[0] = first;
        return new Windows.Batch(1, len, 1, u, tau, target, mask, len, len);
    }

    @Test
    void aNonFiniteBatchIsSkippedAndLaterBatchesStillTrain() {
        try (NDManager root = NDManager.newBaseManager();
             SsmTrainingModel model = SsmTrainingModel.fromModel(TestModels.noisy(Arch.LRU, 1, true, 4), root,
                     new ChunkedScan(ChunkedScan.DEFAULT_CHUNK))) {
            Optimizer adam = Adam.builder().optLearningRateTracker(Tracker.fixed(1e-2f)).build();
            float[] before = model.parameters().get("head.weight").toFloatArray();
            double bad = Trainer.step(model, root, batch(Float.NaN), adam, 1f);
            assertTrue(Double.isNaN(bad));
            assertArrayEquals(before, model.parameters().get("head.weight").toFloatArray(), "no update");
            double good = Trainer.step(model, root, batch(0f), adam, 1f);
            assertTrue(Double.isFinite(good));
            assertFalse(Arrays.equals(before, model.parameters().get("head.weight").toFloatArray()), "updated");
            for (var p : model.parameters().values()) {
                for (float g : p.getGradient().toFloatArray()) {
                    assertEquals(0f, g, "gradients are cleared after a step");
                }
            }
        }
    }

    /**
     * DJL's CPU arrays made from Java data wrap a direct buffer that Java frees once the array is closed; a
     * constant the autograd graph saved for backward must not be one of them. Between forward and backward this
     * test has Java free what it can and fill the freed memory with 1e30, which no constant of the model equals.
     */
    @Test
    void gradientsDoNotDependOnMemoryJavaFreesBetweenForwardAndBackward() throws InterruptedException {
        for (Arch arch : Arch.values()) {
            try (NDManager root = NDManager.newBaseManager();
                 SsmTrainingModel model = SsmTrainingModel.fromModel(TestModels.noisy(arch, 1, true, 5), root,
                         new ChunkedScan(ChunkedScan.DEFAULT_CHUNK))) {
                Map<String, float[]> quiet = gradients(model, root, false);
                Map<String, float[]> churned = gradients(model, root, true);
                for (String name : quiet.keySet()) {
                    assertArrayEquals(quiet.get(name), churned.get(name), arch + " " + name);
                }
            }
        }
    }

    private static Map<String, float[]> gradients(SsmTrainingModel model, NDManager root, boolean churn)
            throws InterruptedException {
        Windows.Batch b = batch(0.5f);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = root.newSubManager();
             GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray u = m.create(b.u(), new Shape(1, b.length(), 1));
            NDArray tau = m.create(b.tau(), new Shape(1, b.length()));
            NDArray loss = SsmTrainingModel.gaussianNll(model.forward(u, tau),
                    m.create(b.target(), new Shape(1, b.length(), 1)), m.create(b.mask(), new Shape(1, b.length())));
            if (churn) {
                refillFreedDirectMemoryWithHugeValues();
            }
            gc.backward(loss);
        }
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            NDArray g = e.getValue().getGradient();
            out.put(e.getKey(), g.toFloatArray());
            g.set(new NDIndex("..."), 0);
            g.close();
        }
        return out;
    }

    private static void refillFreedDirectMemoryWithHugeValues() throws InterruptedException {
        List<ByteBuffer> keep = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(50); // the cleaner thread frees the unreachable buffers
            for (int i = 0; i < 2000; i++) {
                ByteBuffer buf = ByteBuffer.allocateDirect(4 << (i % 4)).order(ByteOrder.nativeOrder());
                while (buf.remaining() >= 4) {
                    buf.putFloat(1e30f);
                }
                keep.add(buf);
            }
        }
    }

    @Test
    void unscoredStepsCannotMakeTheLossNotFinite() {
        try (NDManager m = NDManager.newBaseManager()) {
            // out (1, 2, [mean, logvar]): step 0 has logvar -200 and an error of 1e30, an infinite NLL, but it
            // is not scored; step 1 has mean 0.1, logvar 0 and the target 0.2
            float nll = SsmTrainingModel.gaussianNll(m.create(new float[] {0f, -200f, 0.1f, 0f}, new Shape(1, 2, 2)),
                    m.create(new float[] {1e30f, 0.2f}, new Shape(1, 2, 1)),
                    m.create(new float[] {0f, 1f}, new Shape(1, 2))).getFloat();
            assertEquals(0.5 * (0 + 0.01), nll, 1e-6, "only step 1: logvar 0, error 0.2 - 0.1");
        }
    }
}
