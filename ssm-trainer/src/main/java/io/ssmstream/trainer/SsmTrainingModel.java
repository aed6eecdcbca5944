package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.math.HippoLegS;
import io.ssmstream.kernels.mixer.S5Mixer;
import io.ssmstream.kernels.mixer.SpacetimeMixer;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The model file format's forward pass (see {@code SsmModel} and the mixers' class comments in ssm-kernels) as
 * DJL array operations over whole windows: inputs {@code u (B, L, d_input)}, already normalised, and time gaps
 * {@code tau (B, L)} in steps of {@code dt_unit_ms} (the gap to each event's predecessor in its stream, 1 for a
 * stream's first event; used only when {@code time_aware}). Every window starts from a new stream's state
 * (zeros). The output {@code o (B, L, 2·d_input)} holds mean and log-variance of the next event, normalised.
 *
 * <p>The parameters are NDArrays named and shaped exactly as the safetensors tensors
 * ({@code layers.0.mixer.A_log} …), so a trained model is written back with {@link #toModel}. Complex
 * numbers are real/imaginary pairs. The recurrences go through a {@link DiagonalScan} (the chunked form by
 * default); everything else is batched over all steps.
 */
public final class SsmTrainingModel implements AutoCloseable {
    private static final float RMS_EPS = 1e-5f;

    private final ModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private DiagonalScan scan;
    /** LSSL's fixed HiPPO-LegS arrays, made on first use: Re Λ, Im Λ, P, B, Re V, Im V (kept half). */
    private NDArray[] hippo;
    private long[] toeplitzIndex; // the convolution view's gather index, see toeplitzIndex(len)

    private SsmTrainingModel(ModelConfig config, NDManager manager, Map<String, NDArray> parameters,
                             DiagonalScan scan) {
        this.config = config;
        this.manager = manager;
        this.parameters = parameters;
        this.scan = scan;
    }

    /**
     * Copies every tensor of {@code model} into a new child manager of {@code parent} as a trainable float32
     * array (in file order).
     */
    public static SsmTrainingModel fromModel(SsmModel model, NDManager parent, DiagonalScan scan) {
        NDManager m = parent.newSubManager();
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (Tensor t : model.tensors().values()) {
            NDArray a = m.create(t.data(), new Shape(toLongs(t.shape())));
            a.setName(t.name());
            a.setRequiresGradient(true);
            params.put(t.name(), a);
        }
        return new SsmTrainingModel(model.config(), m, params, scan);
    }

    public ModelConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public DiagonalScan scan() {
        return scan;
    }

    public void scan(DiagonalScan s) {
        this.scan = s;
    }

    /** The trainable arrays by tensor name, in file order. */
    public Map<String, NDArray> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Current values as tensors (file order and shapes), e.g. to keep the best epoch's weights. */
    public Map<String, Tensor> snapshot() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray a = e.getValue();
            out.put(e.getKey(), new Tensor(e.getKey(), toInts(a.getShape()), a.toFloatArray()));
        }
        return out;
    }

    /** A model file with the current weights, {@code config} (normalisation, time unit) and metadata. */
    public SsmModel toModel(ModelConfig withConfig, Map<String, String> metadata) {
        return SsmModel.of(withConfig, snapshot(), metadata);
    }

    /**
     * The forward pass over windows.
     *
     * @param u   normalised inputs, (B, L, d_input)
     * @param tau time gaps in steps, (B, L)
     * @return (B, L, 2·d_input): [mean, logvar] of the next event, normalised
     */
    public NDArray forward(NDArray u, NDArray tau) {
        // Intermediate arrays belong to the inputs' manager (closed by the caller after each step): the
        // parameters are attached to it until it closes, then they go back to this model's manager.
        NDManager work = u.getManager();
        for (NDArray a : parameters.values()) {
            if (a.getManager() != work) {
                a.tempAttach(work);
            }
        }
        NDArray h = linear(u, "encoder.weight", "encoder.bias");
        NDArray tauUsed = config.timeAware() ? tau : tau.onesLike();
        for (int i = 0; i < config.nLayers(); i++) {
            NDArray normed = rmsNorm(h, p("layers." + i + ".norm.weight"));
            String prefix = "layers." + i + ".mixer.";
            NDArray mixed;
            switch (config.arch()) {
                case MAMBA:
                    mixed = mamba(prefix, normed, tauUsed);
                    break;
                case S4D:
                    mixed = s4d(prefix, normed, tauUsed);
                    break;
                case S4:
                    mixed = s4(prefix, normed, tauUsed);
                    break;
                case LSSL:
                    mixed = lssl(prefix, normed, tauUsed);
                    break;
                case LRU:
                    mixed = lru(prefix, normed, tauUsed);
                    break;
                case S5:
                    mixed = s5(prefix, normed, tauUsed);
                    break;
                case MAMBA2:
                    mixed = mamba2(prefix, normed, tauUsed);
                    break;
                case SPACETIME:
                    mixed = spacetime(prefix, normed, tauUsed);
                    break;
                default:
                    throw new AssertionError(config.arch());
            }
            h = h.add(mixed);
        }
        return linear(rmsNorm(h, p("norm_f.weight")), "head.weight", "head.bias");
    }

    /**
     * Mean Gaussian negative log-likelihood 0.5·(logvar + (target - mean)²·exp(-logvar)) over the steps where
     * {@code mask} is 1 and all channels.
     *
     * @param out    (B, L, 2·d) from {@link #forward}
     * @param target (B, L, d): the next event's normalised values
     * @param mask   (B, L): 1 where the step counts
     */
    public static NDArray gaussianNll(NDArray out, NDArray target, NDArray mask) {
        long d = target.getShape().get(2);
        NDArray mean = out.get(new NDIndex("..., :{}", d));
        NDArray logVar = out.get(new NDIndex("..., {}:", d));
        NDArray err = target.sub(mean);
        NDArray nll = logVar.add(err.square().mul(logVar.neg().exp())).mul(Constants.of(logVar, 0.5));
        // where, not a product: an unscored step (padding, burn-in) must not turn the loss or its gradient into
        // NaN even when its own NLL overflows
        NDArray scored = mask.expandDims(2).broadcast(nll.getShape()).gt(0f);
        NDArray weighted = NDArrays.where(scored, nll, nll.zerosLike());
        NDArray scoredValues = mask.sum().mul(Constants.of(mask, d));
        return weighted.sum().div(scoredValues.maximum(Constants.of(scoredValues, 1)));
    }

    // ------------------------------------------------------------------ mixers

    /** Mamba (MambaMixer): in_proj, causal depthwise conv, selective scan, gate, out_proj. */
    private NDArray mamba(String pre, NDArray x, NDArray tau) {
        int e = config.dInner();
        int n = config.dState();
        int r = config.dtRank();
        int k = config.dConv();
        Shape s = x.getShape();
        long b = s.get(0);
        long len = s.get(1);
        NDArray xz = x.matMul(p(pre + "in_proj.weight").transpose());        // (B, L, 2E)
        NDArray xi = xz.get(new NDIndex("..., :{}", e));
        NDArray z = xz.get(new NDIndex("..., {}:", e));
        NDArray uc = causalConvSilu(pre, xi, k);                              // (B, L, E)
        NDArray dbc = uc.matMul(p(pre + "x_proj.weight").transpose());       // (B, L, R + 2N)
        NDArray delta = Activation.softPlus(dbc.get(new NDIndex("..., :{}", r))
                .matMul(p(pre + "dt_proj.weight").transpose()).add(p(pre + "dt_proj.bias")));
        delta = delta.mul(tau.expandDims(2));                                // (B, L, E)
        NDArray bm = dbc.get(new NDIndex("..., {}:{}", r, r + n));           // (B, L, N)
        NDArray cm = dbc.get(new NDIndex("..., {}:", r + n));                // (B, L, N)
        NDArray a = p(pre + "A_log").exp().neg();                            // (E, N)
        NDArray logA = delta.expandDims(3).mul(a);                           // (B, L, E, N)
        NDArray bx = delta.mul(uc).expandDims(3).mul(bm.expandDims(2));      // (B, L, E, N)
        NDArray st = scan.real(logA.reshape(b, len, (long) e * n), bx.reshape(b, len, (long) e * n))
                .reshape(b, len, e, n);
        NDArray y = st.matMul(cm.expandDims(3)).squeeze(3).add(uc.mul(p(pre + "D")));
        y = y.mul(silu(z));
        return y.matMul(p(pre + "out_proj.weight").transpose());
    }

    /**
     * Mamba-2 (Mamba2Mixer): in_proj to [z, xBC, δ], causal depthwise conv over xBC, the SSD recurrence with one
     * scalar A and Δ per head and B, C per group, gated RMSNorm per group, out_proj.
     */
    private NDArray mamba2(String pre, NDArray x, NDArray tau) {
        int e = config.dInner();
        int n = config.dState();
        int k = config.dConv();
        int heads = config.nHeads();
        int hp = config.headdim();
        int g = config.ngroups();
        int convDim = e + 2 * g * n;
        Shape s = x.getShape();
        long b = s.get(0);
        long len = s.get(1);
        NDArray zxbcdt = x.matMul(p(pre + "in_proj.weight").transpose());    // (B, L, E + conv_dim + H)
        NDArray z = zxbcdt.get(new NDIndex("..., :{}", e));
        NDArray xbc = zxbcdt.get(new NDIndex("..., {}:{}", e, e + convDim));
        NDArray dtRaw = zxbcdt.get(new NDIndex("..., {}:", e + convDim));    // (B, L, H)
        NDArray uc = causalConvSilu(pre, xbc, k);                             // (B, L, conv_dim)
        NDArray xs = uc.get(new NDIndex("..., :{}", e)).reshape(b, len, heads, hp);
        NDArray bm = perHead(uc.get(new NDIndex("..., {}:{}", e, e + g * n)).reshape(b, len, g, n), heads);
        NDArray cm = perHead(uc.get(new NDIndex("..., {}:", e + g * n)).reshape(b, len, g, n), heads);
        NDArray delta = Activation.softPlus(dtRaw.add(p(pre + "dt_bias"))).mul(tau.expandDims(2)); // (B, L, H)
        NDArray a = p(pre + "A_log").exp().neg();                            // (H)
        Shape states = new Shape(b, len, heads, hp, n);
        NDArray logA = delta.mul(a).expandDims(3).expandDims(4).broadcast(states);
        NDArray bx = delta.expandDims(3).mul(xs).expandDims(4).mul(bm.expandDims(3)); // (B, L, H, P, N)
        long size = (long) heads * hp * n;
        NDArray st = scan.real(logA.reshape(b, len, size), bx.reshape(b, len, size)).reshape(states);
        NDArray y = st.matMul(cm.expandDims(4)).squeeze(4)
                .add(xs.mul(p(pre + "D").reshape(heads, 1)));                // (B, L, H, P)
        NDArray gated = y.reshape(b, len, e).mul(silu(z)).reshape(b, len, g, e / g);
        y = rmsNorm(gated, p(pre + "norm.weight").reshape(g, e / g)).reshape(b, len, e); // per group
        return y.matMul(p(pre + "out_proj.weight").transpose());
    }

    /**
     * Mamba's and Mamba-2's depthwise causal convolution over the window of the last K inputs of each channel,
     * then SiLU: {@code x (B, L, C)} with {@code conv1d.weight (C, 1, K)} and {@code conv1d.bias (C)}.
     */
    private NDArray causalConvSilu(String pre, NDArray x, int k) {
        Shape s = x.getShape();
        long channels = s.get(2);
        long len = s.get(1);
        NDArray convW = p(pre + "conv1d.weight").reshape(channels, k);       // (C, K)
        NDArray padded = k > 1
                ? x.getManager().zeros(new Shape(s.get(0), k - 1, channels), x.getDataType(), x.getDevice())
                        .concat(x, 1)
                : x;
        NDArray acc = null;
        for (int j = 0; j < k; j++) {
            // tap j multiplies the input j - (K-1) steps back (window oldest first)
            NDArray term = padded.get(new NDIndex(":, {}:{}", j, j + len)).mul(convW.get(new NDIndex(":, {}", j)));
            acc = acc == null ? term : acc.add(term);
        }
        return silu(acc.add(p(pre + "conv1d.bias")));
    }

    /** (B, L, G, N) per group to (B, L, H, N) per head: head h takes group h / (H / G). */
    private static NDArray perHead(NDArray groups, int heads) {
        long g = groups.getShape().get(2);
        if (g == 1) {
            Shape s = groups.getShape();
            return groups.broadcast(new Shape(s.get(0), s.get(1), heads, s.get(3)));
        }
        NDArray[] parts = new NDArray[heads];
        for (int h = 0; h < heads; h++) {
            long group = h / (heads / g);
            parts[h] = groups.get(new NDIndex(":, :, {}:{}", group, group + 1));
        }
        return NDArrays.concat(new NDList(parts), 2);
    }

    /** S4D with zero-order hold (S4dMixer). */
    private NDArray s4d(String pre, NDArray u, NDArray tau) {
        int h = config.dModel();
        int half = config.dState() / 2;
        Shape s = u.getShape();
        long b = s.get(0);
        long len = s.get(1);
        NDArray dt = p(pre + "kernel.log_dt").exp();                          // (H)
        NDArray aRe = p(pre + "kernel.log_A_real").exp().neg();              // (H, N/2)
        NDArray aIm = p(pre + "kernel.A_imag");
        NDArray dtTau = tau.expandDims(2).mul(dt).expandDims(3);             // (B, L, H, 1)
        NDArray re = dtTau.mul(aRe);                                         // (B, L, H, N/2)
        NDArray im = dtTau.mul(aIm);
        NDArray[] m1 = expm1(re, im);                                         // exp(ΔA) - 1
        NDArray norm = aRe.square().add(aIm.square());
        NDArray invRe = aRe.div(norm);
        NDArray invIm = aIm.neg().div(norm);
        NDArray dbRe = m1[0].mul(invRe).sub(m1[1].mul(invIm));               // (exp(ΔA) - 1) / A
        NDArray dbIm = m1[0].mul(invIm).add(m1[1].mul(invRe));
        NDArray u4 = u.expandDims(3);                                         // (B, L, H, 1)
        long states = (long) h * half;
        NDArray[] x = scan.complex(re.reshape(b, len, states), im.reshape(b, len, states),
                dbRe.mul(u4).reshape(b, len, states), dbIm.mul(u4).reshape(b, len, states));
        NDArray c = p(pre + "kernel.C");                                      // (H, N/2, 2)
        NDArray cRe = c.get(new NDIndex("..., 0"));
        NDArray cIm = c.get(new NDIndex("..., 1"));
        NDArray xr = x[0].reshape(b, len, h, half);
        NDArray xi = x[1].reshape(b, len, h, half);
        NDArray y = xr.mul(cRe).sub(xi.mul(cIm)).sum(new int[] {3}).mul(Constants.of(u, 2))
                .add(u.mul(p(pre + "D")));
        return geluGlu(pre, y);
    }

    /** S4's and S4D's block after the recurrence: gelu, output_linear (H → 2H), GLU. */
    private NDArray geluGlu(String pre, NDArray y) {
        int h = config.dModel();
        NDArray o = Activation.gelu(y).matMul(p(pre + "output_linear.0.weight").reshape(2L * h, h).transpose())
                .add(p(pre + "output_linear.0.bias"));                      // (B, L, 2H)
        return o.get(new NDIndex("..., :{}", h)).mul(Activation.sigmoid(o.get(new NDIndex("..., {}:", h))));
    }

    /** S4 (S4Mixer): Λ, P, B and C from the layer's tensors, then {@link #dplr}. */
    private NDArray s4(String pre, NDArray u, NDArray tau) {
        NDArray lowRank = p(pre + "kernel.P").squeeze(0);                     // (H, half, 2)
        NDArray b = p(pre + "kernel.B");
        NDArray c = p(pre + "kernel.C");
        return dplr(pre, u, tau, p(pre + "kernel.inv_A_real").exp().neg(), p(pre + "kernel.A_imag"),
                re(lowRank), im(lowRank), re(b), im(b), re(c), im(c));
    }

    /**
     * LSSL (LsslMixer): S4 with Λ, P and B fixed to HiPPO-LegS's normal plus low-rank form and C̃ = C V, the
     * layer's real C (H, N) in HiPPO-LegS's unitary basis over the kept half.
     */
    private NDArray lssl(String pre, NDArray u, NDArray tau) {
        NDManager work = u.getManager();
        if (hippo == null) {
            int h = config.dModel();
            int n = config.dState();
            int half = n / 2;
            HippoLegS.NormalPlusLowRank nplr = HippoLegS.normalPlusLowRank(n);
            float[][] layout = nplr.s4Layout(h);
            float[] lambdaRe = new float[h * half];
            for (int i = 0; i < lambdaRe.length; i++) {
                lambdaRe[i] = (float) nplr.eigen().lambdaReal();
            }
            float[] p = layout[2];
            float[] b = layout[3];
            hippo = new NDArray[] {manager.create(lambdaRe, new Shape(h, half)),
                manager.create(layout[1], new Shape(h, half)),
                manager.create(p, new Shape(h, half, 2)), manager.create(b, new Shape(h, half, 2)),
                manager.create(keptColumns(nplr.eigen().vRe(), n), new Shape(n, half)),
                manager.create(keptColumns(nplr.eigen().vIm(), n), new Shape(n, half))};
        }
        for (NDArray a : hippo) {
            if (a.getManager() != work) {
                a.tempAttach(work);
            }
        }
        NDArray c = p(pre + "kernel.C");                                       // (H, N)
        return dplr(pre, u, tau, hippo[0], hippo[1], re(hippo[2]), im(hippo[2]), re(hippo[3]), im(hippo[3]),
                c.matMul(hippo[4]), c.matMul(hippo[5]));
    }

    /** The first n/2 columns of an (n, n) row-major matrix, (n, n/2) row-major. */
    private static float[] keptColumns(double[] v, int n) {
        int half = n / 2;
        float[] out = new float[n * half];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < half; k++) {
                out[r * half + k] = (float) v[r * n + k];
            }
        }
        return out;
    }

    private static NDArray re(NDArray complex) {
        return complex.get(new NDIndex("..., 0"));
    }

    private static NDArray im(NDArray complex) {
        return complex.get(new NDIndex("..., 1"));
    }

    /**
     * The S4 step over a window: the bilinear step of A = Λ - P P* with the Woodbury coefficients, written as one
     * real N × N matrix per event on the state [Re x; Im x] (its columns: the step applied to each unit state),
     * then the recurrence x_t = M_t x_{t-1} + v_t u_t over the window ({@link #linearRecurrence}). When every
     * event of the batch has the same τ (regular sampling, or no time awareness) M and v are built once and the
     * window is S4's convolution view: y = K * u with K_k = 2 Re(C M^k v) ({@link #krylovKernel},
     * {@link #causalConvolution}).
     *
     * @param lRe Re Λ, (H, half); {@code lIm}, {@code pRe}, {@code pIm}, {@code bRe}, {@code bIm}, {@code cRe},
     *            {@code cIm} likewise
     */
    private NDArray dplr(String pre, NDArray u, NDArray tau, NDArray lRe, NDArray lIm, NDArray pRe, NDArray pIm,
                         NDArray bRe, NDArray bIm, NDArray cRe, NDArray cIm) {
        int h = config.dModel();
        int half = config.dState() / 2;
        long len = u.getShape().get(1);
        NDManager work = u.getManager();
        NDArray dt = p(pre + "kernel.log_dt").exp();                          // (H)
        float commonTau = sameEverywhere(tau);
        NDArray delta = Float.isNaN(commonTau)
                ? tau.expandDims(2).mul(dt).expandDims(3)                      // (B, L, H, 1)
                : dt.mul(Constants.of(dt, commonTau)).reshape(1, 1, h, 1);       // one step for every event
        NDArray halfDelta = delta.mul(Constants.of(delta, 0.5));
        NDArray hRe = halfDelta.mul(lRe);                                      // (., ., H, half): Δ Λ / 2
        NDArray hIm = halfDelta.mul(lIm);
        NDArray eRe = hRe.add(1f);                                             // e = 1 + Δ Λ / 2
        NDArray oneMinus = hRe.neg().add(1f);
        NDArray norm = oneMinus.square().add(hIm.square());
        NDArray resRe = oneMinus.div(norm);                                    // dRes = 1 / (1 - Δ Λ / 2)
        NDArray resIm = hIm.div(norm);
        NDArray lowRankSum = pRe.square().add(pIm.square()).mul(resRe).sum(new int[] {3}, true);
        NDArray rDelta = delta.div(delta.mul(lowRankSum).add(1f));            // r Δ
        NDArray gRe = rDelta.mul(pRe.mul(resRe).add(pIm.mul(resIm)));        // g = r Δ P conj(dRes)
        NDArray gIm = rDelta.mul(pIm.mul(resRe).sub(pRe.mul(resIm)));
        // the unit states, (N, half): j < half is x = e_j, j ≥ half is x = i e_j
        NDArray eye = work.eye(half);
        NDArray zero = work.zeros(new Shape(half, half));
        NDArray unitRe = eye.concat(zero, 0);
        NDArray unitIm = zero.concat(eye, 0);
        NDArray q = expand(delta.mul(pRe)).mul(unitRe).add(expand(delta.mul(pIm)).mul(unitIm))
                .sum(new int[] {4}, true);                                     // (., ., H, N, 1): Re(conj(Δ P) x)
        NDArray sRe = expand(eRe).mul(unitRe).sub(expand(hIm).mul(unitIm)).sub(expand(pRe).mul(q));
        NDArray sIm = expand(eRe).mul(unitIm).add(expand(hIm).mul(unitRe)).sub(expand(pIm).mul(q));
        NDArray[] columns = woodbury(expand(gRe), expand(gIm), expand(pRe), expand(pIm), expand(resRe),
                expand(resIm), sRe, sIm, 4);
        NDArray mT = columns[0].concat(columns[1], 4);                        // (., ., H, N, N): M transposed
        NDArray[] input = woodbury(gRe, gIm, pRe, pIm, resRe, resIm, delta.mul(bRe), delta.mul(bIm), 3);
        NDArray v = input[0].concat(input[1], 3);                             // (., ., H, N)
        NDArray readout = cRe.concat(cIm.neg(), 1).mul(Constants.of(u, 2));   // (H, N): [2 Re C, -2 Im C]
        NDArray skip = u.mul(p(pre + "D"));
        if (!Float.isNaN(commonTau)) {
            // one M for the window: the convolution view, y = K * u with K_k = readout · M^k v
            int n = 2 * half;
            NDArray m = mT.reshape(h, n, n).transpose(0, 2, 1);
            NDArray kernel = krylovKernel(m, v.reshape(h, n), readout, len);
            return geluGlu(pre, causalConvolution(kernel, u).add(skip));
        }
        NDArray xs = linearRecurrence(mT, v.mul(u.expandDims(3)), len);       // (B, L, H, N)
        return geluGlu(pre, xs.mul(readout).sum(new int[] {3}).add(skip));
    }

    /**
     * SpaceTime (SpacetimeMixer): per channel the companion matrix A = S + â e_{N-1}ᵀ, â = a / ‖a‖₁, and
     * x_t = A^{m_t} x_{t-1} + b u_t, y = c·x_t + D u_t with m_t = {@link SpacetimeMixer#samples} of the event's τ.
     * When every event of the batch has the same m, the window is SpaceTime's convolution view: y = K * u with
     * K_k = c·(A^m)^k b, built by Krylov doubling and applied as one causal Toeplitz product per channel.
     * Otherwise each event's A^{m_t} goes into {@link #linearRecurrence}.
     */
    private NDArray spacetime(String pre, NDArray u, NDArray tau) {
        int h = config.dModel();
        int n = config.dState();
        NDManager work = u.getManager();
        NDArray aRaw = p(pre + "kernel.a");                                    // (H, N)
        NDArray norm = aRaw.abs().sum(new int[] {1}, true);                     // (H, 1)
        NDArray aHat = aRaw.div(NDArrays.where(norm.gt(0), norm, norm.onesLike()));
        float[] shiftAndLast = new float[n * n];                                // (N, N): S, and e_{N-1} below
        for (int r = 1; r < n; r++) {
            shiftAndLast[r * n + r - 1] = 1;
        }
        float[] last = new float[n];
        last[n - 1] = 1;
        NDArray companion = work.create(shiftAndLast, new Shape(n, n))
                .add(aHat.expandDims(2).mul(work.create(last, new Shape(1, n)))); // (H, N, N)
        int[] samples = samplesPerEvent(tau);
        NDArray b = p(pre + "kernel.b");                                        // (H, N)
        NDArray c = p(pre + "kernel.c");
        NDArray skip = u.mul(p(pre + "D"));
        int[] distinct = Arrays.stream(samples).distinct().sorted().toArray();
        if (distinct.length == 1) {
            NDArray kernel = krylovKernel(power(companion, distinct[0]), b, c, u.getShape().get(1));
            return geluGlu(pre, causalConvolution(kernel, u).add(skip));
        }
        NDArray[] powers = new NDArray[distinct.length];
        for (int k = 0; k < distinct.length; k++) {
            powers[k] = power(companion, distinct[k]).transpose(0, 2, 1).reshape(1, (long) h * n * n);
        }
        float[] oneHot = new float[samples.length * distinct.length];           // (B·L, distinct)
        for (int e = 0; e < samples.length; e++) {
            oneHot[e * distinct.length + Arrays.binarySearch(distinct, samples[e])] = 1;
        }
        Shape s = u.getShape();
        NDArray mT = work.create(oneHot, new Shape(samples.length, distinct.length))
                .matMul(NDArrays.concat(new NDList(powers), 0)).reshape(s.get(0), s.get(1), h, n, n);
        NDArray xs = linearRecurrence(mT, u.expandDims(3).mul(b), s.get(1));   // (B, L, H, N)
        return geluGlu(pre, xs.mul(c).sum(new int[] {3}).add(skip));
    }

    /** {@link SpacetimeMixer#samples} of every τ of (B, L), row-major. */
    private int[] samplesPerEvent(NDArray tau) {
        float[] taus = tau.toFloatArray();
        int[] out = new int[taus.length];
        for (int i = 0; i < taus.length; i++) {
            out[i] = SpacetimeMixer.samples(taus[i], config.timeAware());
        }
        return out;
    }

    /** m^k of a batch of square matrices (…, N, N) by repeated squaring, k ≥ 1. */
    private static NDArray power(NDArray m, int k) {
        NDArray result = null;
        NDArray square = m;
        for (int bits = k; bits > 0; bits >>= 1) {
            if ((bits & 1) != 0) {
                result = result == null ? square : result.matMul(square);
            }
            if (bits > 1) {
                square = square.matMul(square);
            }
        }
        return result;
    }

    /**
     * K_k = c·M^k b for k in [0, len), per channel: the columns M^k b by doubling (the block [b, …, M^{j-1} b]
     * times M^j gives the next j columns), log₂ len products.
     *
     * @param m (H, N, N); {@code b}, {@code c} (H, N)
     * @return (H, len)
     */
    private static NDArray krylovKernel(NDArray m, NDArray b, NDArray c, long len) {
        NDArray columns = b.expandDims(2);                                      // (H, N, j)
        NDArray step = m;                                                       // M^j
        while (columns.getShape().get(2) < len) {
            columns = columns.concat(step.matMul(columns), 2);
            if (columns.getShape().get(2) < len) {
                step = step.matMul(step);
            }
        }
        return c.expandDims(1).matMul(columns.get(new NDIndex(":, :, :{}", len))).squeeze(1);
    }

    /**
     * y[b, t, h] = Σ_{j ≤ t} K[h, t - j] u[b, j, h]: each channel's causal Toeplitz matrix gathered from K, then
     * one batched product.
     *
     * @param kernel (H, L)
     * @param u      (B, L, H)
     */
    private NDArray causalConvolution(NDArray kernel, NDArray u) {
        Shape ks = kernel.getShape();
        long h = ks.get(0);
        int len = Math.toIntExact(ks.get(1));
        NDManager work = u.getManager();
        NDArray padded = kernel.concat(work.zeros(new Shape(h, 1)), 1);      // (H, L+1): K, then a 0
        NDArray index = work.create(toeplitzIndex(len), new Shape(1, (long) len * len))
                .broadcast(new Shape(h, (long) len * len));                   // the same for every channel
        NDArray toeplitz = padded.gather(index, 1).reshape(h, len, len);
        return toeplitz.matMul(u.transpose(2, 1, 0)).transpose(2, 1, 0);
    }

    /** (L, L): where Toeplitz entry (t, j) lies in a channel's K padded with a zero, cached for the window. */
    private long[] toeplitzIndex(int len) {
        if (toeplitzIndex == null || toeplitzIndex.length != (long) len * len) {
            long[] index = new long[len * len];
            for (int t = 0; t < len; t++) {
                for (int j = 0; j < len; j++) {
                    index[t * len + j] = j <= t ? t - j : len;
                }
            }
            toeplitzIndex = index;
        }
        return toeplitzIndex;
    }

    /**
     * x_t = x_{t-1} M_t + d_t (row vectors, x_{-1} = 0) for all t at once by recursive doubling (Hillis and
     * Steele): after the level of span k, (A_t, b_t) maps x_{t-k} to x_t, x_t = x_{t-k} A_t + b_t, and the level
     * of span 2k composes (A_{t-k}, b_{t-k}) with (A_t, b_t). log₂ L levels of batched products instead of L
     * steps; b_t is x_t once k reaches L (the state before the window is zero).
     *
     * @param mT    (B or 1, L or 1, H, N, N): M_t transposed (one for all t when the second dimension is 1)
     * @param drive (B, L, H, N): d_t
     */
    private static NDArray linearRecurrence(NDArray mT, NDArray drive, long len) {
        Shape ms = mT.getShape();
        NDArray a = ms.get(1) == len ? mT
                : mT.broadcast(new Shape(ms.get(0), len, ms.get(2), ms.get(3), ms.get(4)));
        NDArray b = drive.expandDims(3);                                       // (B, L, H, 1, N)
        for (long k = 1; k < len; k *= 2) {
            NDIndex later = new NDIndex(":, {}:", k);
            NDIndex earlier = new NDIndex(":, :{}", len - k);
            NDArray aLater = a.get(later);
            NDArray bNext = b.get(earlier).matMul(aLater).add(b.get(later));
            b = b.get(new NDIndex(":, :{}", k)).concat(bNext, 1);
            if (2 * k < len) {
                a = a.get(new NDIndex(":, :{}", k)).concat(a.get(earlier).matMul(aLater), 1);
            }
        }
        return b.squeeze(3);
    }

    /** The one value every element of {@code a} holds, or NaN when they differ. */
    private static float sameEverywhere(NDArray a) {
        float[] values = a.toFloatArray();
        for (float v : values) {
            if (Float.compare(v, values[0]) != 0) {
                return Float.NaN;
            }
        }
        return values[0];
    }

    /** (…, H, half) to (…, H, 1, half), to broadcast over the N unit states. */
    private static NDArray expand(NDArray a) {
        return a.expandDims(a.getShape().dimension() - 1);
    }

    /** x = dRes (s - P w) with w = Σ_n Re(conj(g) s) over {@code axis}: the second half of the S4 step. */
    private static NDArray[] woodbury(NDArray gRe, NDArray gIm, NDArray pRe, NDArray pIm, NDArray resRe,
                                      NDArray resIm, NDArray sRe, NDArray sIm, int axis) {
        NDArray w = gRe.mul(sRe).add(gIm.mul(sIm)).sum(new int[] {axis}, true);
        NDArray tRe = sRe.sub(pRe.mul(w));
        NDArray tIm = sIm.sub(pIm.mul(w));
        return new NDArray[] {resRe.mul(tRe).sub(resIm.mul(tIm)), resRe.mul(tIm).add(resIm.mul(tRe))};
    }

    /** The Linear Recurrent Unit (LruMixer), λ^τ with the input scaled by (λ^τ - 1)/(λ - 1). */
    private NDArray lru(String pre, NDArray u, NDArray tau) {
        NDArray nu = p(pre + "nu_log").exp();                                 // (N)
        NDArray theta = p(pre + "theta_log").exp();
        NDArray gamma = p(pre + "gamma_log").exp();
        NDArray t3 = tau.expandDims(2);                                       // (B, L, 1)
        NDArray zr = t3.mul(nu).neg();                                        // (B, L, N): log λ^τ
        NDArray zi = t3.mul(theta);
        NDArray[] num = expm1(zr, zi);                                         // λ^τ - 1
        NDArray[] den = expm1(nu.neg(), theta);                                // λ - 1
        NDArray dn = den[0].square().add(den[1].square());
        NDArray ratioRe = num[0].mul(den[0]).add(num[1].mul(den[1])).div(dn);
        NDArray ratioIm = num[1].mul(den[0]).sub(num[0].mul(den[1])).div(dn);
        NDArray fRe = ratioRe.mul(gamma);
        NDArray fIm = ratioIm.mul(gamma);
        NDArray buRe = u.matMul(p(pre + "B_re").transpose());                // (B, L, N)
        NDArray buIm = u.matMul(p(pre + "B_im").transpose());
        NDArray bRe = fRe.mul(buRe).sub(fIm.mul(buIm));
        NDArray bIm = fRe.mul(buIm).add(fIm.mul(buRe));
        NDArray[] x = scan.complex(zr, zi, bRe, bIm);
        NDArray y = x[0].matMul(p(pre + "C_re").transpose()).sub(x[1].matMul(p(pre + "C_im").transpose()))
                .add(u.mul(p(pre + "D")));
        y = Activation.gelu(y);
        NDArray o1 = linear(y, pre + "out1.weight", pre + "out1.bias");
        NDArray o2 = linear(y, pre + "out2.weight", pre + "out2.bias");
        return o1.mul(Activation.sigmoid(o2));
    }

    /** S5 (S5Mixer): zero-order hold with Δ·τ per state, Re Λ clipped, y = 2 Re(C̃ x) + D u, half_glu1. */
    private NDArray s5(String pre, NDArray u, NDArray tau) {
        NDArray lambdaRe = p(pre + "Lambda_re").minimum(S5Mixer.MAX_LAMBDA_REAL);   // (P)
        NDArray lambdaIm = p(pre + "Lambda_im");
        NDArray delta = p(pre + "log_step").squeeze(1).exp();                       // (P)
        NDArray t3 = tau.expandDims(2);                                              // (B, L, 1)
        NDArray zr = t3.mul(delta.mul(lambdaRe));                                    // (B, L, P): log Λ̄
        NDArray zi = t3.mul(delta.mul(lambdaIm));
        NDArray[] m1 = expm1(zr, zi);                                                // Λ̄ - 1
        NDArray norm = lambdaRe.square().add(lambdaIm.square());
        NDArray fRe = m1[0].mul(lambdaRe).add(m1[1].mul(lambdaIm)).div(norm);       // (Λ̄ - 1) / Λ
        NDArray fIm = m1[1].mul(lambdaRe).sub(m1[0].mul(lambdaIm)).div(norm);
        NDArray b = p(pre + "B");                                                    // (P, H, 2)
        NDArray buRe = u.matMul(b.get(new NDIndex("..., 0")).transpose());           // (B, L, P)
        NDArray buIm = u.matMul(b.get(new NDIndex("..., 1")).transpose());
        NDArray[] x = scan.complex(zr, zi, fRe.mul(buRe).sub(fIm.mul(buIm)), fRe.mul(buIm).add(fIm.mul(buRe)));
        NDArray c = p(pre + "C");                                                    // (H, P, 2)
        NDArray y = x[0].matMul(c.get(new NDIndex("..., 0")).transpose())
                .sub(x[1].matMul(c.get(new NDIndex("..., 1")).transpose())).mul(Constants.of(u, 2))
                .add(u.mul(p(pre + "D")));
        NDArray g = Activation.gelu(y);
        return g.mul(Activation.sigmoid(linear(g, pre + "out2.weight", pre + "out2.bias")));
    }

    // ------------------------------------------------------------------ helpers

    private NDArray p(String name) {
        NDArray a = parameters.get(name);
        if (a == null) {
            throw new IllegalStateException("no parameter " + name);
        }
        return a;
    }

    private NDArray linear(NDArray x, String weight, String bias) {
        return x.matMul(p(weight).transpose()).add(p(bias));
    }

    private static NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray ms = x.square().mean(new int[] {-1}, true);
        return x.div(ms.add(RMS_EPS).sqrt()).mul(weight);
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * exp(re + i·im) - 1 without cancellation for small arguments: expm1(re)·cos(im) - 2 sin²(im/2) and
     * exp(re)·sin(im), with expm1(x) = tanh(x/2)·(exp(x) + 1).
     */
    static NDArray[] expm1(NDArray re, NDArray im) {
        NDArray ex = re.exp();
        NDArray half = Constants.of(re, 0.5);
        NDArray em1 = re.mul(half).tanh().mul(ex.add(1f));
        NDArray sinHalf = im.mul(half).sin();
        NDArray outRe = em1.mul(im.cos()).sub(sinHalf.square().mul(Constants.of(im, 2)));
        NDArray outIm = ex.mul(im.sin());
        return new NDArray[] {outRe, outIm};
    }

    static long[] toLongs(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    static int[] toInts(Shape shape) {
        int[] out = new int[shape.dimension()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(shape.get(i));
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
