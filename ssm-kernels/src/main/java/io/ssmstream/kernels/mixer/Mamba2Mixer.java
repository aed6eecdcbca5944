package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * Mamba-2's state space duality (SSD) layer, one recurrent step (Dao and Gu 2024; state-spaces/mamba
 * {@code Mamba2.step} with {@code rmsnorm=True}, {@code norm_before_gate=False}, no MLP part, D per head).
 *
 * <p>Glossary: D_m = d_model, E·D_m = d_inner (dInner), N = d_state (dState), P = headdim, H = d_inner / P
 * heads, G = ngroups (groups of heads sharing B and C; head h is in group h / (H / G)), W = d_conv,
 * Δ = delta (one step size per head), A = -exp(A_log) (one scalar per head), τ = the event's time gap in steps.
 *
 * <pre>
 *   [z, xBC, δ] = in_proj · h                     z ∈ R^{d_inner}, xBC ∈ R^{d_inner + 2GN}, δ ∈ R^H
 *   window      = shift_left(window) with newest column xBC    causal depthwise convolution over W events
 *   [x, B, C]   = silu(Σ_k window[k] ∘ conv_w[k] + conv_b)     x ∈ R^{H×P}, B, C ∈ R^{G×N}
 *   Δ_h         = softplus(δ_h + dt_bias_h)  (· τ when time_aware)
 *   deltaA_h    = exp(Δ_h A_h)                  (zero-order hold of the scalar A_h)
 *   s_h         = deltaA_h s_h + Δ_h x_h B_g^T   s_h ∈ R^{P×N}, g the head's group
 *   y_h         = s_h C_g + D_h x_h
 *   y           = rmsnorm_G(y ∘ silu(z)) ∘ norm.weight   (RMS over each group's d_inner / G channels)
 *   out         = out_proj · y
 * </pre>
 *
 * <p>State layout (floats): the convolution window {@code (d_conv, d_inner + 2GN)} row-major, oldest event
 * first, then the SSM state {@code s (d_state, d_inner)} row-major (channel i = h·P + p); zeros for a new stream.
 * The SSM state is stored along the channels, as Mamba's is, so that the step vectorizes over channels.
 */
public final class Mamba2Mixer implements Mixer {
    private final int dModel;
    private final int dInner;
    private final int dState;
    private final int dConv;
    private final int heads;
    private final int headdim;
    private final int groups;
    private final int convDim;     // d_inner + 2 * G * N: the convolved channels x, B, C
    private final int inProjRows;  // d_inner + conv_dim + H: [z, xBC, δ]
    private final boolean timeAware;
    private final float[] inProjT;  // (d_model, in_proj_rows): in_proj.weight transposed
    private final float[] convW;    // (d_conv, conv_dim): conv1d.weight[:, 0, :] transposed
    private final float[] convBias; // (conv_dim)
    private final float[] dtBias;   // (H)
    private final float[] a;        // (H): A = -exp(A_log)
    private final float[] d;        // (H)
    private final float[] normW;    // (d_inner): norm.weight
    private final float[] outProjT; // (d_inner, d_model): out_proj.weight transposed

    public Mamba2Mixer(ModelConfig config, Weights weights, String prefix) {
        this.dModel = config.dModel();
        this.dInner = config.dInner();
        this.dState = config.dState();
        this.dConv = config.dConv();
        this.heads = config.nHeads();
        this.headdim = config.headdim();
        this.groups = config.ngroups();
        this.convDim = dInner + 2 * groups * dState;
        this.inProjRows = dInner + convDim + heads;
        this.timeAware = config.timeAware();
        this.inProjT = weights.takeTransposed(prefix + "in_proj.weight", inProjRows, dModel, inProjRows, dModel);
        this.convW = weights.takeTransposed(prefix + "conv1d.weight", convDim, dConv, convDim, 1, dConv);
        this.convBias = weights.take(prefix + "conv1d.bias", convDim);
        this.dtBias = weights.take(prefix + "dt_bias", heads);
        float[] aLog = weights.take(prefix + "A_log", heads);
        this.a = new float[heads];
        for (int h = 0; h < heads; h++) {
            a[h] = (float) -Math.exp(aLog[h]);
        }
        this.d = weights.take(prefix + "D", heads);
        this.normW = weights.take(prefix + "norm.weight", dInner);
        this.outProjT = weights.takeTransposed(prefix + "out_proj.weight", dModel, dInner, dModel, dInner);
    }

    @Override
    public int stateSize() {
        return dConv * convDim + dState * dInner;
    }

    @Override
    public Stepper newStepper(KernelOps ops) {
        return new Mamba2Stepper(ops);
    }

    @Override
    public BatchStepper newBatchStepper(KernelOps ops, int maxBatch) {
        return new Mamba2BatchStepper(ops, maxBatch);
    }

    /**
     * The step between in_proj and out_proj, for one stream: everything that reads or writes the stream's state
     * (the convolution window, the SSD scan), from the stream's in_proj output to its out_proj input {@link #y}.
     */
    private final class StatePart {
        private final KernelOps ops;
        private final float[] xbc = new float[convDim];       // (conv_dim): convolved, activated [x, B, C]
        private final float[] delta = new float[heads];       // (H): Δ
        private final float[] decay = new float[dInner];      // (d_inner): deltaA of each channel's head
        private final float[] deltaX = new float[dInner];     // (d_inner): Δ_h x
        private final float[] y = new float[dInner];          // (d_inner)

        StatePart(KernelOps ops) {
            this.ops = ops;
        }

        /** @param zxbcdt holds the stream's in_proj output [z, xBC, δ] from {@code off}, (in_proj_rows) */
        void step(float[] zxbcdt, int off, float[] state, int stateOff, float tau) {
            int newest = (dConv - 1) * convDim;
            System.arraycopy(state, stateOff + convDim, state, stateOff, newest);
            System.arraycopy(zxbcdt, off + dInner, state, stateOff + newest, convDim);
            ops.causalConvSilu(state, stateOff, convW, convBias, xbc, convDim, dConv);
            for (int h = 0; h < heads; h++) {
                delta[h] = zxbcdt[off + dInner + convDim + h] + dtBias[h];
            }
            ops.softplusScaled(delta, heads, timeAware ? tau : 1f);
            for (int h = 0; h < heads; h++) {
                float deltaA = (float) Math.exp(delta[h] * a[h]);
                for (int i = h * headdim; i < (h + 1) * headdim; i++) {
                    decay[i] = deltaA;
                    deltaX[i] = delta[h] * xbc[i];
                    y[i] = d[h] * xbc[i];
                }
            }
            ops.ssdScan(state, stateOff + dConv * convDim, decay, deltaX, xbc, dInner, dInner + groups * dState, y,
                    dInner, dState, groups);
            ops.mulSilu(y, zxbcdt, off, dInner);
            gatedNorm();
        }

        /** y = y / sqrt(mean over its group(y²) + eps) ∘ norm.weight, per group of d_inner / G channels. */
        private void gatedNorm() {
            int groupSize = dInner / groups;
            for (int g = 0; g < groups; g++) {
                int from = g * groupSize;
                float scale = (float) (1.0 / Math.sqrt(ops.sumOfSquares(y, from, groupSize) / groupSize
                        + SsmModel.RMS_NORM_EPS));
                for (int i = from; i < from + groupSize; i++) {
                    y[i] *= scale * normW[i];
                }
            }
        }
    }

    private final class Mamba2Stepper implements Stepper {
        private final KernelOps ops;
        private final StatePart part;
        private final float[] zxbcdt = new float[inProjRows]; // (in_proj_rows): [z, xBC, δ]

        Mamba2Stepper(KernelOps ops) {
            this.ops = ops;
            this.part = new StatePart(ops);
        }

        @Override
        public void step(float[] in, float[] state, int stateOff, float tau, float[] out) {
            ops.matVec(inProjT, inProjRows, dModel, in, 0, null, zxbcdt, 0);
            part.step(zxbcdt, 0, state, stateOff, tau);
            ops.matVec(outProjT, dModel, dInner, part.y, 0, null, out, 0);
        }
    }

    /** {@link Mamba2Stepper}'s step for several streams: in_proj and out_proj as batched products. */
    private final class Mamba2BatchStepper implements BatchStepper {
        private final KernelOps ops;
        private final StatePart part;
        private final float[] zxbcdt; // (maxBatch, in_proj_rows): each stream's [z, xBC, δ]
        private final float[] ys;     // (maxBatch, d_inner): each stream's out_proj input

        Mamba2BatchStepper(KernelOps ops, int maxBatch) {
            this.ops = ops;
            Mixer.checkBatch(maxBatch);
            this.part = new StatePart(ops);
            this.zxbcdt = new float[maxBatch * inProjRows];
            this.ys = new float[maxBatch * dInner];
        }

        @Override
        public void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out) {
            ops.matMat(inProjT, inProjRows, dModel, in, dModel, batch, null, zxbcdt);
            for (int b = 0; b < batch; b++) {
                part.step(zxbcdt, b * inProjRows, states[b], stateOff, taus[b]);
                System.arraycopy(part.y, 0, ys, b * dInner, dInner);
            }
            ops.matMat(outProjT, dModel, dInner, ys, dInner, batch, null, out);
        }
    }
}
