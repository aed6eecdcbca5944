package io.ssmstream.kernels.math;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * The HiPPO-LegS matrix (Gu, Dao, Ermon, Rudra and Ré 2020) and the eigendecomposition of its normal part, from
 * which S5 (Smith, Warrington and Linderman 2023, {@code make_DPLR_HiPPO}) initialises its diagonal state
 * matrix.
 *
 * <pre>
 *   A[n,k] = -√((2n+1)(2k+1))  for n &gt; k,   -(n+1)  for n = k,   0  for n &lt; k
 *   P[n]   = √(n + 1/2)
 *   S      = A + P Pᵀ = -½ I + K,            K skew-symmetric (the "normal part": S is normal)
 *   S      = V (-½ + i ω) V*                 with (ω, V) the eigenpairs of the Hermitian matrix -i K
 * </pre>
 * S5 takes ω from {@code eigh(S · -1j)}, which reads only the Hermitian part -iK. A Hermitian M = Re M + i Im M
 * has the eigenpairs of the real symmetric [[Re M, -Im M], [Im M, Re M]], each eigenvalue twice, with
 * eigenvectors [Re v; Im v]; that is how they are computed here, with Commons Math's symmetric solver.
 */
public final class HippoLegS {
    private HippoLegS() {
    }

    /**
     * S's eigenvalues and eigenvectors, ascending ω as {@code numpy.linalg.eigh} orders them.
     *
     * @param lambdaReal Re Λ, the mean of S's diagonal (-½)
     * @param omega      Im Λ, ascending, (n)
     * @param vRe        Re V, (n, n) row-major: column j is the eigenvector of {@code omega[j]}, unit length
     * @param vIm        Im V, (n, n) row-major
     */
    public record NormalEigen(double lambdaReal, double[] omega, double[] vRe, double[] vIm) {
    }

    /**
     * HiPPO-LegS in normal plus low-rank form over the kept half of each conjugate pair (S4's
     * {@code dplr.nplr("legs")}, rank 1): A = V (Λ - P P*) V* with Λ the n/2 eigenvalues of S with negative
     * imaginary part, P = V* √(k + ½) and B = V* √(2k + 1) (the HiPPO input).
     *
     * @param eigen S's eigendecomposition; its first n/2 columns are the kept half
     * @param pRe   Re P, (n/2); {@code pIm}, {@code bRe}, {@code bIm} likewise
     */
    public record NormalPlusLowRank(NormalEigen eigen, double[] pRe, double[] pIm, double[] bRe, double[] bIm) {
        /**
         * Λ, P and B repeated for {@code channels} channels in S4's tensor layouts: {inv_A_real = log(-Re Λ),
         * A_imag = Im Λ, both (H, n/2); P (1, H, n/2, 2); B (H, n/2, 2)}.
         */
        public float[][] s4Layout(int channels) {
            int half = pRe.length;
            float[] invAReal = new float[channels * half];
            float[] aImag = new float[channels * half];
            float[] p = new float[channels * half * 2];
            float[] b = new float[channels * half * 2];
            for (int c = 0; c < channels; c++) {
                for (int k = 0; k < half; k++) {
                    int at = c * half + k;
                    invAReal[at] = (float) Math.log(-eigen.lambdaReal());
                    aImag[at] = (float) eigen.omega()[k];
                    p[2 * at] = (float) pRe[k];
                    p[2 * at + 1] = (float) pIm[k];
                    b[2 * at] = (float) bRe[k];
                    b[2 * at + 1] = (float) bIm[k];
                }
            }
            return new float[][] {invAReal, aImag, p, b};
        }
    }

    /** {@link NormalPlusLowRank} of the n × n HiPPO-LegS matrix, n even. */
    public static NormalPlusLowRank normalPlusLowRank(int n) {
        if (n % 2 != 0) {
            throw new IllegalArgumentException("the normal plus low-rank form keeps conjugate pairs: n must be even,"
                    + " got " + n);
        }
        NormalEigen eigen = normalEigen(n);
        int half = n / 2;
        double[] pRe = new double[half];
        double[] pIm = new double[half];
        double[] bRe = new double[half];
        double[] bIm = new double[half];
        for (int k = 0; k < half; k++) {
            for (int r = 0; r < n; r++) {
                // V* x for a real x: Σ_r conj(V[r, k]) x[r]
                double legsP = Math.sqrt(r + 0.5);
                double legsB = Math.sqrt(2.0 * r + 1);
                pRe[k] += eigen.vRe()[r * n + k] * legsP;
                pIm[k] -= eigen.vIm()[r * n + k] * legsP;
                bRe[k] += eigen.vRe()[r * n + k] * legsB;
                bIm[k] -= eigen.vIm()[r * n + k] * legsB;
            }
        }
        return new NormalPlusLowRank(eigen, pRe, pIm, bRe, bIm);
    }

    /** The HiPPO-LegS state matrix A, (n, n) row-major. */
    public static double[] matrix(int n) {
        double[] a = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k <= r; k++) {
                a[r * n + k] = r == k ? -(r + 1) : -Math.sqrt((2.0 * r + 1) * (2.0 * k + 1));
            }
        }
        return a;
    }

    /** Diagonalises the normal part of the n × n HiPPO-LegS matrix. */
    public static NormalEigen normalEigen(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("HiPPO size must be positive, got " + n);
        }
        double[] a = matrix(n);
        double[] k = new double[n * n]; // (n, n): S + ½ I
        double diagonalSum = 0;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                double s = a[r * n + c] + Math.sqrt((r + 0.5) * (c + 0.5));
                k[r * n + c] = r == c ? 0 : s;
                if (r == c) {
                    diagonalSum += s;
                }
            }
        }
        // -iK has Re = 0 and Im = -K, so its real embedding is [[0, K], [-K, 0]]
        double[][] embedding = new double[2 * n][2 * n];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                embedding[r][n + c] = k[r * n + c];
                embedding[n + r][c] = -k[r * n + c];
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(embedding, false));
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] omega = new double[n];
        double[] vRe = new double[n * n];
        double[] vIm = new double[n * n];
        for (int j = 0; j < n; j++) {
            // each ω appears twice, with eigenvectors v and i·v of the same complex line: keep one
            int pick = order[2 * j];
            omega[j] = values[pick];
            RealVector z = eigen.getEigenvector(pick);
            double norm = z.getNorm();
            for (int r = 0; r < n; r++) {
                vRe[r * n + j] = z.getEntry(r) / norm;
                vIm[r * n + j] = z.getEntry(n + r) / norm;
            }
        }
        return new NormalEigen(diagonalSum / n, omega, vRe, vIm);
    }
}
