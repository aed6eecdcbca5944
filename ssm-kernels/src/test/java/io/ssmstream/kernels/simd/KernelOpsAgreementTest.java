package io.ssmstream.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API ops against the scalar oracle on odd and prime sizes (loop tails, masked tails), with inputs
 * that reach the activations' saturated regions. Relative tolerance 1e-5 (plus 1e-6 absolute near zero).
 */
class KernelOpsAgreementTest {
    private static final KernelOps SCALAR = KernelOpsProvider.scalar();
    private static final KernelOps VECTOR = KernelOpsProvider.vector();

    private static float[] random(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    /** Uniform in [-bound, bound]. */
    private static float[] uniform(Random r, int n, float bound) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (2 * r.nextFloat() - 1) * bound;
        }
        return a;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            float tol = 1e-5f * Math.abs(expected[i]) + 1e-6f;
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol,
                    what + "[" + i + "]: scalar " + expected[i] + " vector " + actual[i]);
        }
    }

    /** Complex arrays (real block, imaginary block): tolerance relative to each element's modulus. */
    private static void assertCloseComplex(float[] expected, float[] actual, int n, int off, String what) {
        for (int k = 0; k < n; k++) {
            double modulus = Math.hypot(expected[off + k], expected[off + n + k]);
            double err = Math.hypot(expected[off + k] - actual[off + k], expected[off + n + k] - actual[off + n + k]);
            assertTrue(err <= 1e-5 * modulus + 1e-6, what + "[" + k + "]: scalar " + expected[off + k] + "+"
                    + expected[off + n + k] + "i vector " + actual[off + k] + "+" + actual[off + n + k] + "i");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aFewRowsRowByRowGiveTheSameFloatsAsTheColumnLoop(int tail) {
        int rows = ScalarKernelOps.ROW_BY_ROW_MAX_ROWS + tail + 3;
        int cols = 33;
        Random r = new Random(tail);
        float[] wT = random(r, rows * cols, 1f);
        float[] x = random(r, cols, 1f);
        float[] bias = random(r, rows, 1f);
        float[] byColumn = new float[rows];
        float[] byRow = new float[rows];
        ScalarKernelOps.matVec(wT, rows, cols, x, 0, bias, byColumn, 0, 0);
        ScalarKernelOps.matVec(wT, rows, cols, x, 0, bias, byRow, 0, rows - tail);
        for (int i = rows - tail; i < rows; i++) {
            assertEquals(Float.floatToIntBits(byColumn[i]), Float.floatToIntBits(byRow[i]), "row " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 64, 65, 1021})
    void matMatGivesEachInputTheBitsOfItsOwnMatVec(int rows) {
        Random r = new Random(rows);
        for (KernelOps ops : new KernelOps[] {SCALAR, VECTOR}) {
            for (int cols : new int[] {1, 3, 17}) {
                for (int batch : new int[] {1, 3, 4, 5, 9}) {
                    int xStride = cols + 2;
                    float[] wT = random(r, rows * cols, 1f);
                    float[] x = random(r, batch * xStride, 1f);
                    float[] bias = random(r, rows, 1f);
                    for (float[] b : new float[][] {bias, null}) {
                        float[] batched = new float[batch * rows];
                        ops.matMat(wT, rows, cols, x, xStride, batch, b, batched);
                        float[] alone = new float[rows];
                        for (int k = 0; k < batch; k++) {
                            ops.matVec(wT, rows, cols, x, k * xStride, b, alone, 0);
                            for (int i = 0; i < rows; i++) {
                                assertEquals(Float.floatToIntBits(alone[i]),
                                        Float.floatToIntBits(batched[k * rows + i]), ops.name() + " " + rows + "x"
                                                + cols + ", input " + k + " of " + batch + ", row " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 65})
    void matMatAgreesWithTheScalarOracle(int rows) {
        Random r = new Random(rows + 1);
        int cols = 33;
        int batch = 7;
        float[] wT = random(r, rows * cols, 1f);
        float[] x = random(r, batch * cols, 1f);
        float[] bias = random(r, rows, 1f);
        float[] ys = new float[batch * rows];
        float[] yv = new float[batch * rows];
        SCALAR.matMat(wT, rows, cols, x, cols, batch, bias, ys);
        VECTOR.matMat(wT, rows, cols, x, cols, batch, bias, yv);
        assertClose(ys, yv, "matMat " + rows + "x" + cols);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 17, 64, 65, 1021})
    void matVecAgreesOnOddShapes(int rows) {
        Random r = new Random(rows);
        for (int cols : new int[] {1, 3, 17}) {
            float[] wT = random(r, rows * cols, 1f);
            float[] x = random(r, cols + 2, 1f);
            float[] bias = random(r, rows, 1f);
            float[] ys = new float[rows + 1];
            float[] yv = new float[rows + 1];
            SCALAR.matVec(wT, rows, cols, x, 2, bias, ys, 1);
            VECTOR.matVec(wT, rows, cols, x, 2, bias, yv, 1);
            assertClose(ys, yv, "matVec " + rows + "x" + cols);
            SCALAR.matVec(wT, rows, cols, x, 0, null, ys, 0);
            VECTOR.matVec(wT, rows, cols, x, 0, null, yv, 0);
            assertClose(ys, yv, "matVec without bias");
        }
    }

    /** The vector softplus against the double-precision formula, x from -100 to 30. */
    @Test
    void vectorSoftplusIsWithinFourUlpOfTheExactValue() {
        int n = 130_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -100f + i * 0.001f;
        }
        float[] v = x.clone();
        VECTOR.softplusScaled(v, n, 1f);
        for (int i = 0; i < n; i++) {
            double exact = x[i] > 20 ? x[i] : Math.log1p(Math.exp(x[i]));
            // below e^-87.3 the exponential is clamped (a 1.2e-38 floor), as the scan's is
            double tol = Math.max(4 * Math.ulp((float) exact), 1.2e-38);
            assertEquals(exact, v[i], tol, "softplus(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void activationsAgreeIncludingSaturation(int n) {
        Random r = new Random(n);
        float[] x = random(r, n, 12f); // reaches softplus' linear region (> 20) and exp underflow
        float[] s = x.clone();
        float[] v = x.clone();
        SCALAR.softplusScaled(s, n, 0.37f);
        VECTOR.softplusScaled(v, n, 0.37f);
        assertClose(s, v, "softplus");
        s = x.clone();
        v = x.clone();
        SCALAR.gelu(s, n);
        VECTOR.gelu(v, n);
        assertClose(s, v, "gelu");
        float[] z = random(r, n + 3, 8f);
        s = x.clone();
        v = x.clone();
        SCALAR.mulSilu(s, z, 3, n);
        VECTOR.mulSilu(v, z, 3, n);
        assertClose(s, v, "mulSilu");
        float[] os = new float[n];
        float[] ov = new float[n];
        SCALAR.mulSigmoid(x, 0, z, 3, os, n);
        VECTOR.mulSigmoid(x, 0, z, 3, ov, n);
        assertClose(os, ov, "mulSigmoid");
        assertEquals(SCALAR.sumOfSquares(x, 0, n), VECTOR.sumOfSquares(x, 0, n),
                1e-5 * SCALAR.sumOfSquares(x, 0, n));
        float[] y1 = random(r, n, 1f);
        float[] y2 = y1.clone();
        SCALAR.addProduct(y1, x, z, n);
        VECTOR.addProduct(y2, x, z, n);
        assertClose(y1, y2, "addProduct");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void causalConvAgrees(int dInner) {
        Random r = new Random(dInner);
        int dConv = 4;
        float[] window = random(r, dInner * dConv + 5, 1f);
        float[] w = random(r, dInner * dConv, 1f);
        float[] bias = random(r, dInner, 1f);
        float[] s = new float[dInner];
        float[] v = new float[dInner];
        SCALAR.causalConvSilu(window, 5, w, bias, s, dInner, dConv);
        VECTOR.causalConvSilu(window, 5, w, bias, v, dInner, dConv);
        assertClose(s, v, "causalConvSilu");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void selectiveScanAgreesOverManySteps(int dInner) {
        Random r = new Random(dInner);
        for (int dState : new int[] {1, 7, 16}) {
            float[] a = new float[dState * dInner];
            for (int i = 0; i < a.length; i++) {
                // Mamba's initial A, and every fifth A large enough that e^{Δ·A} goes far below the smallest float.
                a[i] = i % 5 == 4 ? (float) -Math.pow(10, 1 + 3 * r.nextDouble())
                        : -(1 + i % dState) * (0.5f + r.nextFloat());
            }
            float[] d = random(r, dInner, 1f);
            float[] ss = new float[dState * dInner + 3];
            float[] sv = ss.clone();
            float[] ys = new float[dInner];
            float[] yv = new float[dInner];
            for (int step = 0; step < 20; step++) {
                float[] delta = new float[dInner];
                for (int i = 0; i < dInner; i++) {
                    delta[i] = 0.001f + 0.3f * r.nextFloat();
                }
                float[] u = random(r, dInner, 1f);
                float[] bc = random(r, 2 * dState + 2, 1f);
                SCALAR.selectiveScan(ss, 3, a, delta, u, bc, 2, 2 + dState, d, ys, dInner, dState);
                VECTOR.selectiveScan(sv, 3, a, delta, u, bc, 2, 2 + dState, d, yv, dInner, dState);
                assertClose(ys, yv, "selectiveScan y, step " + step);
            }
            assertClose(ss, sv, "selectiveScan state");
        }
    }

    /** Channels per group 1, 7, 17, 1021 in one and in three groups; B and C after an offset, as in the mixer. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void ssdScanAgreesOverManySteps(int groupSize) {
        Random r = new Random(groupSize);
        for (int groups : new int[] {1, 3}) {
            for (int dState : new int[] {1, 7, 16}) {
                int dInner = groups * groupSize;
                float[] ss = new float[dState * dInner + 3];
                float[] sv = ss.clone();
                for (int step = 0; step < 20; step++) {
                    float[] decay = new float[dInner];
                    for (int i = 0; i < dInner; i++) {
                        decay[i] = (float) Math.exp(-(0.001 + 3 * r.nextDouble()));
                    }
                    float[] deltaX = random(r, dInner, 0.3f);
                    float[] bc = random(r, 5 + 2 * groups * dState, 1f);
                    float[] ys = random(r, dInner, 1f);
                    float[] yv = ys.clone();
                    SCALAR.ssdScan(ss, 3, decay, deltaX, bc, 5, 5 + groups * dState, ys, dInner, dState, groups);
                    VECTOR.ssdScan(sv, 3, decay, deltaX, bc, 5, 5 + groups * dState, yv, dInner, dState, groups);
                    assertClose(ys, yv, "ssdScan y, step " + step);
                }
                assertClose(ss, sv, "ssdScan state");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void s4dDiscretizationAndScanAgree(int channels) {
        Random r = new Random(channels);
        for (int half : new int[] {1, 3, 32}) {
            int size = channels * half;
            float[] dt = new float[channels];
            for (int h = 0; h < channels; h++) {
                dt[h] = (float) Math.exp(Math.log(1e-3) + r.nextDouble() * Math.log(100)) * (1 + 4 * r.nextFloat());
            }
            float[] aRe = new float[size];
            float[] aIm = new float[size];
            float[] invA = new float[2 * size];
            for (int k = 0; k < size; k++) {
                aRe[k] = -0.5f * (0.5f + r.nextFloat());
                aIm[k] = (float) (Math.PI * (k / channels));
                double norm = (double) aRe[k] * aRe[k] + (double) aIm[k] * aIm[k];
                invA[k] = (float) (aRe[k] / norm);
                invA[size + k] = (float) (-aIm[k] / norm);
            }
            float[] das = new float[2 * size];
            float[] dbs = new float[2 * size];
            float[] dav = new float[2 * size];
            float[] dbv = new float[2 * size];
            SCALAR.s4dDiscretize(dt, aRe, aIm, invA, das, dbs, channels, half);
            VECTOR.s4dDiscretize(dt, aRe, aIm, invA, dav, dbv, channels, half);
            assertCloseComplex(das, dav, size, 0, "deltaA");
            assertCloseComplex(dbs, dbv, size, 0, "deltaB");

            float[] c = random(r, 2 * size, 1f);
            float[] d = random(r, channels, 1f);
            float[] xs = new float[2 * size + 4];
            float[] xv = xs.clone();
            float[] ys = new float[channels];
            float[] yv = new float[channels];
            for (int step = 0; step < 20; step++) {
                float[] u = random(r, channels, 1f);
                SCALAR.complexDiagonalScan(xs, 4, das, dbs, c, u, d, ys, channels, half);
                VECTOR.complexDiagonalScan(xv, 4, das, dbs, c, u, d, yv, channels, half);
            }
            assertClose(ys, yv, "complexDiagonalScan y");
            assertCloseComplex(xs, xv, size, 4, "complexDiagonalScan state");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void dplrScanAgrees(int channels) {
        Random r = new Random(channels);
        for (int half : new int[] {1, 3, 4}) {
            int size = channels * half;
            // bounded, for a contracting step (|e dRes| ≤ 1/2), so that rounding differences do not grow
            float[] e = uniform(r, 2 * size, 0.5f);
            float[] dRes = uniform(r, 2 * size, 0.5f);
            float[] g = uniform(r, 2 * size, 0.1f);
            float[] p = uniform(r, 2 * size, 0.1f);
            float[] qHat = uniform(r, 2 * size, 0.1f);
            float[] b = random(r, 2 * size, 1f);
            float[] c = random(r, 2 * size, 1f);
            float[] d = random(r, channels, 1f);
            float[] xs = new float[2 * size + 3];
            float[] xv = xs.clone();
            float[] ys = new float[channels];
            float[] yv = new float[channels];
            for (int step = 0; step < 20; step++) {
                float[] u = random(r, channels, 1f);
                SCALAR.dplrScan(xs, 3, e, dRes, g, p, qHat, b, c, u, d, ys, channels, half);
                VECTOR.dplrScan(xv, 3, e, dRes, g, p, qHat, b, c, u, d, yv, channels, half);
            }
            assertClose(ys, yv, "dplrScan y");
            assertCloseComplex(xs, xv, size, 3, "dplrScan state");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void companionScanAgrees(int channels) {
        Random r = new Random(channels);
        for (int dState : new int[] {1, 3, 8}) {
            int size = channels * dState;
            // ‖a‖₁ ≤ 1/2 per channel: a contracting step, so that rounding differences do not grow
            float[] a = uniform(r, size, 0.5f / dState);
            float[] b = random(r, size, 1f);
            float[] c = random(r, size, 1f);
            float[] d = random(r, channels, 1f);
            float[] xs = new float[size + 2];
            float[] xv = xs.clone();
            float[] ys = new float[channels];
            float[] yv = new float[channels];
            for (int step = 0; step < 20; step++) {
                float[] u = random(r, channels, 1f);
                int samples = 1 + step % 4;
                SCALAR.companionScan(xs, 2, a, b, c, u, d, ys, channels, dState, samples);
                VECTOR.companionScan(xv, 2, a, b, c, u, d, yv, channels, dState, samples);
            }
            assertClose(ys, yv, "companionScan y");
            assertClose(xs, xv, "companionScan state");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 17, 1021})
    void complexDiagonalUpdateAgrees(int n) {
        Random r = new Random(n);
        float[] lambda = random(r, 2 * n, 0.6f);
        float[] f = random(r, 2 * n, 1f);
        float[] xs = new float[2 * n + 1];
        float[] xv = xs.clone();
        for (int step = 0; step < 20; step++) {
            float[] w = random(r, 2 * n, 1f);
            SCALAR.complexDiagonalUpdate(xs, 1, lambda, f, w, n);
            VECTOR.complexDiagonalUpdate(xv, 1, lambda, f, w, n);
        }
        assertCloseComplex(xs, xv, n, 1, "complexDiagonalUpdate");
    }
}
