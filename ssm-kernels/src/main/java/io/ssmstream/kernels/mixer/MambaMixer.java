package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * Mamba's selective SSM, one recurrent step (Gu and Dao 2023; state-spaces/mamba {@code Mamba.step}).
 *
 * <p>Glossary: D_m = d_model, E·D_m = d_inner (dInner), N = d_state (dState), R = dt_rank, W = d_conv,
 * Δ = delta (per channel step size), A = -exp(A_log), τ = the event's time gap in steps.
 *
 * <pre>
 *   [x, z]   = in_proj · h                                  x, z ∈ R^{d_inner}
 *   window   = shift_left(window) with newest column x      causal depthwise convolution over W events
 *   u        = silu(Σ_k window[k] ∘ conv_w[k] + conv_b)
 *   [δ, B, C] = x_proj · u                                  δ ∈ R^R, B, C ∈ R^N
 *   Δ        = softplus(dt_proj · δ + dt_bias)  (· τ when time_aware)
 *   deltaA   = exp(Δ A)            (zero-order hold of A)
 *   deltaBu  = (Δ B) u             (Euler step of B, as the reference code does)
 *   s        = deltaA ∘ s + deltaBu
 *   y        = s · C + D ∘ u,   y = y ∘ silu(z),   out = out_proj · y
 * </pre>
 *
 * <p>State layout (floats): the convolution window {@code (d_conv, d_inner)} row-major, oldest event first,
 * then the SSM state {@code s (d_state, d_inner)} row-major; zeros for a new stream.
 */
public final class MambaMixer implements Mixer {
    private final int dModel;
    private final int dInner;
    private final int dState;
    private final int dConv;
    private final int dtRank;
    private final boolean timeAware;
    private final float[] inProjT;  // (d_model, 2*d_inner): in_proj.weight transposed
    private final float[] convW;    // (d_conv, d_inner): conv1d.weight[:, 0, :] transposed
    private final float[] convBias; // (d_inner)
    private final int xProjRows;    // dt_rank + 2*d_state padded (Weights.paddedRows): [δ, B, C, zeros]
    private final float[] xProjT;   // (d_inner, xProjRows): x_proj.weight transposed, zero rows appended
    private final float[] dtProjT;  // (dt_rank, d_inner): dt_proj.weight transposed
    private final float[] dtBias;   // (d_inner)
    private final float[] a;        // (d_state, d_inner): A = -exp(A_log), transposed
    private final float[] d;        // (d_inner)
    private final float[] outProjT; // (d_inner, d_model): out_proj.weight transposed

    public MambaMixer(ModelConfig config, Weights weights, String prefix) {
        this.dModel = config.dModel();
        this.dInner = config.dInner();
        this.dState = config.dState();
        this.dConv = config.dConv();
        this.dtRank = config.dtRank();
        this.timeAware = config.timeAware();
        this.inProjT = weights.takeTransposed(prefix + "in_proj.weight", 2 * dInner, dModel, 2 * dInner, dModel);
        this.convW = weights.takeTransposed(prefix + "conv1d.weight", dInner, dConv, dInner, 1, dConv);
        this.convBias = weights.take(prefix + "conv1d.bias", dInner);
        int deltaBCRows = dtRank + 2 * dState;
        this.xProjRows = Weights.paddedRows(deltaBCRows);
        this.xProjT = Weights.padRows(weights.takeTransposed(prefix + "x_proj.weight", deltaBCRows, dInner,
                deltaBCRows, dInner), deltaBCRows, dInner);
        this.dtProjT = weights.takeTransposed(prefix + "dt_proj.weight", dInner, dtRank, dInner, dtRank);
        this.dtBias = weights.take(prefix + "dt_proj.bias", dInner);
        float[] aLog = weights.take(prefix + "A_log", dInner, dState);
        float[] aNeg = new float[aLog.length];
        for (int i = 0; i < aLog.length; i++) {
            aNeg[i] = (float) -Math.exp(aLog[i]);
        }
        this.a = Weights.transpose(aNeg, dInner, dState);
        this.d = weights.take(prefix + "D", dInner);
        this.outProjT = weights.takeTransposed(prefix + "out_proj.weight", dModel, dInner, dModel, dInner);
    }

    @Override
    public int stateSize() {
        return dInner * (dConv + dState);
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return new MambaStepper(ops);
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return new MambaBatchStepper(ops, maxBatch);
    }

    private final class MambaStepper implements Stepper {
        private final KernelOps ops;
        private final float[] xz = new float[2 * dInner];             // (2*d_inner): [x, z]
        private final float[] u = new float[dInner];                  // (d_inner): convolved, activated x
        private final float[] deltaBC = new float[xProjRows]; // (xProjRows): [δ, B, C, zeros]
        private final float[] delta = new float[dInner];              // (d_inner): Δ
        private final float[] y = new float[dInner];                  // (d_inner)

        MambaStepper(KernelOps ops) {
            this.ops = ops;
        }

        @Override
        public void step(float[] in, float[] state, int stateOff, float tau, float[] out) {
            ops.matVec(inProjT, 2 * dInner, dModel, in, 0, null, xz, 0);
            int newest = (dConv - 1) * dInner;
            System.arraycopy(state, stateOff + dInner, state, stateOff, newest);
            System.arraycopy(xz, 0, state, stateOff + newest, dInner);
            ops.causalConvSilu(state, stateOff, convW, convBias, u, dInner, dConv);
            ops.matVec(xProjT, xProjRows, dInner, u, 0, null, deltaBC, 0);
            ops.matVec(dtProjT, dInner, dtRank, deltaBC, 0, dtBias, delta, 0);
            ops.softplusScaled(delta, dInner, timeAware ? tau : 1f);
            ops.selectiveScan(state, stateOff + dConv * dInner, a, delta, u, deltaBC, dtRank, dtRank + dState, d, y, dInner, dState);
            ops.mulSilu(y, xz, dInner, dInner);
            ops.matVec(outProjT, dModel, dInner, y, 0, null, out, 0);
        }
    }

    /**
     * {@link MambaStepper}'s step for several streams: in_proj, x_proj, dt_proj and out_proj as batched products,
     * the convolution, Δ and the scan stream by stream (each stream's own state).
     */
    private final class MambaBatchStepper implements BatchStepper {
        private final KernelOps ops;
        private final float[] xz;      // (maxBatch, 2*d_inner): [x, z] of each stream
        private final float[] us;      // (maxBatch, d_inner): convolved, activated x of each stream
        private final float[] deltaBC; // (maxBatch, xProjRows): [δ, B, C, zeros] of each stream
        private final float[] deltas;  // (maxBatch, d_inner): dt_proj · δ + dt_bias of each stream
        private final float[] ys;      // (maxBatch, d_inner): gated scan output of each stream
        private final float[] u = new float[dInner];     // (d_inner): one stream's u
        private final float[] delta = new float[dInner]; // (d_inner): one stream's Δ
        private final float[] y = new float[dInner];     // (d_inner): one stream's y

        MambaBatchStepper(KernelOps ops, int maxBatch) {
            this.ops = ops;
            Mixer.checkBatch(maxBatch);
            this.xz = new float[maxBatch * 2 * dInner];
            this.us = new float[maxBatch * dInner];
            this.deltaBC = new float[maxBatch * xProjRows];
            this.deltas = new float[maxBatch * dInner];
            this.ys = new float[maxBatch * dInner];
        }

        @Override
        public void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out) {
            ops.matMat(inProjT, 2 * dInner, dModel, in, dModel, batch, null, xz);
            int newest = (dConv - 1) * dInner;
            for (int b = 0; b < batch; b++) {
                float[] state = states[b];
                System.arraycopy(state, stateOff + dInner, state, stateOff, newest);
                System.arraycopy(xz, b * 2 * dInner, state, stateOff + newest, dInner);
                ops.causalConvSilu(state, stateOff, convW, convBias, u, dInner, dConv);
                System.arraycopy(u, 0, us, b * dInner, dInner);
            }
            ops.matMat(xProjT, xProjRows, dInner, us, dInner, batch, null, deltaBC);
            ops.matMat(dtProjT, dInner, dtRank, deltaBC, xProjRows, batch, dtBias, deltas);
            for (int b = 0; b < batch; b++) {
                System.arraycopy(deltas, b * dInner, delta, 0, dInner);
                System.arraycopy(us, b * dInner, u, 0, dInner);
                ops.softplusScaled(delta, dInner, timeAware ? taus[b] : 1f);
                int bc = b * xProjRows;
                ops.selectiveScan(states[b], stateOff + dConv * dInner, a, delta, u, deltaBC, bc + dtRank,
                        bc + dtRank + dState, d, y, dInner, dState);
                ops.mulSilu(y, xz, b * 2 * dInner + dInner, dInner);
                System.arraycopy(y, 0, ys, b * dInner, dInner);
            }
            ops.matMat(outProjT, dModel, dInner, ys, dInner, batch, null, out);
        }
    }
}
