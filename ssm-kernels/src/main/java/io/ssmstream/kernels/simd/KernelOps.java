package io.ssmstream.kernels.simd;

/**
 * The numeric building blocks of every SSM step, with a plain scalar implementation ({@link ScalarKernelOps},
 * the test oracle) and a Vector API one ({@code PanamaKernelOps}), chosen at run time by
 * {@link KernelOpsProvider}. Every method works on caller-owned flat arrays and allocates nothing.
 *
 * <p>Matrices are passed transposed, {@code wT (cols, rows)} row-major, so that a product
 * {@code y = W x} is a sum of scaled columns: vectorizable along the output without horizontal sums.
 * Complex arrays hold all real parts first, then all imaginary parts.
 */
public interface KernelOps {

    /** A short name for logs and benchmarks, e.g. {@code scalar} or {@code vector-512}. */
    String name();

    /**
     * {@code y[yOff + r] = bias[r] + Σ_j W[r, j] x[xOff + j]} for r in [0, rows).
     *
     * @param wT   W transposed, (cols, rows) row-major
     * @param bias (rows), or null for none
     */
    void matVec(float[] wT, int rows, int cols, float[] x, int xOff, float[] bias, float[] y, int yOff);

    /**
     * {@link #matVec} for a batch of independent inputs with one pass over the weights:
     * {@code y[b·rows + r] = bias[r] + Σ_j W[r, j] x[b·xStride + j]} for b in [0, batch), r in [0, rows). Each row
     * of y is exactly the float {@link #matVec} of the same implementation gives for that input alone (same
     * products, added in the same order), so a batched step gives the bits of the one-at-a-time step.
     *
     * @param wT      W transposed, (cols, rows) row-major
     * @param x       (batch, xStride) row-major, the first cols of each row used
     * @param xStride floats between the starts of two inputs, at least cols
     * @param bias    (rows), or null for none
     * @param y       (batch, rows) row-major
     */
    void matMat(float[] wT, int rows, int cols, float[] x, int xStride, int batch, float[] bias, float[] y);

    /** Σ x[off + i]² for i in [0, n). */
    float sumOfSquares(float[] x, int off, int n);

    /**
     * Mamba's depthwise causal convolution over a window already holding the newest input:
     * {@code out[i] = silu(bias[i] + Σ_k window[wOff + k·dInner + i] · w[k·dInner + i])}.
     *
     * @param window (dConv, dInner) row-major, oldest first, at {@code wOff}
     * @param w      conv weights transposed, (dConv, dInner)
     */
    void causalConvSilu(float[] window, int wOff, float[] w, float[] bias, float[] out, int dInner, int dConv);

    /** In place: {@code x[i] = softplus(x[i]) · scale} for i in [0, n), softplus linear above 20. */
    void softplusScaled(float[] x, int n, float scale);

    /**
     * Mamba's selective scan for one event, all channels:
     * <pre>
     *   deltaA[n,i]  = exp(Δ[i] · A[n,i])
     *   deltaBu[n,i] = (Δ[i] · B[n]) · u[i]
     *   s[n,i]       = s[n,i] · deltaA[n,i] + deltaBu[n,i]
     *   y[i]         = Σ_n s[n,i] · C[n] + D[i] · u[i]
     * </pre>
     *
     * @param s     hidden state, (dState, dInner) row-major at {@code sOff}
     * @param a     A = -exp(A_log) transposed, (dState, dInner)
     * @param delta Δ, (dInner)
     * @param u     the convolved input, (dInner)
     * @param bc    B at {@code bOff} and C at {@code cOff}, (dState) each
     * @param y     output, (dInner)
     */
    void selectiveScan(float[] s, int sOff, float[] a, float[] delta, float[] u, float[] bc, int bOff, int cOff,
                       float[] d, float[] y, int dInner, int dState);

    /** In place: {@code y[i] = y[i] · silu(z[zOff + i])} for i in [0, n). */
    void mulSilu(float[] y, float[] z, int zOff, int n);

    /** In place: {@code x[i] = gelu(x[i])}, exact erf GELU. */
    void gelu(float[] x, int n);

    /** {@code out[i] = a[aOff + i] · σ(g[gOff + i])} for i in [0, n) (a GLU when a and g are halves of one vector). */
    void mulSigmoid(float[] a, int aOff, float[] g, int gOff, float[] out, int n);

    /**
     * S4D's zero-order-hold discretization for channel step sizes {@code dt[h]} (already scaled by τ):
     * {@code deltaA = exp(dt·A)}, {@code deltaB = (exp(dt·A) - 1) / A}, computed as
     * {@code (expm1(dt·Re A)·cos(dt·Im A) - 2 sin²(dt·Im A / 2) + i e^{dt·Re A} sin(dt·Im A)) · A⁻¹}
     * to stay accurate when dt·A is small.
     *
     * @param aRe    Re A, (half, H); {@code aIm} likewise
     * @param invA   A⁻¹, complex (half, H): real block then imaginary block
     * @param deltaA output, complex (half, H); {@code deltaB} likewise
     */
    void s4dDiscretize(float[] dt, float[] aRe, float[] aIm, float[] invA, float[] deltaA, float[] deltaB,
                       int channels, int half);

    /**
     * S4D's diagonal recurrence for one event, all channels:
     * <pre>
     *   x[n,h] = deltaA[n,h] · x[n,h] + deltaB[n,h] · u[h]      (complex)
     *   y[h]   = Σ_n Re(c[n,h] · x[n,h]) + D[h] · u[h]
     * </pre>
     *
     * @param x state, complex (half, H) at {@code xOff}: real block then imaginary block
     * @param c output weights, complex (half, H) (S4D passes 2C so that y = 2 Re(Σ C x))
     */
    void complexDiagonalScan(float[] x, int xOff, float[] deltaA, float[] deltaB, float[] c, float[] u, float[] d,
                             float[] y, int channels, int half);

    /**
     * S4's diagonal-plus-low-rank recurrence for one event, all channels: the bilinear step
     * (I - Δ/2 A) x' = (I + Δ/2 A) x + Δ B u of A = Λ - P P*, solved with the Woodbury identity (rank 1,
     * conjugate pairs kept as one half). Per channel h:
     * <pre>
     *   q    = Σ_n Re(conj(q̂[n]) x[n])             (Δ/2 · the full state's P* x: S4 passes q̂ = Δ P)
     *   s[n] = e[n] x[n] - p[n] q + b[n] u          (e = 1 + Δ Λ / 2, p = P, b = Δ B)
     *   w    = Σ_n Re(conj(g[n]) s[n])              (g = r Δ P conj(dRes), r = 1 / (1 + Δ Σ_n |P|² Re dRes))
     *   x[n] = dRes[n] (s[n] - p[n] w)              (dRes = 1 / (1 - Δ Λ / 2))
     *   y    = Σ_n Re(c[n] x[n]) + dSkip u          (S4 passes 2C)
     * </pre>
     * Every complex array is (half, H): the real block, then the imaginary block.
     *
     * @param x state, complex (half, H) at {@code xOff}, updated in place
     * @param y output, (H)
     */
    void dplrScan(float[] x, int xOff, float[] e, float[] dRes, float[] g, float[] p, float[] qHat, float[] b,
                  float[] c, float[] u, float[] dSkip, float[] y, int channels, int half);

    /**
     * SpaceTime's companion recurrence for one event, all channels. A = S + a e_{N-1}ᵀ, S the down-shift, so
     * {@code (A x)[n] = x[n-1] + a[n] x[N-1]} ({@code x[-1] = 0}), 2N multiply-adds per channel. Per channel h,
     * first {@code steps - 1} times {@code x = A x} (the samples a gap skipped, zero input), then
     * <pre>
     *   x[n] = x[n-1] + a[n] x[N-1] + b[n] u      (for n = N-1 down to 0, in place)
     *   y    = Σ_n c[n] x[n] + D u
     * </pre>
     *
     * @param x     state, (N, H) row-major at {@code xOff}, updated in place
     * @param a     the companion column â, (N, H) row-major; {@code b} and {@code c} likewise
     * @param steps samples since the last event, at least 1
     * @param y     output, (H)
     */
    void companionScan(float[] x, int xOff, float[] a, float[] b, float[] c, float[] u, float[] d, float[] y,
                       int channels, int dState, int steps);

    /**
     * LRU's diagonal recurrence: {@code x[n] = λ[n] · x[n] + f[n] · w[n]} over complex vectors of length n.
     *
     * @param x state, complex (n) at {@code xOff}
     * @param w driving input (B u), complex (n)
     */
    void complexDiagonalUpdate(float[] x, int xOff, float[] lambda, float[] f, float[] w, int n);

    /**
     * Mamba-2's state space duality step for one event, all channels: the channels are in {@code groups}
     * consecutive groups of {@code dInner / groups}, channel i's group g(i) sharing B and C:
     * <pre>
     *   s[n,i] = s[n,i] · decay[i] + deltaX[i] · B[g(i), n]
     *   y[i]   = y[i] + Σ_n s[n,i] · C[g(i), n]
     * </pre>
     * The caller spreads each head's scalars over its channels: {@code decay = exp(Δ_h A_h)},
     * {@code deltaX = Δ_h x}, and {@code y = D_h x} on entry.
     *
     * @param s      hidden state, (dState, dInner) row-major at {@code sOff}
     * @param decay  per channel, (dInner)
     * @param deltaX per channel, (dInner)
     * @param bc     B (groups, dState) row-major at {@code bOff}, C likewise at {@code cOff}
     * @param y      in: the skip term, out: the output, (dInner)
     */
    void ssdScan(float[] s, int sOff, float[] decay, float[] deltaX, float[] bc, int bOff, int cOff, float[] y,
                 int dInner, int dState, int groups);

    /** {@code y[i] += a[i] · b[i]} for i in [0, n). */
    void addProduct(float[] y, float[] a, float[] b, int n);
}
