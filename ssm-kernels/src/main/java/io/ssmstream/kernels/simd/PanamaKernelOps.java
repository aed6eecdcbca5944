package io.ssmstream.kernels.simd;

import io.ssmstream.kernels.math.Activations;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelOps} on the Vector API ({@code jdk.incubator.vector}), using the platform's preferred float
 * species. Loops run whole vectors and finish the remainder with the scalar code of {@link ScalarKernelOps}
 * (masked vectors would allocate where a JDK does not intrinsify them), so every size works. The selective
 * scan's exponentials are inline vector arithmetic ({@link #selectiveScan}); the other transcendentals (exp,
 * expm1, log1p, sin, cos) are the Vector API's own lanewise operators, which the JIT maps to accurate vector
 * math routines where the CPU has them.
 *
 * <p>Loaded only by reflection from {@link KernelOpsProvider}: nothing else may refer to this class, so that
 * a JVM started without {@code --add-modules jdk.incubator.vector} never links it.
 */
final class PanamaKernelOps implements KernelOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final float INV_SQRT2 = 0.70710677f;
    private static final float EXP_MIN_ARG = -87.33654f; // ln(2^-126): 2^k stays a normal float
    private static final float EXP_MAX_ARG = 88f;        // k = round(x / ln 2) ≤ 127: 2^k stays finite
    private static final float LOG2_E = 1.44269504f;
    private static final float ROUND_SHIFT = 12582912f; // 1.5 · 2^23: adding and subtracting it rounds to an integer
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float EXP_P0 = 1.9875691500e-4f;
    private static final float EXP_P1 = 1.3981999507e-3f;
    private static final float EXP_P2 = 8.3334519073e-3f;
    private static final float EXP_P3 = 4.1665795894e-2f;
    private static final float EXP_P4 = 1.6666665459e-1f;
    private static final float EXP_P5 = 5.0000001201e-1f;

    @Override
    public String name() {
        return "vector-" + F.vectorBitSize();
    }

    @Override
    public void matVec(float[] wT, int rows, int cols, float[] x, int xOff, float[] bias, float[] y, int yOff) {
        int r = 0;
        // Four row blocks at a time share each broadcast of x[j].
        for (; r + 4 * L <= rows; r += 4 * L) {
            FloatVector acc0 = initial(bias, r);
            FloatVector acc1 = initial(bias, r + L);
            FloatVector acc2 = initial(bias, r + 2 * L);
            FloatVector acc3 = initial(bias, r + 3 * L);
            for (int j = 0; j < cols; j++) {
                FloatVector xj = FloatVector.broadcast(F, x[xOff + j]);
                int column = j * rows + r;
                acc0 = FloatVector.fromArray(F, wT, column).fma(xj, acc0);
                acc1 = FloatVector.fromArray(F, wT, column + L).fma(xj, acc1);
                acc2 = FloatVector.fromArray(F, wT, column + 2 * L).fma(xj, acc2);
                acc3 = FloatVector.fromArray(F, wT, column + 3 * L).fma(xj, acc3);
            }
            acc0.intoArray(y, yOff + r);
            acc1.intoArray(y, yOff + r + L);
            acc2.intoArray(y, yOff + r + 2 * L);
            acc3.intoArray(y, yOff + r + 3 * L);
        }
        for (; r + L <= rows; r += L) {
            FloatVector acc = initial(bias, r);
            for (int j = 0; j < cols; j++) {
                acc = FloatVector.fromArray(F, wT, j * rows + r).fma(FloatVector.broadcast(F, x[xOff + j]), acc);
            }
            acc.intoArray(y, yOff + r);
        }
        // Remaining rows in scalar: masked loads and stores are not intrinsified on every JDK and then allocate.
        ScalarKernelOps.matVec(wT, rows, cols, x, xOff, bias, y, yOff, r);
    }

    /**
     * Four inputs at a time: each weight vector loaded is used by four FMAs, one per input (16 accumulators over
     * four row blocks), where {@link #matVec} uses it once, so the product is bound by the FMA pipes and not by
     * loading the weights from L2 (a d_model 64 Mamba layer's 120 KB do not fit L1). Inputs left over (batch not a
     * multiple of 4) go through {@link #matVec}. Every output is the same chain of FMAs as in {@link #matVec}
     * (bias, then column 0, 1, ...), and the rows left after the vector blocks are its scalar tail, so each row
     * of y has matVec's bits.
     */
    @Override
    public void matMat(float[] wT, int rows, int cols, float[] x, int xStride, int batch, float[] bias, float[] y) {
        int b = 0;
        for (; b + 4 <= batch; b += 4) {
            matVecFour(wT, rows, cols, x, b * xStride, xStride, bias, y, b * rows);
        }
        for (; b < batch; b++) {
            matVec(wT, rows, cols, x, b * xStride, bias, y, b * rows);
        }
    }

    /** {@link #matMat} of the four inputs from {@code xOff} (xStride apart) into y from {@code yOff} (rows apart). */
    private static void matVecFour(float[] wT, int rows, int cols, float[] x, int xOff, int xStride, float[] bias,
                                   float[] y, int yOff) {
        int x0 = xOff;
        int x1 = xOff + xStride;
        int x2 = xOff + 2 * xStride;
        int x3 = xOff + 3 * xStride;
        int y0 = yOff;
        int y1 = yOff + rows;
        int y2 = yOff + 2 * rows;
        int y3 = yOff + 3 * rows;
        int r = 0;
        for (; r + 4 * L <= rows; r += 4 * L) {
            FloatVector a00 = initial(bias, r);
            FloatVector a01 = initial(bias, r + L);
            FloatVector a02 = initial(bias, r + 2 * L);
            FloatVector a03 = initial(bias, r + 3 * L);
            FloatVector a10 = a00;
            FloatVector a11 = a01;
            FloatVector a12 = a02;
            FloatVector a13 = a03;
            FloatVector a20 = a00;
            FloatVector a21 = a01;
            FloatVector a22 = a02;
            FloatVector a23 = a03;
            FloatVector a30 = a00;
            FloatVector a31 = a01;
            FloatVector a32 = a02;
            FloatVector a33 = a03;
            for (int j = 0; j < cols; j++) {
                int column = j * rows + r;
                FloatVector w0 = FloatVector.fromArray(F, wT, column);
                FloatVector w1 = FloatVector.fromArray(F, wT, column + L);
                FloatVector w2 = FloatVector.fromArray(F, wT, column + 2 * L);
                FloatVector w3 = FloatVector.fromArray(F, wT, column + 3 * L);
                FloatVector xj = FloatVector.broadcast(F, x[x0 + j]);
                a00 = w0.fma(xj, a00);
                a01 = w1.fma(xj, a01);
                a02 = w2.fma(xj, a02);
                a03 = w3.fma(xj, a03);
                xj = FloatVector.broadcast(F, x[x1 + j]);
                a10 = w0.fma(xj, a10);
                a11 = w1.fma(xj, a11);
                a12 = w2.fma(xj, a12);
                a13 = w3.fma(xj, a13);
                xj = FloatVector.broadcast(F, x[x2 + j]);
                a20 = w0.fma(xj, a20);
                a21 = w1.fma(xj, a21);
                a22 = w2.fma(xj, a22);
                a23 = w3.fma(xj, a23);
                xj = FloatVector.broadcast(F, x[x3 + j]);
                a30 = w0.fma(xj, a30);
                a31 = w1.fma(xj, a31);
                a32 = w2.fma(xj, a32);
                a33 = w3.fma(xj, a33);
            }
            a00.intoArray(y, y0 + r);
            a01.intoArray(y, y0 + r + L);
            a02.intoArray(y, y0 + r + 2 * L);
            a03.intoArray(y, y0 + r + 3 * L);
            a10.intoArray(y, y1 + r);
            a11.intoArray(y, y1 + r + L);
            a12.intoArray(y, y1 + r + 2 * L);
            a13.intoArray(y, y1 + r + 3 * L);
            a20.intoArray(y, y2 + r);
            a21.intoArray(y, y2 + r + L);
            a22.intoArray(y, y2 + r + 2 * L);
            a23.intoArray(y, y2 + r + 3 * L);
            a30.intoArray(y, y3 + r);
            a31.intoArray(y, y3 + r + L);
            a32.intoArray(y, y3 + r + 2 * L);
            a33.intoArray(y, y3 + r + 3 * L);
        }
        for (; r + L <= rows; r += L) {
            FloatVector a0 = initial(bias, r);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int j = 0; j < cols; j++) {
                FloatVector w = FloatVector.fromArray(F, wT, j * rows + r);
                a0 = w.fma(FloatVector.broadcast(F, x[x0 + j]), a0);
                a1 = w.fma(FloatVector.broadcast(F, x[x1 + j]), a1);
                a2 = w.fma(FloatVector.broadcast(F, x[x2 + j]), a2);
                a3 = w.fma(FloatVector.broadcast(F, x[x3 + j]), a3);
            }
            a0.intoArray(y, y0 + r);
            a1.intoArray(y, y1 + r);
            a2.intoArray(y, y2 + r);
            a3.intoArray(y, y3 + r);
        }
        if (r < rows) {
            ScalarKernelOps.matVec(wT, rows, cols, x, x0, bias, y, y0, r);
            ScalarKernelOps.matVec(wT, rows, cols, x, x1, bias, y, y1, r);
            ScalarKernelOps.matVec(wT, rows, cols, x, x2, bias, y, y2, r);
            ScalarKernelOps.matVec(wT, rows, cols, x, x3, bias, y, y3, r);
        }
    }

    private static FloatVector initial(float[] bias, int offset) {
        return bias == null ? FloatVector.zero(F) : FloatVector.fromArray(F, bias, offset);
    }

    /**
     * In scalar order: a vector reduction's lane order differs between the JIT's tiers, so the same input would
     * give results differing in the last bit before and after compilation (RMSNorm feeds every layer).
     */
    @Override
    public float sumOfSquares(float[] x, int off, int n) {
        return ScalarKernelOps.sumOfSquaresInOrder(x, off, n);
    }

    @Override
    public void causalConvSilu(float[] window, int wOff, float[] w, float[] bias, float[] out, int dInner, int dConv) {
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -LN2_LO);
        FloatVector p2 = FloatVector.broadcast(F, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(F, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(F, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(F, EXP_P5);
        int i = 0;
        for (int bound = F.loopBound(dInner); i < bound; i += L) {
            FloatVector acc = FloatVector.fromArray(F, bias, i);
            for (int k = 0; k < dConv; k++) {
                acc = FloatVector.fromArray(F, window, wOff + k * dInner + i)
                        .fma(FloatVector.fromArray(F, w, k * dInner + i), acc);
            }
            // silu(acc) = acc / (1 + e^{-acc}), e^{-acc} written out as in mulSilu (see there)
            FloatVector x = acc.neg().max(EXP_MIN_ARG).min(EXP_MAX_ARG);
            FloatVector shifted = x.fma(LOG2_E, ROUND_SHIFT);
            FloatVector kFloat = shifted.sub(ROUND_SHIFT);
            FloatVector r = kFloat.fma(minusLn2Hi, x);
            r = kFloat.fma(minusLn2Lo, r);
            FloatVector p = r.fma(EXP_P0, EXP_P1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
            FloatVector twoToK = ((IntVector) shifted.viewAsIntegralLanes()).add(127)
                    .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            acc.div(p.fma(r.mul(r), r).add(1f).mul(twoToK).add(1f)).intoArray(out, i);
        }
        ScalarKernelOps.causalConvSilu(window, wOff, w, bias, out, dInner, dConv, i);
    }

    @Override
    public void softplusScaled(float[] x, int n, float scale) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            FloatVector soft = v.lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
            soft.blend(v, v.compare(VectorOperators.GT, Activations.SOFTPLUS_THRESHOLD)).mul(scale).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] = Activations.softplus(x[i]) * scale;
        }
    }

    /**
     * The scan's e^{Δ·A} (Δ > 0, A < 0, so Δ·A ≤ 0) is inline vector arithmetic rather than the Vector API's EXP,
     * a call into the JIT's vector math library: the Mamba step at d_model 16 takes about a quarter less time
     * with it (MixerStepBenchmark), the scan taking d_inner · d_state exponentials per step. Within 2 ulp:
     * Δ·A = k ln 2 + r with k = round(Δ·A / ln 2) (adding 1.5 · 2^23 rounds to an integer and leaves k + 0x400000
     * in the mantissa bits) and |r| ≤ ln 2 / 2 (ln 2 in two parts, so r is exact); e^r = 1 + r + r² P(r) with
     * Cephes' degree-5 P; 2^k = (k + 127) << 23 as float bits (the shift drops the bits of 1.5 · 2^23 above k;
     * a float-to-int conversion is not compiled to vector code on every JDK). Arguments below -87.3 are clamped
     * there (2^k stays a normal float): within 1.2e-38 of e^{Δ·A}. Written out in the loop, not in a method of
     * its own: a method called with vectors that the JIT does not inline (it sometimes does not) boxes them on
     * the heap, which made the step three times slower in some runs.
     */
    @Override
    public void selectiveScan(float[] s, int sOff, float[] a, float[] delta, float[] u, float[] bc, int bOff, int cOff,
                              float[] d, float[] y, int dInner, int dState) {
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -LN2_LO);
        FloatVector p2 = FloatVector.broadcast(F, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(F, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(F, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(F, EXP_P5);
        int i = 0;
        for (int bound = F.loopBound(dInner); i < bound; i += L) {
            FloatVector deltaV = FloatVector.fromArray(F, delta, i);
            FloatVector uV = FloatVector.fromArray(F, u, i);
            FloatVector yV = FloatVector.fromArray(F, d, i).mul(uV);
            for (int n = 0; n < dState; n++) {
                int k = n * dInner + i;
                // deltaA = e^{Δ·A}, see the method comment
                FloatVector x = deltaV.mul(FloatVector.fromArray(F, a, k)).max(EXP_MIN_ARG);
                FloatVector shifted = x.fma(LOG2_E, ROUND_SHIFT);
                FloatVector kFloat = shifted.sub(ROUND_SHIFT);
                FloatVector r = kFloat.fma(minusLn2Hi, x);
                r = kFloat.fma(minusLn2Lo, r);
                FloatVector p = r.fma(EXP_P0, EXP_P1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
                FloatVector twoToK = ((IntVector) shifted.viewAsIntegralLanes()).add(127)
                        .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
                FloatVector deltaA = p.fma(r.mul(r), r).add(1f).mul(twoToK);
                FloatVector deltaBu = deltaV.mul(bc[bOff + n]).mul(uV);
                FloatVector sV = FloatVector.fromArray(F, s, sOff + k).fma(deltaA, deltaBu);
                sV.intoArray(s, sOff + k);
                yV = sV.fma(FloatVector.broadcast(F, bc[cOff + n]), yV);
            }
            yV.intoArray(y, i);
        }
        ScalarKernelOps.selectiveScan(s, sOff, a, delta, u, bc, bOff, cOff, d, y, dInner, dState, i);
    }

    /** Along the channels of each group, as {@link #selectiveScan}; Mamba-2's decay is one exp per head. */
    @Override
    public void ssdScan(float[] s, int sOff, float[] decay, float[] deltaX, float[] bc, int bOff, int cOff, float[] y,
                        int dInner, int dState, int groups) {
        int groupSize = dInner / groups;
        for (int g = 0; g < groups; g++) {
            int from = g * groupSize;
            int to = from + groupSize;
            int b = bOff + g * dState;
            int c = cOff + g * dState;
            int i = from;
            for (; i + L <= to; i += L) {
                FloatVector decayV = FloatVector.fromArray(F, decay, i);
                FloatVector deltaXV = FloatVector.fromArray(F, deltaX, i);
                FloatVector yV = FloatVector.fromArray(F, y, i);
                for (int n = 0; n < dState; n++) {
                    int k = sOff + n * dInner + i;
                    FloatVector sV = FloatVector.fromArray(F, s, k).fma(decayV, deltaXV.mul(bc[b + n]));
                    sV.intoArray(s, k);
                    yV = sV.fma(FloatVector.broadcast(F, bc[c + n]), yV);
                }
                yV.intoArray(y, i);
            }
            ScalarKernelOps.ssdScanChannels(s, sOff, decay, deltaX, bc, b, c, y, dInner, dState, i, to);
        }
    }

    /**
     * silu(z) = z / (1 + e^{-z}) with e^{-z} the inline arithmetic of {@link #selectiveScan}'s e^{Δ·A} (within 2
     * ulp), not the Vector API's EXP, a call into the JIT's vector math library per vector: with it the convolution
     * and this gate (d_inner silus each per event) took a seventh of the Mamba step at d_model 64, inline a
     * third of that. Written out in the loop for the scan's reason (a method taking vectors that the JIT did not
     * inline boxed them: 1.5 KB per step at d_model 64 when it was one). -z is clamped to
     * [{@value #EXP_MIN_ARG}, {@value #EXP_MAX_ARG}]: beyond, e^{-z} is below 1.2e-38 (silu(z) = z to the float)
     * or above 1.6e38 (|silu(z)| below 6e-36).
     */
    @Override
    public void mulSilu(float[] y, float[] z, int zOff, int n) {
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -LN2_LO);
        FloatVector p2 = FloatVector.broadcast(F, EXP_P2);
        FloatVector p3 = FloatVector.broadcast(F, EXP_P3);
        FloatVector p4 = FloatVector.broadcast(F, EXP_P4);
        FloatVector p5 = FloatVector.broadcast(F, EXP_P5);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector zV = FloatVector.fromArray(F, z, zOff + i);
            FloatVector x = zV.neg().max(EXP_MIN_ARG).min(EXP_MAX_ARG);
            FloatVector shifted = x.fma(LOG2_E, ROUND_SHIFT);
            FloatVector kFloat = shifted.sub(ROUND_SHIFT);
            FloatVector r = kFloat.fma(minusLn2Hi, x);
            r = kFloat.fma(minusLn2Lo, r);
            FloatVector p = r.fma(EXP_P0, EXP_P1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
            FloatVector twoToK = ((IntVector) shifted.viewAsIntegralLanes()).add(127)
                    .lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector silu = zV.div(p.fma(r.mul(r), r).add(1f).mul(twoToK).add(1f));
            FloatVector.fromArray(F, y, i).mul(silu).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] *= Activations.silu(z[zOff + i]);
        }
    }

    @Override
    public void gelu(float[] x, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            // gelu(v) = ½ v erfc(-v/√2), erfc(z) = t e^{-z² + P(t)} with t = 1/(1 + |z|/2), reflected for z < 0.
            FloatVector z = v.mul(-INV_SQRT2);
            FloatVector absZ = z.abs();
            FloatVector t = FloatVector.broadcast(F, 1f).div(absZ.mul(0.5f).add(1f));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
            p = p.mul(t).add(1.48851587f);
            p = p.mul(t).add(-1.13520398f);
            p = p.mul(t).add(0.27886807f);
            p = p.mul(t).add(-0.18628806f);
            p = p.mul(t).add(0.09678418f);
            p = p.mul(t).add(0.37409196f);
            p = p.mul(t).add(1.00002368f);
            p = p.mul(t).add(-1.26551223f);
            FloatVector tail = t.mul(absZ.mul(absZ).neg().add(p).lanewise(VectorOperators.EXP));
            FloatVector erfc = tail.blend(FloatVector.broadcast(F, 2f).sub(tail), z.compare(VectorOperators.LT, 0f));
            v.mul(0.5f).mul(erfc).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] = Activations.gelu(x[i]);
        }
    }

    @Override
    public void mulSigmoid(float[] a, int aOff, float[] g, int gOff, float[] out, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector gate = FloatVector.fromArray(F, g, gOff + i);
            FloatVector.fromArray(F, a, aOff + i).div(gate.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = a[aOff + i] * Activations.sigmoid(g[gOff + i]);
        }
    }

    @Override
    public void s4dDiscretize(float[] dt, float[] aRe, float[] aIm, float[] invA, float[] deltaA, float[] deltaB,
                              int channels, int half) {
        int size = channels * half;
        for (int n = 0; n < half; n++) {
            int h = 0;
            for (int bound = F.loopBound(channels); h < bound; h += L) {
                int k = n * channels + h;
                FloatVector dtV = FloatVector.fromArray(F, dt, h);
                FloatVector aReV = FloatVector.fromArray(F, aRe, k);
                FloatVector aImV = FloatVector.fromArray(F, aIm, k);
                // dt·A rounded to float, plus its rounding error (exact by FMA): phases reach tens of radians,
                // where one float rounding would cost ~1e-6 rad; the first-order correction e^{dtA}(lo) restores it.
                FloatVector re = dtV.mul(aReV);
                FloatVector im = dtV.mul(aImV);
                FloatVector reLo = dtV.fma(aReV, re.neg());
                FloatVector imLo = dtV.fma(aImV, im.neg());
                FloatVector magnitude = re.lanewise(VectorOperators.EXP);
                FloatVector cos = im.lanewise(VectorOperators.COS);
                FloatVector sin = im.lanewise(VectorOperators.SIN);
                FloatVector sinHalf = im.mul(0.5f).lanewise(VectorOperators.SIN);
                FloatVector expRe = magnitude.mul(cos);
                FloatVector expIm = magnitude.mul(sin);
                FloatVector correctionRe = expRe.mul(reLo).sub(expIm.mul(imLo));
                FloatVector correctionIm = expIm.mul(reLo).add(expRe.mul(imLo));
                FloatVector minusOneRe = re.lanewise(VectorOperators.EXPM1).mul(cos).sub(sinHalf.mul(sinHalf).mul(2f))
                        .add(correctionRe);
                FloatVector minusOneIm = expIm.add(correctionIm);
                expRe.add(correctionRe).intoArray(deltaA, k);
                minusOneIm.intoArray(deltaA, size + k);
                FloatVector invRe = FloatVector.fromArray(F, invA, k);
                FloatVector invIm = FloatVector.fromArray(F, invA, size + k);
                minusOneRe.mul(invRe).sub(minusOneIm.mul(invIm)).intoArray(deltaB, k);
                minusOneRe.mul(invIm).add(minusOneIm.mul(invRe)).intoArray(deltaB, size + k);
            }
            ScalarKernelOps.s4dDiscretize(dt, aRe, aIm, invA, deltaA, deltaB, channels, half, n, h);
        }
    }

    @Override
    public void complexDiagonalScan(float[] x, int xOff, float[] deltaA, float[] deltaB, float[] c, float[] u,
                                    float[] d, float[] y, int channels, int half) {
        int size = channels * half;
        int h = 0;
        for (int bound = F.loopBound(channels); h < bound; h += L) {
            FloatVector uV = FloatVector.fromArray(F, u, h);
            FloatVector yV = FloatVector.fromArray(F, d, h).mul(uV);
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                FloatVector xRe = FloatVector.fromArray(F, x, xOff + k);
                FloatVector xIm = FloatVector.fromArray(F, x, xOff + size + k);
                FloatVector aRe = FloatVector.fromArray(F, deltaA, k);
                FloatVector aIm = FloatVector.fromArray(F, deltaA, size + k);
                FloatVector nextRe = aRe.mul(xRe).sub(aIm.mul(xIm)).add(FloatVector.fromArray(F, deltaB, k).mul(uV));
                FloatVector nextIm = aRe.mul(xIm).add(aIm.mul(xRe)).add(FloatVector.fromArray(F, deltaB, size + k).mul(uV));
                nextRe.intoArray(x, xOff + k);
                nextIm.intoArray(x, xOff + size + k);
                yV = yV.add(FloatVector.fromArray(F, c, k).mul(nextRe)).sub(FloatVector.fromArray(F, c, size + k).mul(nextIm));
            }
            yV.intoArray(y, h);
        }
        ScalarKernelOps.complexDiagonalScan(x, xOff, deltaA, deltaB, c, u, d, y, channels, half, h);
    }

    @Override
    public void dplrScan(float[] x, int xOff, float[] e, float[] dRes, float[] g, float[] p, float[] qHat,
                         float[] b, float[] c, float[] u, float[] dSkip, float[] y, int channels, int half) {
        int size = channels * half;
        int h = 0;
        for (int bound = F.loopBound(channels); h < bound; h += L) {
            FloatVector uV = FloatVector.fromArray(F, u, h);
            FloatVector q = FloatVector.zero(F);
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                q = q.add(FloatVector.fromArray(F, qHat, k).mul(FloatVector.fromArray(F, x, xOff + k)))
                        .add(FloatVector.fromArray(F, qHat, size + k).mul(FloatVector.fromArray(F, x, xOff + size + k)));
            }
            // s[n] = e x - p q + b u is written out in both passes: as a helper method returning vectors the JIT
            // did not always inline it, and each call then boxed its vectors (25 KB allocated per S4 step)
            FloatVector w = FloatVector.zero(F);
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                FloatVector xRe = FloatVector.fromArray(F, x, xOff + k);
                FloatVector xIm = FloatVector.fromArray(F, x, xOff + size + k);
                FloatVector eRe = FloatVector.fromArray(F, e, k);
                FloatVector eIm = FloatVector.fromArray(F, e, size + k);
                FloatVector sRe = eRe.mul(xRe).sub(eIm.mul(xIm)).sub(FloatVector.fromArray(F, p, k).mul(q))
                        .add(FloatVector.fromArray(F, b, k).mul(uV));
                FloatVector sIm = eRe.mul(xIm).add(eIm.mul(xRe)).sub(FloatVector.fromArray(F, p, size + k).mul(q))
                        .add(FloatVector.fromArray(F, b, size + k).mul(uV));
                w = w.add(FloatVector.fromArray(F, g, k).mul(sRe)).add(FloatVector.fromArray(F, g, size + k).mul(sIm));
            }
            FloatVector yV = FloatVector.fromArray(F, dSkip, h).mul(uV);
            for (int n = 0; n < half; n++) {
                int k = n * channels + h;
                FloatVector xRe = FloatVector.fromArray(F, x, xOff + k);
                FloatVector xIm = FloatVector.fromArray(F, x, xOff + size + k);
                FloatVector eRe = FloatVector.fromArray(F, e, k);
                FloatVector eIm = FloatVector.fromArray(F, e, size + k);
                FloatVector pRe = FloatVector.fromArray(F, p, k);
                FloatVector pIm = FloatVector.fromArray(F, p, size + k);
                FloatVector tRe = eRe.mul(xRe).sub(eIm.mul(xIm)).sub(pRe.mul(q))
                        .add(FloatVector.fromArray(F, b, k).mul(uV)).sub(pRe.mul(w));
                FloatVector tIm = eRe.mul(xIm).add(eIm.mul(xRe)).sub(pIm.mul(q))
                        .add(FloatVector.fromArray(F, b, size + k).mul(uV)).sub(pIm.mul(w));
                FloatVector dRe = FloatVector.fromArray(F, dRes, k);
                FloatVector dIm = FloatVector.fromArray(F, dRes, size + k);
                FloatVector nextRe = dRe.mul(tRe).sub(dIm.mul(tIm));
                FloatVector nextIm = dRe.mul(tIm).add(dIm.mul(tRe));
                nextRe.intoArray(x, xOff + k);
                nextIm.intoArray(x, xOff + size + k);
                yV = yV.add(FloatVector.fromArray(F, c, k).mul(nextRe)).sub(FloatVector.fromArray(F, c, size + k).mul(nextIm));
            }
            yV.intoArray(y, h);
        }
        ScalarKernelOps.dplrScan(x, xOff, e, dRes, g, p, qHat, b, c, u, dSkip, y, channels, half, h);
    }

    @Override
    public void complexDiagonalUpdate(float[] x, int xOff, float[] lambda, float[] f, float[] w, int n) {
        int k = 0;
        for (int bound = F.loopBound(n); k < bound; k += L) {
            FloatVector xRe = FloatVector.fromArray(F, x, xOff + k);
            FloatVector xIm = FloatVector.fromArray(F, x, xOff + n + k);
            FloatVector lRe = FloatVector.fromArray(F, lambda, k);
            FloatVector lIm = FloatVector.fromArray(F, lambda, n + k);
            FloatVector fRe = FloatVector.fromArray(F, f, k);
            FloatVector fIm = FloatVector.fromArray(F, f, n + k);
            FloatVector wRe = FloatVector.fromArray(F, w, k);
            FloatVector wIm = FloatVector.fromArray(F, w, n + k);
            FloatVector fwRe = fRe.mul(wRe).sub(fIm.mul(wIm));
            FloatVector fwIm = fRe.mul(wIm).add(fIm.mul(wRe));
            lRe.mul(xRe).sub(lIm.mul(xIm)).add(fwRe).intoArray(x, xOff + k);
            lRe.mul(xIm).add(lIm.mul(xRe)).add(fwIm).intoArray(x, xOff + n + k);
        }
        ScalarKernelOps.complexDiagonalUpdate(x, xOff, lambda, f, w, n, k);
    }

    @Override
    public void companionScan(float[] x, int xOff, float[] a, float[] b, float[] c, float[] u, float[] d,
                              float[] y, int channels, int dState, int steps) {
        int top = xOff + (dState - 1) * channels;
        int h = 0;
        for (int bound = F.loopBound(channels); h < bound; h += L) {
            for (int s = 1; s < steps; s++) {
                FloatVector last = FloatVector.fromArray(F, x, top + h);
                for (int n = dState - 1; n > 0; n--) {
                    int k = n * channels + h;
                    FloatVector.fromArray(F, a, k).fma(last, FloatVector.fromArray(F, x, xOff + k - channels))
                            .intoArray(x, xOff + k);
                }
                FloatVector.fromArray(F, a, h).mul(last).intoArray(x, xOff + h);
            }
            FloatVector last = FloatVector.fromArray(F, x, top + h);
            FloatVector uV = FloatVector.fromArray(F, u, h);
            FloatVector yV = FloatVector.fromArray(F, d, h).mul(uV);
            for (int n = dState - 1; n > 0; n--) {
                int k = n * channels + h;
                FloatVector next = FloatVector.fromArray(F, x, xOff + k - channels)
                        .add(FloatVector.fromArray(F, a, k).mul(last)).add(FloatVector.fromArray(F, b, k).mul(uV));
                next.intoArray(x, xOff + k);
                yV = yV.add(FloatVector.fromArray(F, c, k).mul(next));
            }
            FloatVector first = FloatVector.fromArray(F, a, h).mul(last).add(FloatVector.fromArray(F, b, h).mul(uV));
            first.intoArray(x, xOff + h);
            yV.add(FloatVector.fromArray(F, c, h).mul(first)).intoArray(y, h);
        }
        ScalarKernelOps.companionScan(x, xOff, a, b, c, u, d, y, channels, dState, steps, h);
    }

    @Override
    public void addProduct(float[] y, float[] a, float[] b, int n) {
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), FloatVector.fromArray(F, y, i))
                    .intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += a[i] * b[i];
        }
    }
}
