package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ssmstream.kernels.model.Arch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChunkedScanTest {

    /** x_t = a_t x_{t-1} + b_t in double precision, plain loops: (B, L, S) row-major. */
    private static double[][] reference(float[] lr, float[] li, float[] br, float[] bi, int b, int len, int s) {
        double[] xr = new double[b * len * s];
        double[] xi = new double[b * len * s];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < s; k++) {
                double hr = 0;
                double hi = 0;
                for (int t = 0; t < len; t++) {
                    int at = (i * len + t) * s + k;
                    double mag = Math.exp(lr[at]);
                    double ar = mag * Math.cos(li == null ? 0 : li[at]);
                    double ai = mag * Math.sin(li == null ? 0 : li[at]);
                    double nr = ar * hr - ai * hi + br[at];
                    double ni = ar * hi + ai * hr + (bi == null ? 0 : bi[at]);
                    hr = nr;
                    hi = ni;
                    xr[at] = hr;
                    xi[at] = hi;
                }
            }
        }
        return new double[][] {xr, xi};
    }

    /** Log-decays from none (0) through typical to total (-80), with phases of up to ±20 rad per step. */
    private static float[][] randomInputs(Random r, int n) {
        float[] lr = new float[n];
        float[] li = new float[n];
        float[] br = new float[n];
        float[] bi = new float[n];
        for (int i = 0; i < n; i++) {
            double p = r.nextDouble();
            lr[i] = (float) (p < 0.1 ? 0 : p < 0.15 ? -80 * r.nextDouble() : -0.5 * r.nextDouble());
            li[i] = (float) (p < 0.9 ? (r.nextDouble() - 0.5) * 2 : (r.nextDouble() - 0.5) * 40);
            br[i] = (float) r.nextGaussian();
            bi[i] = (float) r.nextGaussian();
        }
        return new float[][] {lr, li, br, bi};
    }

    @ParameterizedTest(name = "{1} chunk {0}")
    @CsvSource({"1,RECURRENT", "7,RECURRENT", "16,RECURRENT", "64,RECURRENT", "200,RECURRENT",
            "1,MATRIX", "7,MATRIX", "16,MATRIX", "64,MATRIX", "200,MATRIX"})
    void chunkedScanEqualsStepByStepRecurrenceForRealAndComplexDecays(int chunk, ChunkedScan.Intra intra) {
        int b = 2;
        int len = 101; // not a multiple of any chunk: the padded tail must not leak
        int s = 5;
        float[][] in = randomInputs(new Random(chunk), b * len * s);
        double[][] real = reference(in[0], null, in[2], null, b, len, s);
        double[][] complex = reference(in[0], in[1], in[2], in[3], b, len, s);
        ChunkedScan scan = new ChunkedScan(chunk, intra);
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(b, len, s);
            float[] xr = scan.real(m.create(in[0], shape), m.create(in[2], shape)).toFloatArray();
            NDArray[] xc = scan.complex(m.create(in[0], shape), m.create(in[1], shape), m.create(in[2], shape),
                    m.create(in[3], shape));
            float[] cr = xc[0].toFloatArray();
            float[] ci = xc[1].toFloatArray();
            assertEquals(b * len * s, xr.length);
            // float32 rounding of the cumulative log-decays grows with the chunk length
            double tol = 1e-5 * Math.max(1, Math.min(chunk, len) / 16.0);
            for (int i = 0; i < xr.length; i++) {
                assertClose(real[0][i], xr[i], tol, "real x at " + i);
                assertClose(complex[0][i], cr[i], tol, "complex Re x at " + i);
                assertClose(complex[1][i], ci[i], tol, "complex Im x at " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} chunk {2}")
    @CsvSource({"MAMBA,RECURRENT,8", "S4D,RECURRENT,8", "LRU,RECURRENT,8", "MAMBA,MATRIX,16", "S4D,MATRIX,16",
            "LRU,MATRIX,16", "LRU,RECURRENT,16", "S5,RECURRENT,8", "S5,MATRIX,16", "MAMBA2,RECURRENT,8",
            "MAMBA2,MATRIX,16"})
    void chunkedModelMatchesSequentialReferenceInOutputsAndGradientsWithIrregularGaps(Arch arch,
                                                                                     ChunkedScan.Intra intra,
                                                                                     int chunk) {
        Random r = new Random(11);
        int b = 3;
        int len = 70;
        int d = 2;
        float[] u = new float[b * len * d];
        for (int i = 0; i < u.length; i++) {
            u[i] = (float) r.nextGaussian();
        }
        float[] tau = new float[b * len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(TestModels.irregularTau(len, r), 0, tau, i * len, len);
        }
        float[] target = new float[b * len * d];
        for (int i = 0; i < target.length; i++) {
            target[i] = (float) r.nextGaussian();
        }
        Result chunked = run(arch, new ChunkedScan(chunk, intra), u, tau, target, b, len, d);
        Result sequential = run(arch, new SequentialScan(), u, tau, target, b, len, d);
        for (int i = 0; i < chunked.out.length; i++) {
            assertClose(sequential.out[i], chunked.out[i], 2e-5, arch + " output " + i);
        }
        assertClose(sequential.loss, chunked.loss, 1e-5, arch + " loss");
        assertEquals(sequential.grads.keySet(), chunked.grads.keySet());
        for (String name : sequential.grads.keySet()) {
            float[] g1 = sequential.grads.get(name);
            float[] g2 = chunked.grads.get(name);
            double scale = 0;
            for (float v : g1) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0 || name.contains("bias") || name.contains("D"), name + " has no gradient");
            for (int i = 0; i < g1.length; i++) {
                assertEquals(g1[i], g2[i], 1e-4 * Math.max(scale, 1e-3), arch + " gradient of " + name + "[" + i + "]");
            }
        }
    }

    private record Result(float[] out, float loss, Map<String, float[]> grads) {
    }

    private static Result run(Arch arch, DiagonalScan scan, float[] u, float[] tau, float[] target, int b, int len,
                              int d) {
        try (NDManager root = NDManager.newBaseManager();
             SsmTrainingModel model = SsmTrainingModel.fromModel(TestModels.noisy(arch, d, true, 5), root, scan)) {
            float[] out;
            float loss;
            try (NDManager step = root.newSubManager();
                 GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray o = model.forward(step.create(u, new Shape(b, len, d)), step.create(tau, new Shape(b, len)));
                NDArray l = SsmTrainingModel.gaussianNll(o, step.create(target, new Shape(b, len, d)),
                        step.ones(new Shape(b, len)));
                gc.backward(l);
                out = o.toFloatArray();
                loss = l.getFloat();
            }
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    grads.put(e.getKey(), g.toFloatArray());
                }
            }
            return new Result(out, loss, grads);
        }
    }

    static void assertClose(double expected, double actual, double relative, String what) {
        double tol = relative * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tol,
                () -> what + ": expected " + expected + " but got " + actual + " (tolerance " + tol + ")");
    }

    @Test
    void rejectsANonPositiveChunk() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ChunkedScan(0));
    }
}
