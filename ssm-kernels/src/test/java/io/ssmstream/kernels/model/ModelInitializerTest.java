package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.math.HippoLegS;
import io.ssmstream.kernels.testing.DenseComplex;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The papers' initialisations, checked on the tensors they define. */
class ModelInitializerTest {

    private static float[] data(SsmModel m, String name) {
        return m.tensors().get(name).data();
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    @Test
    void mambaUsesS4dRealAAndLogUniformDelta() {
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.MAMBA, 1).dModel(16).dState(8).build(), 1);
        float[] aLog = data(m, "layers.0.mixer.A_log");
        for (int i = 0; i < 32; i++) {
            for (int n = 0; n < 8; n++) {
                assertEquals(Math.log(n + 1), aLog[i * 8 + n], 1e-6);
            }
        }
        for (float bias : data(m, "layers.1.mixer.dt_proj.bias")) {
            double dt = softplus(bias);
            assertTrue(dt >= ModelInitializer.DT_MIN * 0.999 && dt <= ModelInitializer.DT_MAX * 1.001, "Δ = " + dt);
        }
        assertArrayEquals(new int[] {32, 1, 4}, m.tensors().get("layers.0.mixer.conv1d.weight").shape());
        assertEquals(1, m.config().dtRank());
    }

    @Test
    void spacetimeDrawsItsCompanionColumnAndProjectionsUniformInXavierBounds() {
        int n = 16;
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.SPACETIME, 1).dModel(8).dState(n).build(), 1);
        double bound = 1 / Math.sqrt(n);
        for (String name : new String[] {"kernel.a", "kernel.b", "kernel.c"}) {
            float[] v = data(m, "layers.0.mixer." + name);
            assertEquals(8 * n, v.length);
            double sumOfSquares = 0;
            for (float x : v) {
                assertTrue(Math.abs(x) <= bound, name + " = " + x);
                sumOfSquares += x * x;
            }
            // U(-k, k) has variance k²/3: 128 draws land within a third of it
            assertEquals(bound * bound / 3, sumOfSquares / v.length, bound * bound / 9, name);
        }
    }

    @Test
    void mamba2DrawsOneAPerHeadInItsRangeAndShapesTheProjectionsForGroups() {
        ModelConfig config = ModelConfig.builder(Arch.MAMBA2, 1).dModel(16).dState(8).headdim(8).ngroups(2).build();
        SsmModel m = ModelInitializer.initialize(config, 1);
        assertEquals(4, config.nHeads());
        float[] aLog = data(m, "layers.0.mixer.A_log");
        assertEquals(4, aLog.length);
        for (float v : aLog) {
            double a = Math.exp(v);
            assertTrue(a >= ModelInitializer.MAMBA2_A_MIN && a <= ModelInitializer.MAMBA2_A_MAX, "A = " + a);
        }
        for (float bias : data(m, "layers.1.mixer.dt_bias")) {
            double dt = softplus(bias);
            assertTrue(dt >= ModelInitializer.DT_MIN * 0.999 && dt <= ModelInitializer.DT_MAX * 1.001, "Δ = " + dt);
        }
        int convDim = 32 + 2 * 2 * 8;
        assertArrayEquals(new int[] {32 + convDim + 4, 16}, m.tensors().get("layers.0.mixer.in_proj.weight").shape());
        assertArrayEquals(new int[] {convDim, 1, 4}, m.tensors().get("layers.0.mixer.conv1d.weight").shape());
        assertArrayEquals(new float[] {1, 1, 1, 1}, data(m, "layers.0.mixer.D"));
        assertArrayEquals(new int[] {32}, m.tensors().get("layers.0.mixer.norm.weight").shape());
    }

    @Test
    void mamba2SizesThatDoNotDivideAreRefusedNamingThem() {
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder(Arch.MAMBA2, 1).dModel(17).headdim(8).build());
        assertEquals("mamba2 needs d_inner = expand * d_model (34) to be a multiple of headdim (8)",
                heads.getMessage());
        IllegalArgumentException groups = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder(Arch.MAMBA2, 1).dModel(12).headdim(8).ngroups(2).build());
        assertEquals("mamba2 needs its 3 heads (d_inner / headdim) to be a multiple of ngroups (2)",
                groups.getMessage());
    }

    @Test
    void s4dUsesS4dLin() {
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.S4D, 2).dModel(4).dState(6).build(), 1);
        float[] aImag = data(m, "layers.0.mixer.kernel.A_imag");
        float[] logAReal = data(m, "layers.0.mixer.kernel.log_A_real");
        for (int h = 0; h < 4; h++) {
            for (int n = 0; n < 3; n++) {
                assertEquals(Math.PI * n, aImag[h * 3 + n], 1e-5);
                assertEquals(Math.log(0.5), logAReal[h * 3 + n], 1e-6);
            }
        }
        for (float logDt : data(m, "layers.0.mixer.kernel.log_dt")) {
            assertTrue(logDt >= Math.log(1e-3) - 1e-6 && logDt <= Math.log(1e-1) + 1e-6);
        }
    }

    @Test
    void lruEigenvaluesLieOnTheRingAndGammaNormalises() {
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.LRU, 1).dModel(8).dState(64).build(), 1);
        float[] nuLog = data(m, "layers.0.mixer.nu_log");
        float[] gammaLog = data(m, "layers.0.mixer.gamma_log");
        for (int n = 0; n < 64; n++) {
            double modulus = Math.exp(-Math.exp(nuLog[n]));
            assertTrue(modulus >= ModelInitializer.LRU_R_MIN - 1e-6 && modulus <= ModelInitializer.LRU_R_MAX + 1e-6);
            assertEquals(Math.sqrt(1 - modulus * modulus), Math.exp(gammaLog[n]), 1e-4);
        }
    }

    @Test
    void s5StartsFromHippoNEigenvaluesWithConjugateSymmetry() {
        int p = 16;
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.S5, 1).dModel(8).dState(p).build(), 1);
        float[] lambdaRe = data(m, "layers.0.mixer.Lambda_re");
        float[] lambdaIm = data(m, "layers.0.mixer.Lambda_im");
        double[] omega = HippoLegS.normalEigen(2 * p).omega();
        for (int k = 0; k < p; k++) {
            assertEquals(-0.5, lambdaRe[k], 1e-6);
            assertEquals(omega[k], lambdaIm[k], 1e-4 * Math.max(1, Math.abs(omega[k])));
            assertTrue(lambdaIm[k] < 0, "the kept half of each conjugate pair has Im Λ < 0");
        }
        for (float logStep : data(m, "layers.0.mixer.log_step")) {
            assertTrue(logStep >= Math.log(1e-3) - 1e-6 && logStep <= Math.log(1e-1) + 1e-6);
        }
        assertArrayEquals(new int[] {p, 8, 2}, m.tensors().get("layers.0.mixer.B").shape());
        assertArrayEquals(new int[] {8, p, 2}, m.tensors().get("layers.0.mixer.C").shape());
    }

    /**
     * S4's Λ - P P* is HiPPO-LegS in another basis (a unitary V): on the full conjugate-completed state its
     * spectrum is HiPPO-LegS's, -1, -2, …, -N (checked through tr(A^m) = Σ_k (-k)^m for m = 1..4), and
     * |B|² = Σ_n (2n + 1) = N².
     */
    @Test
    void s4StartsFromHippoLegSInNormalPlusLowRankForm() {
        int n = 8;
        int half = n / 2;
        SsmModel m = ModelInitializer.initialize(ModelConfig.builder(Arch.S4, 1).dModel(3).dState(n).build(), 1);
        float[] invAReal = data(m, "layers.0.mixer.kernel.inv_A_real");
        float[] aImag = data(m, "layers.0.mixer.kernel.A_imag");
        float[] p = data(m, "layers.0.mixer.kernel.P");
        float[] b = data(m, "layers.0.mixer.kernel.B");
        double[] lRe = new double[n];
        double[] lIm = new double[n];
        double[] pRe = new double[n];
        double[] pIm = new double[n];
        double normB = 0;
        for (int k = 0; k < half; k++) { // channel 0; the conjugates at k + half
            pRe[k] = p[2 * k];
            pIm[k] = p[2 * k + 1];
            pRe[k + half] = p[2 * k];
            pIm[k + half] = -p[2 * k + 1];
            lRe[k] = -Math.exp(invAReal[k]);
            lIm[k] = aImag[k];
            lRe[k + half] = -Math.exp(invAReal[k]);
            lIm[k + half] = -aImag[k];
            normB += 2 * (b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1]);
        }
        double[][] a = DenseComplex.diagonalMinusOuter(lRe, lIm, pRe, pIm, n);
        double[] aRe = a[0];
        double[] aIm = a[1];
        double[][] power = {aRe, aIm};
        for (int order = 1; order <= 4; order++) {
            double trace = 0;
            double traceIm = 0;
            double expected = 0;
            for (int k = 0; k < n; k++) {
                trace += power[0][k * n + k];
                traceIm += power[1][k * n + k];
                expected += Math.pow(-(k + 1), order);
            }
            assertEquals(expected, trace, 1e-4 * Math.abs(expected), "tr(A^" + order + ")");
            assertEquals(0, traceIm, 1e-4 * Math.abs(expected), "Im tr(A^" + order + ")");
            power = DenseComplex.multiply(power[0], power[1], aRe, aIm, n);
        }
        assertEquals(n * n, normB, 1e-3);
        assertArrayEquals(new int[] {1, 3, half, 2}, m.tensors().get("layers.0.mixer.kernel.P").shape());
    }

    @Test
    void initializationIsDeterministicForASeedAndCreatesEveryTensor() {
        ModelConfig config = ModelConfig.builder(Arch.LRU, 1).inputMean(new float[] {50}).inputStd(new float[] {5})
                .build();
        SsmModel a = ModelInitializer.initialize(config, 7);
        SsmModel b = ModelInitializer.initialize(config, 7);
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            assertEquals(e.getValue(), b.tensors().get(e.getKey()));
        }
        assertTrue(data(a, "head.bias")[0] == 0f);
        assertEquals(2 + 2 * (1 + 12) + 1 + 2, a.tensors().size(),
                "encoder 2, per layer a norm and 12 LRU tensors, norm_f 1, head 2");
    }
}
