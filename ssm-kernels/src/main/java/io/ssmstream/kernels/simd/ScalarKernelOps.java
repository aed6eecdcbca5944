package io.ssmstream.kernels.simd;

import io.ssmstream.kernels.math.Activations;

/** Plain loops that read like the equations; the oracle for {@code PanamaKernelOps} and the fallback. */
public final class ScalarKernelOps implements KernelOps {
    /** Up to this many output rows, {@link #matVec} goes row by row (see there). */
    static final int ROW_BY_ROW_MAX_ROWS = 4;

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void matVec(float[] wT, int rows, int cols, float[] x, int xOff, float[] bias, float[] y, int yOff) {
        matVec(wT, rows, cols, x, xOff, bias, y, yOff, 0);
    }

    /**
     * {@link #matVec} for output rows [from, rows): also the vector version's tail. A few rows go row by row:
     * the column loop below would enter its inner loop (which the JIT unrolls and vectorizes) once per column
     * for one or two rows (the vector version's tail, a one-channel head), which costs more than the products.
     * Both orders sum each row's products in the same order (bias first, then column 0, 1, ...), so they give
     * the same floats.
     */
    static void matVec(float[] wT, int rows, int cols, float[] x, int xOff, float[] bias, float[] y, int yOff,
                       int from) {
        if (rows - from <= ROW_BY_ROW_MAX_ROWS) {
            matVecByRow(wT, rows, cols, x, xOff, bias, y, yOff, from);
            return;
        }
        for (int r = from; r < rows; r++) {
            y[yOff + r] = bias == null ? 0f : bias[r];
        }
        for (int j = 0; j < cols; j++) {
            float xj = x[xOff + j];
            int column = j * rows;
            for (int r = from; r < rows; r++) {
                y[yOff + r] += wT[column + r] * xj;
            }
        }
    }

    /** Input by input: the oracle of the batched products, whose meaning is one {@link #matVec} per input. */
    @Override
    public void matMat(float[] wT, int rows, int cols, float[] x, int xStride, int batch, float[] bias, float[] y) {
        for (int b = 0; b < batch; b++) {
            matVec(wT, rows, cols, x, b * xStride, bias, y, b * rows, 0);
        }
    }

    private static void matVecByRow(float[] wT, int rows, int cols, float[] x, int xOff, float[] bias, float[] y,
                                    int yOff, int from) {
        for (int r = from; r < rows; r++) {
            float acc = bias == null ? 0f : bias[r];
            for (int j = 0, w = r; j < cols; j++, w += rows) {
                acc += wT[w] * x[xOff + j];
            }
            y[yOff + r] = acc;
        }
    }

    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        return sumOfSquaresInOrder(x, off, n);
    }

    /** Σ x² added strictly left to right, so every implementation and JIT tier gives the same bits. */
    static float sumOfSquaresInOrder(float[] x, int off, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[off + i] * x[off + i];
        }
        return sum;
    }

    @Override
    public void causalConvSilu(float[] window, int wOff, float[] w, float[] bias, float[] out, int dInner, int dConv) {
        causalConvSilu(window, wOff, w, bias, out, dInner, dConv, 0);
    }

    /** {@link #causalConvSilu} for channels [from, dInner): also the vector version's tail. */
    static void causalConvSilu(float[] window, int wOff, float[] w, float[] bias, float[] out, int dInner, int dConv,
                               int from) {
        for (int i = from; i < dInner; i++) {
            float acc = bias[i];
            for (int k = 0; k < dConv; k++) {
                acc += window[wOff + k * dInner + i] * w[k * dInner + i];
            }
            out[i] = Activations.silu(acc);
        }
    }

    @Override
    public void softplusScaled(float[] x, int n, float scale) {
        for (int i = 0; i < n; i++) {
            x[i] = Activations.softplus(x[i]) * scale;
        }
    }

    @Override
    public void selectiveScan(float[] s, int sOff, float[] a, float[] delta, float[] u, float[] bc, int bOff, int cOff,
                              float[] d, float[] y, int dInner, int dState) {
        selectiveScan(s, sOff, a, delta, u, bc, bOff, cOff, d, y, dInner, dState, 0);
    }

    /** {@link #selectiveScan} for channels [from, dInner): also the vector version's tail. */
    static void selectiveScan(float[] s, int sOff, float[] a, float[] delta, float[] u, float[] bc, int bOff, int cOff,
                              float[] d, float[] y, int dInner, int dState, int from) {
        for (int i = from; i < dInner; i++) {
            float yi = d[i] * u[i];
            for (int n = 0; n < dState; n++) {
                int k = n * dInner + i;
                float deltaA = (float) Math.exp(delta[i] * a[k]);
                float deltaBu = (delta[i] * bc[bOff + n]) * u[i];
                float si = s[sOff + k] * deltaA + deltaBu;
                s[sOff + k] = si;
                yi += si * bc[cOff + n];
            }
            y[i] = yi;
        }
    }

    @Override
    public void ssdScan(float[] s, int sOff, float[] decay, float[] deltaX, float[] bc, int bOff, int cOff, float[] y,
                        int dInner, int dState, int groups) {
        int groupSize = dInner / groups;
        for (int g = 0; g < groups; g++) {
            ssdScanChannels(s, sOff, decay, deltaX, bc, bOff + g * dState, cOff + g * dState, y, dInner, dState,
                    g * groupSize, (g + 1) * groupSize);
        }
    }

    /** {@link #ssdScan} for channels [from, to) of one group, whose B and C start at bOff and cOff. */
    static void ssdScanChannels(float[] s, int sOff, float[] decay, float[] deltaX, float[] bc, int bOff, int cOff,
                                float[] y, int dInner, int dState, int from, int to) {
        for (int i = from; i < to; i++) {
            float yi = y[i];
            for (int n = 0; n < dState; n++) {
                int k = sOff + n * dInner + i;
                float si = s[k] * decay[i] + deltaX[i] * bc[bOff + n];
                s[k] = si;
                yi += si * bc[cOff + n];
            }
            y[i] = yi;
        }
    }

    @Override
    public void mulSilu(float[] y, float[] z, int zOff, int n) {
        for (int i = 0; i < n; i++) {
            y[i] *= Activations.silu(z[zOff + i]);
        }
    }

    @Override
    public void gelu(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = Activations.gelu(x[i]);
        }
    }

    @Override
    public void mulSigmoid(float[] a, int aOff, float[] g, int gOff, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = a[aOff + i] * Activations.sigmoid(g[gOff + i]);
        }
    }

    @Override
    public void s4dDiscretize(float[] dt, float[] aRe, float[] aIm, float[] invA, float[] deltaA, float[] deltaB,
                              int channels, int half) {
        for (int n = 0; n < half; n++) {
            s4dDiscretize(dt, aRe, aIm, invA, deltaA, deltaB, channels, half, n, 0);
        }
    }

    /**
     * {@link #s4dDiscretize} in double precision for mode n and channels [from, channels): also the vector
     * version's tail.
     */
    static void s4dDiscretize(float[] dt, float[] aRe, float[] aIm, float[] invA, float[] deltaA, float[] deltaB,
                              int channels, int half, int n, int from) {
        int size = channels * half;
        for (int h = from; h < channels; h++) {
            int k = n * channels + h;
            double re = (double) dt[h] * aRe[k];
            double im = (double) dt[h] * aIm[k];
            double magnitude = Math.exp(re);
            double sin = Math.sin(im);
            double sinHalf = Math.sin(0.5 * im);
            // exp(dtA) - 1 without cancellation for small dtA.
            double minusOneRe = Math.expm1(re) * Math.cos(im) - 2 * sinHalf * sinHalf;
            double minusOneIm = magnitude * sin;
            deltaA[k] = (float) (magnitude * Math.cos(im));
            deltaA[size + k] = (float) minusOneIm;
            double invRe = invA[k];
            double invIm = invA[size + k];
            deltaB[k] = (float) (minusOneRe * invRe - minusOneIm * invIm);
            deltaB[size + k] = (float) (minusOneRe * invIm + minusOneIm * invRe);
        }
    }

    @Override
    public void complexDiagonalScan(float[] x, int xOff, float[] deltaA, float[] deltaB, float[] c, float[] u,
                                    float[] d, float[] y, int channels, int half) {
        complexDiagonalScan(x, xOff, deltaA, deltaB, c, u, d, y, channels, half, 0);
    }

    /** {@link #complexDiagonalScan} for channels [from, channels): also the vector version's tail. */
    static void complexDiagonalScan(float[] x, int xOff, float[] deltaA, float[] deltaB, float[] c, float[] u,
                                    float[] d, float[] y, int channels, int half, int from) {
        int size = channels * half;
        for (int h = from; h < channels; h++) {
            float yh = d[h] * u[h];
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                float xRe = x[xOff + k];
                float xIm = x[xOff + size + k];
                float nextRe = deltaA[k] * xRe - deltaA[size + k] * xIm + deltaB[k] * u[h];
                float nextIm = deltaA[k] * xIm + deltaA[size + k] * xRe + deltaB[size + k] * u[h];
                x[xOff + k] = nextRe;
                x[xOff + size + k] = nextIm;
                yh += c[k] * nextRe - c[size + k] * nextIm;
            }
            y[h] = yh;
        }
    }

    @Override
    public void dplrScan(float[] x, int xOff, float[] e, float[] dRes, float[] g, float[] p, float[] qHat,
                         float[] b, float[] c, float[] u, float[] dSkip, float[] y, int channels, int half) {
        dplrScan(x, xOff, e, dRes, g, p, qHat, b, c, u, dSkip, y, channels, half, 0);
    }

    /** {@link #dplrScan} for channels [from, channels): also the vector version's tail. */
    static void dplrScan(float[] x, int xOff, float[] e, float[] dRes, float[] g, float[] p, float[] qHat,
                         float[] b, float[] c, float[] u, float[] dSkip, float[] y, int channels, int half,
                         int from) {
        int size = channels * half;
        for (int h = from; h < channels; h++) {
            float q = 0;
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                q += qHat[k] * x[xOff + k] + qHat[size + k] * x[xOff + size + k];
            }
            float w = 0;
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                w += g[k] * dplrInputRe(x, xOff, e, p, b, u, q, h, k, size)
                        + g[size + k] * dplrInputIm(x, xOff, e, p, b, u, q, h, k, size);
            }
            float yh = dSkip[h] * u[h];
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                float tRe = dplrInputRe(x, xOff, e, p, b, u, q, h, k, size) - p[k] * w;
                float tIm = dplrInputIm(x, xOff, e, p, b, u, q, h, k, size) - p[size + k] * w;
                float nextRe = dRes[k] * tRe - dRes[size + k] * tIm;
                float nextIm = dRes[k] * tIm + dRes[size + k] * tRe;
                x[xOff + k] = nextRe;
                x[xOff + size + k] = nextIm;
                yh += c[k] * nextRe - c[size + k] * nextIm;
            }
            y[h] = yh;
        }
    }

    /** Re s[n] = Re(e x - p q + b u) of {@link #dplrScan}, from the state before the update. */
    private static float dplrInputRe(float[] x, int xOff, float[] e, float[] p, float[] b, float[] u, float q,
                                     int h, int k, int size) {
        return e[k] * x[xOff + k] - e[size + k] * x[xOff + size + k] - p[k] * q + b[k] * u[h];
    }

    /** Im s[n] of {@link #dplrScan}. */
    private static float dplrInputIm(float[] x, int xOff, float[] e, float[] p, float[] b, float[] u, float q,
                                     int h, int k, int size) {
        return e[k] * x[xOff + size + k] + e[size + k] * x[xOff + k] - p[size + k] * q + b[size + k] * u[h];
    }

    @Override
    public void complexDiagonalUpdate(float[] x, int xOff, float[] lambda, float[] f, float[] w, int n) {
        complexDiagonalUpdate(x, xOff, lambda, f, w, n, 0);
    }

    /** {@link #complexDiagonalUpdate} for elements [from, n): also the vector version's tail. */
    static void complexDiagonalUpdate(float[] x, int xOff, float[] lambda, float[] f, float[] w, int n, int from) {
        for (int k = from; k < n; k++) {
            float xRe = x[xOff + k];
            float xIm = x[xOff + n + k];
            float fwRe = f[k] * w[k] - f[n + k] * w[n + k];
            float fwIm = f[k] * w[n + k] + f[n + k] * w[k];
            x[xOff + k] = lambda[k] * xRe - lambda[n + k] * xIm + fwRe;
            x[xOff + n + k] = lambda[k] * xIm + lambda[n + k] * xRe + fwIm;
        }
    }

    @Override
    public void companionScan(float[] x, int xOff, float[] a, float[] b, float[] c, float[] u, float[] d,
                              float[] y, int channels, int dState, int steps) {
        companionScan(x, xOff, a, b, c, u, d, y, channels, dState, steps, 0);
    }

    /** {@link #companionScan} for channels [from, channels): also the vector version's tail. */
    static void companionScan(float[] x, int xOff, float[] a, float[] b, float[] c, float[] u, float[] d,
                              float[] y, int channels, int dState, int steps, int from) {
        int top = xOff + (dState - 1) * channels;
        for (int h = from; h < channels; h++) {
            for (int s = 1; s < steps; s++) {
                float last = x[top + h];
                for (int n = dState - 1; n > 0; n--) {
                    int k = n * channels + h;
                    x[xOff + k] = x[xOff + k - channels] + a[k] * last;
                }
                x[xOff + h] = a[h] * last;
            }
            float last = x[top + h];
            float uh = u[h];
            float yh = d[h] * uh;
            for (int n = dState - 1; n > 0; n--) {
                int k = n * channels + h;
                float next = x[xOff + k - channels] + a[k] * last + b[k] * uh;
                x[xOff + k] = next;
                yh += c[k] * next;
            }
            float first = a[h] * last + b[h] * uh;
            x[xOff + h] = first;
            y[h] = yh + c[h] * first;
        }
    }

    @Override
    public void addProduct(float[] y, float[] a, float[] b, int n) {
        for (int i = 0; i < n; i++) {
            y[i] += a[i] * b[i];
        }
    }
}
