package io.ssmstream.kernels.model;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.math.HippoLegS;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * New, untrained models with the papers' initialisations, deterministic for a seed.
 * <ul>
 *   <li>Linear layers, convolutions: PyTorch's defaults, U(-1/√fan_in, 1/√fan_in); norms 1; the head's bias 0.</li>
 *   <li>Mamba (state-spaces/mamba {@code Mamba.__init__}): A_log = log(1..N) for every channel (S4D-Real),
 *       D = 1, dt_proj.weight U(±R^{-1/2}), Δ log-uniform in [1e-3, 1e-1] stored through the inverse softplus
 *       in dt_proj.bias.</li>
 *   <li>Mamba-2 (state-spaces/mamba {@code Mamba2.__init__}): A_log = log A with A uniform in
 *       [{@value #MAMBA2_A_MIN}, {@value #MAMBA2_A_MAX}] per head, D = 1, Δ log-uniform in [1e-3, 1e-1] stored
 *       through the inverse softplus in dt_bias, the gated norm's weight 1.</li>
 *   <li>S4D-Lin (state-spaces/s4 {@code s4d.py}): A = -1/2 + iπn, log Δ uniform in [log 1e-3, log 1e-1],
 *       C complex standard normal, D standard normal.</li>
 *   <li>S4 (state-spaces/s4 {@code dplr.nplr("legs")}, rank 1): HiPPO-LegS in normal plus low-rank form,
 *       A_legs = V (Λ - P P*) V* with Λ the N/2 eigenvalues with negative imaginary part of its normal part,
 *       V their eigenvectors ({@link HippoLegS}), P = V* √(n + ½), B = V* √(2n + 1), the same for every
 *       channel; C complex standard normal, log Δ uniform in [log 1e-3, log 1e-1], D standard normal.</li>
 *   <li>LSSL (fixed A): HiPPO-LegS is not in the file; log Δ uniform in [log 1e-3, log 1e-1], C (H, N) real
 *       normal with variance 1/N, D standard normal.</li>
 *   <li>LRU ring init (Orvieto et al. 2023): |λ| uniform on the ring [{@value #LRU_R_MIN}, {@value #LRU_R_MAX}]
 *       (the paper's choice for long memory), phase uniform in [0, 2π], γ = √(1 - |λ|²),
 *       B ~ N(0, 1/(2H)), C ~ N(0, 1/N) per real and imaginary part, D standard normal.</li>
 *   <li>S5 (lindermanlab/S5 {@code ssm_init.py}, conjugate symmetry, one block): HiPPO-N, Λ = the P eigenvalues
 *       with negative imaginary part of the normal part of the 2P × 2P HiPPO-LegS matrix and V (2P, P) their
 *       eigenvectors ({@link HippoLegS}); B̃ = V* B with B (2P, H) LeCun truncated normal, C̃ = C V with C
 *       (H, 2P) complex, each part LeCun truncated normal over 2P; log Δ uniform in [log 1e-3, log 1e-1],
 *       D standard normal; out2 like every linear layer.</li>
 *   <li>SpaceTime (HazyResearch/spacetime {@code CompanionSSM}, {@code kernel_init="xavier"}): a, b and c each
 *       U(-1/√N, 1/√N) per channel, D standard normal (SpaceTime's {@code skip}).</li>
 * </ul>
 */
public final class ModelInitializer {
    public static final double DT_MIN = 1e-3;
    public static final double DT_MAX = 1e-1;
    /** Mamba-2's {@code A_init_range}: A_h uniform in [1, 16], stored as log A_h. */
    public static final double MAMBA2_A_MIN = 1;
    public static final double MAMBA2_A_MAX = 16;
    public static final double LRU_R_MIN = 0.9;
    public static final double LRU_R_MAX = 0.999;
    /** The standard deviation of a standard normal truncated to [-2, 2]. */
    private static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

    private final ModelConfig config;
    private final Random random;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    private ModelInitializer(ModelConfig config, long seed) {
        this.config = config;
        this.random = new Random(seed);
    }

    public static SsmModel initialize(ModelConfig config, long seed) {
        return new ModelInitializer(config, seed).build();
    }

    private SsmModel build() {
        int dIn = config.dInput();
        int dModel = config.dModel();
        uniform("encoder.weight", dIn, dModel, dIn);
        uniform("encoder.bias", dIn, dModel);
        for (int i = 0; i < config.nLayers(); i++) {
            constant("layers." + i + ".norm.weight", 1f, dModel);
            String prefix = "layers." + i + ".mixer.";
            switch (config.arch()) {
                case MAMBA:
                    mamba(prefix);
                    break;
                case S4D:
                    s4d(prefix);
                    break;
                case S4:
                    s4(prefix);
                    break;
                case LSSL:
                    lssl(prefix);
                    break;
                case LRU:
                    lru(prefix);
                    break;
                case S5:
                    s5(prefix);
                    break;
                case MAMBA2:
                    mamba2(prefix);
                    break;
                case SPACETIME:
                    spacetime(prefix);
                    break;
                default:
                    throw new AssertionError(config.arch());
            }
        }
        constant("norm_f.weight", 1f, dModel);
        uniform("head.weight", dModel, 2 * dIn, dModel);
        constant("head.bias", 0f, 2 * dIn);
        return SsmModel.of(config, tensors, Map.of());
    }

    private void mamba(String p) {
        int dModel = config.dModel();
        int dInner = config.dInner();
        int n = config.dState();
        int r = config.dtRank();
        int dConv = config.dConv();
        uniform(p + "in_proj.weight", dModel, 2 * dInner, dModel);
        uniform(p + "conv1d.weight", dConv, dInner, 1, dConv);
        uniform(p + "conv1d.bias", dConv, dInner);
        uniform(p + "x_proj.weight", dInner, r + 2 * n, dInner);
        float bound = (float) Math.pow(r, -0.5);
        put(p + "dt_proj.weight", fill(dInner * r, () -> (2 * random.nextFloat() - 1) * bound), dInner, r);
        put(p + "dt_proj.bias", fill(dInner, () -> {
            double dt = Math.max(1e-4, logUniform(DT_MIN, DT_MAX));
            return (float) (dt + Math.log(-Math.expm1(-dt)));
        }), dInner);
        float[] aLog = new float[dInner * n];
        for (int i = 0; i < dInner; i++) {
            for (int j = 0; j < n; j++) {
                aLog[i * n + j] = (float) Math.log(j + 1);
            }
        }
        put(p + "A_log", aLog, dInner, n);
        constant(p + "D", 1f, dInner);
        uniform(p + "out_proj.weight", dInner, dModel, dInner);
    }

    private void mamba2(String p) {
        int dModel = config.dModel();
        int dInner = config.dInner();
        int heads = config.nHeads();
        int dConv = config.dConv();
        int convDim = dInner + 2 * config.ngroups() * config.dState();
        uniform(p + "in_proj.weight", dModel, dInner + convDim + heads, dModel);
        uniform(p + "conv1d.weight", dConv, convDim, 1, dConv);
        uniform(p + "conv1d.bias", dConv, convDim);
        put(p + "dt_bias", fill(heads, () -> {
            double dt = Math.max(1e-4, logUniform(DT_MIN, DT_MAX));
            return (float) (dt + Math.log(-Math.expm1(-dt)));
        }), heads);
        put(p + "A_log", fill(heads, () -> (float) Math.log(MAMBA2_A_MIN
                + (MAMBA2_A_MAX - MAMBA2_A_MIN) * random.nextDouble())), heads);
        constant(p + "D", 1f, heads);
        constant(p + "norm.weight", 1f, dInner);
        uniform(p + "out_proj.weight", dInner, dModel, dInner);
    }

    private void s4d(String p) {
        int h = config.dModel();
        int half = config.dState() / 2;
        put(p + "kernel.log_dt", fill(h, () -> (float) Math.log(logUniform(DT_MIN, DT_MAX))), h);
        constant(p + "kernel.log_A_real", (float) Math.log(0.5), h, half);
        float[] aImag = new float[h * half];
        for (int c = 0; c < h; c++) {
            for (int n = 0; n < half; n++) {
                aImag[c * half + n] = (float) (Math.PI * n);
            }
        }
        put(p + "kernel.A_imag", aImag, h, half);
        // torch.randn(cfloat): real and imaginary parts each N(0, 1/2).
        put(p + "kernel.C", fill(h * half * 2, () -> (float) (random.nextGaussian() * Math.sqrt(0.5))), h, half, 2);
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        gluOutput(p);
    }

    private void s4(String p) {
        int h = config.dModel();
        int half = config.dState() / 2;
        float[][] hippo = HippoLegS.normalPlusLowRank(config.dState()).s4Layout(h);
        put(p + "kernel.log_dt", fill(h, () -> (float) Math.log(logUniform(DT_MIN, DT_MAX))), h);
        put(p + "kernel.inv_A_real", hippo[0], h, half);
        put(p + "kernel.A_imag", hippo[1], h, half);
        put(p + "kernel.P", hippo[2], 1, h, half, 2);
        put(p + "kernel.B", hippo[3], h, half, 2);
        // torch.randn(cfloat): real and imaginary parts each N(0, 1/2).
        put(p + "kernel.C", fill(h * half * 2, () -> (float) (random.nextGaussian() * Math.sqrt(0.5))), h, half, 2);
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        gluOutput(p);
    }

    private void lssl(String p) {
        int h = config.dModel();
        int n = config.dState();
        double cStd = 1 / Math.sqrt(n);
        put(p + "kernel.log_dt", fill(h, () -> (float) Math.log(logUniform(DT_MIN, DT_MAX))), h);
        put(p + "kernel.C", fill(h * n, () -> (float) (random.nextGaussian() * cStd)), h, n);
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        gluOutput(p);
    }

    private void spacetime(String p) {
        int h = config.dModel();
        int n = config.dState();
        float bound = (float) (1 / Math.sqrt(n));
        for (String name : new String[] {"kernel.a", "kernel.b", "kernel.c"}) {
            put(p + name, fill(h * n, () -> (2 * random.nextFloat() - 1) * bound), h, n);
        }
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        gluOutput(p);
    }

    /** GeluGluBlock's output_linear (a 1×1 convolution H → 2H) of S4D, S4, LSSL and SpaceTime. */
    private void gluOutput(String p) {
        int h = config.dModel();
        uniform(p + "output_linear.0.weight", h, 2 * h, h, 1);
        uniform(p + "output_linear.0.bias", h, 2 * h);
    }

    private void lru(String p) {
        int h = config.dModel();
        int n = config.dState();
        float[] nuLog = new float[n];
        float[] thetaLog = new float[n];
        float[] gammaLog = new float[n];
        for (int k = 0; k < n; k++) {
            double u1 = random.nextDouble();
            double u2 = 1.0 - random.nextDouble(); // (0, 1]: log of the phase stays finite
            double nu = -0.5 * Math.log(u1 * (LRU_R_MAX * LRU_R_MAX - LRU_R_MIN * LRU_R_MIN) + LRU_R_MIN * LRU_R_MIN);
            nuLog[k] = (float) Math.log(nu);
            thetaLog[k] = (float) Math.log(2 * Math.PI * u2);
            double magnitude = Math.exp(-Math.exp(nuLog[k]));
            gammaLog[k] = (float) Math.log(Math.sqrt(1 - magnitude * magnitude));
        }
        put(p + "nu_log", nuLog, n);
        put(p + "theta_log", thetaLog, n);
        put(p + "gamma_log", gammaLog, n);
        double bStd = 1.0 / Math.sqrt(2.0 * h);
        double cStd = 1.0 / Math.sqrt(n);
        put(p + "B_re", fill(n * h, () -> (float) (random.nextGaussian() * bStd)), n, h);
        put(p + "B_im", fill(n * h, () -> (float) (random.nextGaussian() * bStd)), n, h);
        put(p + "C_re", fill(h * n, () -> (float) (random.nextGaussian() * cStd)), h, n);
        put(p + "C_im", fill(h * n, () -> (float) (random.nextGaussian() * cStd)), h, n);
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        uniform(p + "out1.weight", h, h, h);
        uniform(p + "out1.bias", h, h);
        uniform(p + "out2.weight", h, h, h);
        uniform(p + "out2.bias", h, h);
    }

    private void s5(String p) {
        int h = config.dModel();
        int states = config.dState();
        int full = 2 * states;
        HippoLegS.NormalEigen eigen = HippoLegS.normalEigen(full);
        float[] lambdaRe = new float[states];
        float[] lambdaIm = new float[states];
        for (int k = 0; k < states; k++) {
            lambdaRe[k] = (float) eigen.lambdaReal();
            lambdaIm[k] = (float) eigen.omega()[k];
        }
        put(p + "Lambda_re", lambdaRe, states);
        put(p + "Lambda_im", lambdaIm, states);
        double[] vRe = eigen.vRe();      // (2P, 2P), columns [0, P) kept
        double[] vIm = eigen.vIm();
        double[] bReal = new double[full * h]; // (2P, H)
        for (int i = 0; i < bReal.length; i++) {
            bReal[i] = lecunTruncatedNormal(full);
        }
        float[] b = new float[states * h * 2]; // (P, H, 2): V* B
        for (int k = 0; k < states; k++) {
            for (int c = 0; c < h; c++) {
                double re = 0;
                double im = 0;
                for (int r = 0; r < full; r++) {
                    re += vRe[r * full + k] * bReal[r * h + c];
                    im -= vIm[r * full + k] * bReal[r * h + c];
                }
                b[(k * h + c) * 2] = (float) re;
                b[(k * h + c) * 2 + 1] = (float) im;
            }
        }
        put(p + "B", b, states, h, 2);
        float[] c = new float[h * states * 2]; // (H, P, 2): C V
        for (int row = 0; row < h; row++) {
            double[] cRe = new double[full];
            double[] cIm = new double[full];
            for (int r = 0; r < full; r++) {
                cRe[r] = lecunTruncatedNormal(full);
                cIm[r] = lecunTruncatedNormal(full);
            }
            for (int k = 0; k < states; k++) {
                double re = 0;
                double im = 0;
                for (int r = 0; r < full; r++) {
                    re += cRe[r] * vRe[r * full + k] - cIm[r] * vIm[r * full + k];
                    im += cRe[r] * vIm[r * full + k] + cIm[r] * vRe[r * full + k];
                }
                c[(row * states + k) * 2] = (float) re;
                c[(row * states + k) * 2 + 1] = (float) im;
            }
        }
        put(p + "C", c, h, states, 2);
        put(p + "D", fill(h, () -> (float) random.nextGaussian()), h);
        put(p + "log_step", fill(states, () -> (float) Math.log(logUniform(DT_MIN, DT_MAX))), states, 1);
        uniform(p + "out2.weight", h, h, h);
        uniform(p + "out2.bias", h, h);
    }

    /**
     * JAX's {@code lecun_normal}: a normal truncated to ±2 standard deviations, rescaled to variance 1/fanIn.
     */
    private double lecunTruncatedNormal(int fanIn) {
        double z;
        do {
            z = random.nextGaussian();
        } while (Math.abs(z) > 2);
        return z / TRUNCATED_NORMAL_STD / Math.sqrt(fanIn);
    }

    private double logUniform(double min, double max) {
        return Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
    }

    /** U(-1/√fanIn, 1/√fanIn), PyTorch's default for Linear and Conv1d weights and biases. */
    private void uniform(String name, int fanIn, int... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        put(name, fill((int) Tensor.elementCount(shape), () -> (2 * random.nextFloat() - 1) * bound), shape);
    }

    private void constant(String name, float value, int... shape) {
        float v = value;
        put(name, fill((int) Tensor.elementCount(shape), () -> v), shape);
    }

    private void put(String name, float[] data, int... shape) {
        tensors.put(name, new Tensor(name, shape, data));
    }

    private interface FloatSupplier {
        float next();
    }

    private static float[] fill(int n, FloatSupplier s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = s.next();
        }
        return a;
    }
}
