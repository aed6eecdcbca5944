package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Locale;

/**
 * The chunked form of a diagonal linear recurrence x_t = a_t ∘ x_{t-1} + b_t, a_t = exp(l_t), over a whole
 * window at once.
 *
 * <p>The window is cut into C chunks of T steps. Within a chunk, with c_t = l_1 + … + l_t (a cumulative sum)
 * and h the state before the chunk,
 * <pre>
 *   x_t = Σ_{s ≤ t} exp(c_t - c_s) b_s  +  exp(c_t) h
 * </pre>
 * The first term (each chunk started from zero) is computed for all chunks, batch rows and state elements at
 * once, in one of two ways ({@link Intra}); then only the chunk states h are carried sequentially, one small
 * step per chunk, and the second term is added for all steps at once. Work is O(L) batched operations of
 * size B·S·L/T plus O(L/T) carry steps, instead of L tiny steps.
 *
 * <p>Decay factors are exp of non-positive real parts (the decay matrix is masked before exp), so nothing
 * overflows whatever the gaps; per-step log-decays are floored at {@link #MIN_LOG_DECAY}. Complex phases
 * are reduced to [-π, π] per step before the cumulative sum, which keeps float32 phase sums small.
 */
public final class ChunkedScan implements DiagonalScan {

    /** How the within-chunk term is computed. */
    public enum Intra {
        /**
         * The (T × T) lower-triangular decay matrix exp(c_t - c_s) (masked above the diagonal) times the chunk's
         * inputs, one batched matrix product. Materialises B·S·L·T decay factors: the GPU-style form, memory
         * bound on a CPU when there are many state elements per step (Mamba: d_inner · d_state).
         */
        MATRIX,
        /**
         * The recurrence itself, T steps, each one batched over all C chunks at once (B·S·L/T elements per
         * operation): O(B·S·L) work in total, the fastest form on a CPU (see the module README).
         */
        RECURRENT;

        public static Intra parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TrainingDataException("--scan must be recurrent or matrix, got " + s);
            }
        }
    }

    /**
     * Default chunk length, measured fastest for the recurrent form on a 2-core CPU with the default window of
     * 256 (8: 12.4k events/s, 16: 11.7k, 32: 11.2k for Mamba d_model 16, 2 layers; module README).
     */
    public static final int DEFAULT_CHUNK = 8;
    /**
     * Per-step log-decays below this are raised to it: e^-20 ≈ 2·10⁻⁹ is a complete reset at float32
     * precision, and it bounds the cumulative sums, whose float32 rounding is what the chunked form loses to
     * the step-by-step one (about |c_t|·6·10⁻⁸ relative on a decay factor).
     */
    public static final float MIN_LOG_DECAY = -20f;
    private static final double TWO_PI = 2 * Math.PI;

    private final int chunk;
    private final Intra intra;

    public ChunkedScan(int chunk) {
        this(chunk, Intra.RECURRENT);
    }

    public ChunkedScan(int chunk, Intra intra) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        this.chunk = chunk;
        this.intra = intra;
    }

    public int chunk() {
        return chunk;
    }

    public Intra intra() {
        return intra;
    }

    @Override
    public NDArray real(NDArray logA, NDArray b) {
        Layout g = new Layout(logA.getShape(), chunk);
        NDArray l = g.toChunks(logA.maximum(Constants.of(logA, MIN_LOG_DECAY))); // (B, C, T, S)
        NDArray bc = g.toChunks(b);
        NDArray cum = l.cumSum(2);
        NDArray within;
        if (intra == Intra.MATRIX) {
            NDArray cumT = cum.transpose(0, 1, 3, 2);                   // (B, C, S, T)
            NDArray decay = masked(g, differences(cumT)).exp();         // (B, C, S, T, T) [t, s]
            within = decay.matMul(bc.transpose(0, 1, 3, 2).expandDims(4)).squeeze(4).transpose(0, 1, 3, 2);
        } else {
            NDArray a = l.exp();
            NDList xs = new NDList(g.t);
            NDArray x = null;
            for (int t = 0; t < g.t; t++) {
                NDIndex at = new NDIndex(":, :, {}", t);
                x = x == null ? bc.get(at) : a.get(at).mul(x).add(bc.get(at));
                xs.add(x);
            }
            within = NDArrays.stack(xs, 2);                               // (B, C, T, S)
        }
        if (g.chunks == 1) {
            return g.fromChunks(within);
        }
        NDIndex lastStep = new NDIndex(":, :, -1");
        NDArray total = cum.get(lastStep).exp();                          // (B, C, S): decay over each chunk
        NDArray last = within.get(lastStep);                              // (B, C, S): chunk's own end state
        NDList before = new NDList(g.chunks);
        NDArray h = null;
        for (int c = 0; c < g.chunks; c++) {
            before.add(h == null ? last.get(new NDIndex(":, 0")).zerosLike() : h);
            if (c + 1 < g.chunks) {
                NDArray own = last.get(new NDIndex(":, {}", c));
                h = h == null ? own : total.get(new NDIndex(":, {}", c)).mul(h).add(own);
            }
        }
        NDArray hb = NDArrays.stack(before, 1).expandDims(2);            // (B, C, 1, S)
        return g.fromChunks(within.add(cum.exp().mul(hb)));
    }

    @Override
    public NDArray[] complex(NDArray logARe, NDArray logAIm, NDArray bRe, NDArray bIm) {
        Layout g = new Layout(logARe.getShape(), chunk);
        NDArray lr = g.toChunks(logARe.maximum(Constants.of(logARe, MIN_LOG_DECAY))); // (B, C, T, S)
        NDArray li = g.toChunks(centred(logAIm));
        NDArray br = g.toChunks(bRe);
        NDArray bi = g.toChunks(bIm);
        NDArray cumRe = lr.cumSum(2);
        NDArray cumIm = li.cumSum(2);
        NDArray withinRe;
        NDArray withinIm;
        if (intra == Intra.MATRIX) {
            NDArray magnitude = masked(g, differences(cumRe.transpose(0, 1, 3, 2))).exp(); // (B, C, S, T, T)
            NDArray phase = differences(cumIm.transpose(0, 1, 3, 2));
            NDArray dr = magnitude.mul(phase.cos());
            NDArray di = magnitude.mul(phase.sin());
            NDArray brT = br.transpose(0, 1, 3, 2).expandDims(4);         // (B, C, S, T, 1)
            NDArray biT = bi.transpose(0, 1, 3, 2).expandDims(4);
            withinRe = dr.matMul(brT).sub(di.matMul(biT)).squeeze(4).transpose(0, 1, 3, 2);
            withinIm = dr.matMul(biT).add(di.matMul(brT)).squeeze(4).transpose(0, 1, 3, 2);
        } else {
            NDArray mag = lr.exp();
            NDArray ar = mag.mul(li.cos());
            NDArray ai = mag.mul(li.sin());
            NDList res = new NDList(g.t);
            NDList ims = new NDList(g.t);
            NDArray xr = null;
            NDArray xi = null;
            for (int t = 0; t < g.t; t++) {
                NDIndex at = new NDIndex(":, :, {}", t);
                if (xr == null) {
                    xr = br.get(at);
                    xi = bi.get(at);
                } else {
                    NDArray art = ar.get(at);
                    NDArray ait = ai.get(at);
                    NDArray nr = art.mul(xr).sub(ait.mul(xi)).add(br.get(at));
                    NDArray ni = art.mul(xi).add(ait.mul(xr)).add(bi.get(at));
                    xr = nr;
                    xi = ni;
                }
                res.add(xr);
                ims.add(xi);
            }
            withinRe = NDArrays.stack(res, 2);
            withinIm = NDArrays.stack(ims, 2);
        }
        if (g.chunks == 1) {
            return new NDArray[] {g.fromChunks(withinRe), g.fromChunks(withinIm)};
        }
        NDIndex lastStep = new NDIndex(":, :, -1");
        NDArray totalMag = cumRe.get(lastStep).exp();                     // (B, C, S)
        NDArray totalPhase = cumIm.get(lastStep);
        NDArray totalRe = totalMag.mul(totalPhase.cos());
        NDArray totalIm = totalMag.mul(totalPhase.sin());
        NDArray lastRe = withinRe.get(lastStep);
        NDArray lastIm = withinIm.get(lastStep);
        NDList beforeRe = new NDList(g.chunks);
        NDList beforeIm = new NDList(g.chunks);
        NDArray hr = null;
        NDArray hi = null;
        for (int c = 0; c < g.chunks; c++) {
            if (hr == null) {
                NDArray zero = lastRe.get(new NDIndex(":, 0")).zerosLike();
                beforeRe.add(zero);
                beforeIm.add(zero);
            } else {
                beforeRe.add(hr);
                beforeIm.add(hi);
            }
            if (c + 1 < g.chunks) {
                NDIndex at = new NDIndex(":, {}", c);
                NDArray ownRe = lastRe.get(at);
                NDArray ownIm = lastIm.get(at);
                if (hr == null) {
                    hr = ownRe;
                    hi = ownIm;
                } else {
                    NDArray tr = totalRe.get(at);
                    NDArray ti = totalIm.get(at);
                    NDArray nr = tr.mul(hr).sub(ti.mul(hi)).add(ownRe);
                    NDArray ni = tr.mul(hi).add(ti.mul(hr)).add(ownIm);
                    hr = nr;
                    hi = ni;
                }
            }
        }
        NDArray hbr = NDArrays.stack(beforeRe, 1).expandDims(2);         // (B, C, 1, S)
        NDArray hbi = NDArrays.stack(beforeIm, 1).expandDims(2);
        NDArray fromStart = cumRe.exp();                                  // (B, C, T, S)
        NDArray fr = fromStart.mul(cumIm.cos());
        NDArray fi = fromStart.mul(cumIm.sin());
        NDArray xr = withinRe.add(fr.mul(hbr)).sub(fi.mul(hbi));
        NDArray xi = withinIm.add(fr.mul(hbi)).add(fi.mul(hbr));
        return new NDArray[] {g.fromChunks(xr), g.fromChunks(xi)};
    }

    /** The phase reduced to [-π, π], so that cumulative phases stay small and exact in float32. */
    private static NDArray centred(NDArray phase) {
        NDArray twoPi = Constants.of(phase, TWO_PI);
        NDArray p = phase.mod(twoPi); // [0, 2π) (the gradient passes through unchanged)
        return p.sub(p.gt(Math.PI).toType(p.getDataType(), false).mul(twoPi));
    }

    /** d[..., t, s] = cum[..., t] - cum[..., s], (B, C, S, T, T), from cum (B, C, S, T). */
    private static NDArray differences(NDArray cum) {
        return cum.expandDims(4).sub(cum.expandDims(3));
    }

    /**
     * Entries with s > t (the future) get -inf added, so that exp gives exactly 0 there and passes back a zero
     * gradient (the differences there are positive and finite, never +inf).
     */
    private static NDArray masked(Layout g, NDArray d) {
        float[] add = new float[g.t * g.t];
        for (int t = 0; t < g.t; t++) {
            for (int s = t + 1; s < g.t; s++) {
                add[t * g.t + s] = Float.NEGATIVE_INFINITY;
            }
        }
        NDManager m = d.getManager();
        return d.add(m.create(add, new Shape(g.t, g.t)).toDevice(d.getDevice(), false));
    }

    /** Shapes for cutting (B, L, S) into (B, C, T, S) chunks, padding the end of time with zeros. */
    private static final class Layout {
        final long batch;
        final long length;
        final long states;
        final int t;
        final int chunks;

        Layout(Shape shape, int chunk) {
            if (shape.dimension() != 3) {
                throw new IllegalArgumentException("expected (B, L, S), got " + shape);
            }
            batch = shape.get(0);
            length = shape.get(1);
            states = shape.get(2);
            t = (int) Math.max(1, Math.min(chunk, length));
            chunks = (int) ((length + t - 1) / t);
        }

        NDArray toChunks(NDArray x) {
            long padded = (long) chunks * t;
            NDArray p = x;
            if (padded > length) {
                // zeros after the end: log a = 0, b = 0; they only follow the real steps
                NDArray zeros = x.getManager().zeros(new Shape(batch, padded - length, states), x.getDataType(),
                        x.getDevice());
                p = x.concat(zeros, 1);
            }
            return p.reshape(batch, chunks, t, states);
        }

        NDArray fromChunks(NDArray x) {
            NDArray y = x.reshape(batch, (long) chunks * t, states);
            return (long) chunks * t > length ? y.get(new NDIndex(":, :{}", length)) : y;
        }
    }
}
