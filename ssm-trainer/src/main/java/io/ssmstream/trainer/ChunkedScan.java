package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * The chunked form of a diagonal linear recurrence x_t = a_t ∘ x_{t-1} + b_t, a_t = exp(l_t).
 *
 * <p>The window is cut into chunks of T steps. Within a chunk, with c_t = l_1 + … + l_t (a cumulative sum),
 * <pre>
 *   x_t = Σ_{s ≤ t} exp(c_t - c_s) b_s  +  exp(c_t) h          (h: the state before the chunk)
 * </pre>
 * The first term is a (T × T) lower-triangular decay matrix times the chunk's inputs, for all chunks, state
 * elements and batch rows at once (one batched matrix product). Only the chunk states h are carried
 * sequentially, one small step per chunk. Every decay factor is exp of a non-positive real part (the mask is
 * applied before exp), so nothing overflows whatever the gaps; see {@link #MIN_LOG_DECAY}. Complex phases are reduced to [-π, π] per step
 * before the cumulative sum, which keeps float32 phase differences accurate.
 */
public final class ChunkedScan implements DiagonalScan {
    /** Default chunk length; see the module README for the measurements behind it. */
    public static final int DEFAULT_CHUNK = 16;
    /**
     * Per-step log-decays below this are raised to it: e^-20 ≈ 2·10⁻⁹ is a complete reset at float32
     * precision, and it bounds the cumulative sums, whose float32 rounding is what the chunked form loses to
     * the step-by-step one (about |c_t|·6·10⁻⁸ relative on a decay factor).
     */
    public static final float MIN_LOG_DECAY = -20f;
    private static final double TWO_PI = 2 * Math.PI;

    private final int chunk;

    public ChunkedScan(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be positive, got " + chunk);
        }
        this.chunk = chunk;
    }

    public int chunk() {
        return chunk;
    }

    @Override
    public NDArray real(NDArray logA, NDArray b) {
        Layout g = new Layout(logA.getShape(), chunk);
        NDArray cum = g.toChunks(logA.maximum(MIN_LOG_DECAY)).cumSum(3); // (B, C, S, T)
        NDArray bc = g.toChunks(b);                                     // (B, C, S, T)
        NDArray decay = masked(g, differences(cum)).exp();              // (B, C, S, T, T) [t, s]
        NDArray intra = decay.matMul(bc.expandDims(4)).squeeze(4);      // (B, C, S, T)
        if (g.chunks == 1) {
            return g.fromChunks(intra);
        }
        NDArray total = cum.get(new NDIndex(":, :, :, -1")).exp();      // (B, C, S): decay over each chunk
        NDArray last = intra.get(new NDIndex(":, :, :, -1"));           // (B, C, S): chunk's own end state
        NDList before = new NDList(g.chunks);
        NDArray h = null;
        for (int c = 0; c < g.chunks; c++) {
            before.add(h == null ? last.get(new NDIndex(":, 0")).zerosLike() : h);
            if (c + 1 < g.chunks) {
                NDArray own = last.get(new NDIndex(":, {}", c));
                h = h == null ? own : total.get(new NDIndex(":, {}", c)).mul(h).add(own);
            }
        }
        NDArray hb = NDArrays.stack(before, 1).expandDims(3);          // (B, C, S, 1)
        return g.fromChunks(intra.add(cum.exp().mul(hb)));
    }

    @Override
    public NDArray[] complex(NDArray logARe, NDArray logAIm, NDArray bRe, NDArray bIm) {
        Layout g = new Layout(logARe.getShape(), chunk);
        NDArray cumRe = g.toChunks(logARe.maximum(MIN_LOG_DECAY)).cumSum(3); // (B, C, S, T)
        NDArray cumIm = g.toChunks(centred(logAIm)).cumSum(3);
        NDArray br = g.toChunks(bRe).expandDims(4);                     // (B, C, S, T, 1)
        NDArray bi = g.toChunks(bIm).expandDims(4);
        NDArray magnitude = masked(g, differences(cumRe)).exp();        // (B, C, S, T, T)
        NDArray phase = differences(cumIm);
        NDArray dr = magnitude.mul(phase.cos());
        NDArray di = magnitude.mul(phase.sin());
        NDArray intraRe = dr.matMul(br).sub(di.matMul(bi)).squeeze(4); // (B, C, S, T)
        NDArray intraIm = dr.matMul(bi).add(di.matMul(br)).squeeze(4);
        if (g.chunks == 1) {
            return new NDArray[] {g.fromChunks(intraRe), g.fromChunks(intraIm)};
        }
        NDIndex lastStep = new NDIndex(":, :, :, -1");
        NDArray totalMag = cumRe.get(lastStep).exp();                   // (B, C, S)
        NDArray totalPhase = cumIm.get(lastStep);
        NDArray totalRe = totalMag.mul(totalPhase.cos());
        NDArray totalIm = totalMag.mul(totalPhase.sin());
        NDArray lastRe = intraRe.get(lastStep);
        NDArray lastIm = intraIm.get(lastStep);
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
        NDArray hbr = NDArrays.stack(beforeRe, 1).expandDims(3);       // (B, C, S, 1)
        NDArray hbi = NDArrays.stack(beforeIm, 1).expandDims(3);
        NDArray fromStartMag = cumRe.exp();                             // (B, C, S, T)
        NDArray fr = fromStartMag.mul(cumIm.cos());
        NDArray fi = fromStartMag.mul(cumIm.sin());
        NDArray xr = intraRe.add(fr.mul(hbr)).sub(fi.mul(hbi));
        NDArray xi = intraIm.add(fr.mul(hbi)).add(fi.mul(hbr));
        return new NDArray[] {g.fromChunks(xr), g.fromChunks(xi)};
    }

    /** The phase reduced to [-π, π], so that cumulative phases stay small and exact in float32. */
    private static NDArray centred(NDArray phase) {
        NDArray p = phase.mod(TWO_PI); // [0, 2π) (the gradient passes through unchanged)
        return p.sub(p.gt(Math.PI).toType(p.getDataType(), false).mul(TWO_PI));
    }

    /** d[..., t, s] = cum[..., t] - cum[..., s], (B, C, S, T, T). */
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

    /** Shapes for cutting (B, L, S) into (B, C, S, T) chunks, padding the end of time with zeros. */
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
            return p.reshape(batch, chunks, t, states).transpose(0, 1, 3, 2);
        }

        NDArray fromChunks(NDArray x) {
            NDArray y = x.transpose(0, 1, 3, 2).reshape(batch, (long) chunks * t, states);
            return (long) chunks * t > length ? y.get(new NDIndex(":, :{}", length)) : y;
        }
    }
}
