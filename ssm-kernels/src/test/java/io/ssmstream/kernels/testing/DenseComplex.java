package io.ssmstream.kernels.testing;

/**
 * Dense complex linear algebra in double precision for the test references: n × n matrices as separate real and
 * imaginary row-major arrays. Naive on purpose.
 */
public final class DenseComplex {
    private DenseComplex() {
    }

    /**
     * Solves M z = rhs by Gaussian elimination with partial pivoting; rhs becomes z, M is left as is.
     */
    public static void solve(double[] mRe, double[] mIm, double[] rhsRe, double[] rhsIm, int n) {
        double[] aRe = mRe.clone();
        double[] aIm = mIm.clone();
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.hypot(aRe[r * n + col], aIm[r * n + col])
                        > Math.hypot(aRe[pivot * n + col], aIm[pivot * n + col])) {
                    pivot = r;
                }
            }
            swapRows(aRe, n, col, pivot);
            swapRows(aIm, n, col, pivot);
            swap(rhsRe, col, pivot);
            swap(rhsIm, col, pivot);
            double dRe = aRe[col * n + col];
            double dIm = aIm[col * n + col];
            double norm = dRe * dRe + dIm * dIm;
            for (int r = col + 1; r < n; r++) {
                double fRe = (aRe[r * n + col] * dRe + aIm[r * n + col] * dIm) / norm;
                double fIm = (aIm[r * n + col] * dRe - aRe[r * n + col] * dIm) / norm;
                for (int k = col; k < n; k++) {
                    double re = aRe[col * n + k];
                    double im = aIm[col * n + k];
                    aRe[r * n + k] -= fRe * re - fIm * im;
                    aIm[r * n + k] -= fRe * im + fIm * re;
                }
                rhsRe[r] -= fRe * rhsRe[col] - fIm * rhsIm[col];
                rhsIm[r] -= fRe * rhsIm[col] + fIm * rhsRe[col];
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            double accRe = rhsRe[r];
            double accIm = rhsIm[r];
            for (int k = r + 1; k < n; k++) {
                accRe -= aRe[r * n + k] * rhsRe[k] - aIm[r * n + k] * rhsIm[k];
                accIm -= aRe[r * n + k] * rhsIm[k] + aIm[r * n + k] * rhsRe[k];
            }
            double dRe = aRe[r * n + r];
            double dIm = aIm[r * n + r];
            double norm = dRe * dRe + dIm * dIm;
            rhsRe[r] = (accRe * dRe + accIm * dIm) / norm;
            rhsIm[r] = (accIm * dRe - accRe * dIm) / norm;
        }
    }

    /** S4's A = diag(Λ) - P P*: A[r][k] = Λ_r δ_rk - P_r conj(P_k), n × n, as {re, im}. */
    public static double[][] diagonalMinusOuter(double[] lRe, double[] lIm, double[] pRe, double[] pIm, int n) {
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                re[r * n + k] = (r == k ? lRe[r] : 0) - (pRe[r] * pRe[k] + pIm[r] * pIm[k]);
                im[r * n + k] = (r == k ? lIm[r] : 0) - (pIm[r] * pRe[k] - pRe[r] * pIm[k]);
            }
        }
        return new double[][] {re, im};
    }

    /** The product (aRe + i aIm)(bRe + i bIm) of two n × n matrices, as {re, im}. */
    public static double[][] multiply(double[] aRe, double[] aIm, double[] bRe, double[] bIm, int n) {
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < n; c++) {
                    re[r * n + c] += aRe[r * n + k] * bRe[k * n + c] - aIm[r * n + k] * bIm[k * n + c];
                    im[r * n + c] += aRe[r * n + k] * bIm[k * n + c] + aIm[r * n + k] * bRe[k * n + c];
                }
            }
        }
        return new double[][] {re, im};
    }

    private static void swapRows(double[] a, int n, int x, int y) {
        for (int k = 0; k < n; k++) {
            double t = a[x * n + k];
            a[x * n + k] = a[y * n + k];
            a[y * n + k] = t;
        }
    }

    private static void swap(double[] a, int x, int y) {
        double t = a[x];
        a[x] = a[y];
        a[y] = t;
    }
}
