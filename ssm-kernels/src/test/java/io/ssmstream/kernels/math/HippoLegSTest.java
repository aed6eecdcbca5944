package io.ssmstream.kernels.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HippoLegSTest {

    /** {@code numpy.linalg.eigh(S * -1j)} for n = 8, S the normal part of HiPPO-LegS (as S5's make_DPLR_HiPPO). */
    private static final double[] NUMPY_OMEGA_8 = {-19.857410370971, -5.354208515031, -1.957794150903,
        -0.427488712286, 0.427488712286, 1.957794150903, 5.354208515031, 19.857410370971};

    @Test
    void eigenvaluesEqualNumpyEigh() {
        HippoLegS.NormalEigen e = HippoLegS.normalEigen(8);
        assertEquals(-0.5, e.lambdaReal(), 1e-12);
        assertArrayEquals(NUMPY_OMEGA_8, e.omega(), 1e-9);
    }

    @Test
    void matrixIsLowerTriangularLegS() {
        double[] a = HippoLegS.matrix(3);
        assertArrayEquals(new double[] {-1, 0, 0, -Math.sqrt(3), -2, 0, -Math.sqrt(5), -Math.sqrt(15), -3}, a, 1e-12);
    }

    /** S V = V diag(Λ) and V* V = I, checked in complex arithmetic on the original matrix, not the embedding. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 16, 64})
    void eigenvectorsDiagonaliseTheNormalPart(int n) {
        HippoLegS.NormalEigen e = HippoLegS.normalEigen(n);
        double[] a = HippoLegS.matrix(n);
        double worstResidual = 0;
        double worstOrthogonality = 0;
        for (int j = 0; j < n; j++) {
            for (int r = 0; r < n; r++) {
                double re = 0;
                double im = 0;
                for (int c = 0; c < n; c++) {
                    double s = a[r * n + c] + Math.sqrt((r + 0.5) * (c + 0.5));
                    re += s * e.vRe()[c * n + j];
                    im += s * e.vIm()[c * n + j];
                }
                // (λr + i ω) (vRe + i vIm)
                double wantRe = e.lambdaReal() * e.vRe()[r * n + j] - e.omega()[j] * e.vIm()[r * n + j];
                double wantIm = e.lambdaReal() * e.vIm()[r * n + j] + e.omega()[j] * e.vRe()[r * n + j];
                worstResidual = Math.max(worstResidual, Math.hypot(re - wantRe, im - wantIm));
            }
            for (int k = 0; k < n; k++) {
                double re = 0;
                double im = 0;
                for (int r = 0; r < n; r++) {
                    re += e.vRe()[r * n + j] * e.vRe()[r * n + k] + e.vIm()[r * n + j] * e.vIm()[r * n + k];
                    im += e.vRe()[r * n + j] * e.vIm()[r * n + k] - e.vIm()[r * n + j] * e.vRe()[r * n + k];
                }
                worstOrthogonality = Math.max(worstOrthogonality, Math.hypot(re - (j == k ? 1 : 0), im));
            }
        }
        assertTrue(worstResidual < 1e-9 * Math.max(1, n), "residual " + worstResidual);
        assertTrue(worstOrthogonality < 1e-9, "V* V - I " + worstOrthogonality);
        for (int j = 1; j < n; j++) {
            assertTrue(e.omega()[j] > e.omega()[j - 1], "ascending");
        }
    }

    @Test
    void nonPositiveSizeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HippoLegS.normalEigen(0));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }
}
