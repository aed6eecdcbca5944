package io.ssmstream.trainer;

import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Training throughput (events through forward + backward + Adam per second) for an arch and chunk lengths:
 * {@code java -cp ... io.ssmstream.trainer.ThroughputBench mamba 16 2 16 256 16 8,16,m8,0 [steps]}: chunk lengths
 * of the recurrent form, "m" and a length for the decay-matrix form, 0 for the step-by-step scan. Not a test.
 */
public final class ThroughputBench {
    public static void main(String[] args) {
        Arch arch = Arch.fromConfigName(args.length > 0 ? args[0] : "mamba");
        int dModel = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int nLayers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int dState = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int len = args.length > 4 ? Integer.parseInt(args[4]) : 256;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        String[] chunks = (args.length > 6 ? args[6] : "8,16,32,64").split(",");
        int steps = args.length > 7 ? Integer.parseInt(args[7]) : 6;
        ModelConfig config = ModelConfig.builder(arch, 1).dModel(dModel).nLayers(nLayers).dState(dState).build();
        SsmModel init = ModelInitializer.initialize(config, 0);
        int n = 20_000;
        Random r = new Random(0);
        long[] micros = new long[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            micros[i] = i * 1_000_000L + (i > 0 ? r.nextInt(500_000) : 0);
            values[i] = (float) (Math.sin(i * 0.05) + 0.1 * r.nextGaussian());
        }
        List<EventSeries> series = List.of(new EventSeries("bench", List.of("v"), micros, values));
        List<Windows.Window> windows = new ArrayList<>(Windows.training(0, n, len, 16));
        Windows.Scaling scaling = new Windows.Scaling(new float[] {0}, new float[] {1}, 1000);
        for (String c : chunks) {
            boolean matrix = c.startsWith("m");
            int chunk = Integer.parseInt(matrix ? c.substring(1) : c);
            try (NDManager root = NDManager.newBaseManager();
                 SsmTrainingModel model = SsmTrainingModel.fromModel(init, root,
                         chunk == 0 ? new SequentialScanMain() : new ChunkedScan(chunk,
                                 matrix ? ChunkedScan.Intra.MATRIX : ChunkedScan.Intra.RECURRENT))) {
                Optimizer adam = Adam.builder().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
                long events = 0;
                long t0 = 0;
                for (int s = 0; s < steps + 1; s++) {
                    if (s == 1) {
                        t0 = System.nanoTime();
                        events = 0;
                    }
                    int from = (s * batch) % (windows.size() - batch);
                    Windows.Batch b = Windows.batch(series, windows.subList(from, from + batch), scaling, len);
                    Trainer.step(model, root, b, adam, 1f);
                    events += b.events();
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s d_model=%d n_layers=%d d_state=%d L=%d B=%d chunk=%s: %.0f events/s"
                        + " (%.3f s per batch)%n", arch.configName(), dModel, nLayers, dState, len, batch,
                        chunk == 0 ? "sequential" : (matrix ? "matrix " + chunk : "recurrent " + chunk), events / secs, secs / steps);
            }
        }
    }

    /** The step-by-step scan, for comparison (chunk 0). */
    static final class SequentialScanMain implements DiagonalScan {
        private final SequentialScan s = new SequentialScan();

        @Override
        public ai.djl.ndarray.NDArray real(ai.djl.ndarray.NDArray logA, ai.djl.ndarray.NDArray b) {
            return s.real(logA, b);
        }

        @Override
        public ai.djl.ndarray.NDArray[] complex(ai.djl.ndarray.NDArray a, ai.djl.ndarray.NDArray b,
                                                ai.djl.ndarray.NDArray c, ai.djl.ndarray.NDArray d) {
            return s.complex(a, b, c, d);
        }
    }
}
