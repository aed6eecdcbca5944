package io.ssmstream.kernels.mixer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.Erf;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One-channel, one-state mixers whose outputs are worked out by hand from the equations. */
class HandCheckedMixerTest {
    private static final double TOL = 1e-6;
    private static final int GUARD = 5;
    private static final float GUARD_VALUE = 1234.5f;

    /** Float arithmetic against exact values: 1e-6 relative, or absolute below 1. */
    private static void assertNear(double expected, double actual) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)));
    }

    static KernelOps[] ops() {
        return new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()};
    }

    private static double silu(double x) {
        return x / (1 + Math.exp(-x));
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    private static final class TensorMap {
        final Map<String, Tensor> map = new LinkedHashMap<>();

        TensorMap put(String name, int[] shape, float... data) {
            map.put(name, new Tensor(name, shape, data));
            return this;
        }

        Weights weights() {
            return new Weights(map, "hand");
        }
    }

    /**
     * Steps {@code state} placed inside a larger array, between guard values, as a layer of a multi-layer
     * stream state is: the step must use its offset and leave the rest of the array alone.
     */
    private static float step(Mixer.Stepper stepper, float[] state, float u, float tau) {
        float[] shared = new float[GUARD + state.length + GUARD];
        Arrays.fill(shared, GUARD_VALUE);
        System.arraycopy(state, 0, shared, GUARD, state.length);
        float[] out = new float[1];
        stepper.step(new float[] {u}, shared, GUARD, tau, out);
        System.arraycopy(shared, GUARD, state, 0, state.length);
        for (int i = 0; i < GUARD; i++) {
            assertEquals(GUARD_VALUE, shared[i], "the float " + (GUARD - i) + " before the layer changed");
            assertEquals(GUARD_VALUE, shared[GUARD + state.length + i], "the float " + i + " after the layer changed");
        }
        return out[0];
    }

    /**
     * Mamba with d_model = d_inner = d_state = 1, d_conv = 2: x = z = h; conv weights (0.5, 1); B = C = u;
     * Δ = softplus(ln(e - 1)) = 1; A = -1; D = 0; out_proj = 1.
     */
    @ParameterizedTest
    @MethodSource("ops")
    void mambaMatchesHandComputation(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.MAMBA, 1).dModel(1).expand(1).dState(1).dConv(2).dtRank(1)
                .timeAware(true).build();
        TensorMap t = new TensorMap().put("in_proj.weight", new int[] {2, 1}, 1, 1)
                .put("conv1d.weight", new int[] {1, 1, 2}, 0.5f, 1)
                .put("conv1d.bias", new int[] {1}, 0)
                .put("x_proj.weight", new int[] {3, 1}, 0, 1, 1)
                .put("dt_proj.weight", new int[] {1, 1}, 0)
                .put("dt_proj.bias", new int[] {1}, (float) Math.log(Math.E - 1))
                .put("A_log", new int[] {1, 1}, 0)
                .put("D", new int[] {1}, 0)
                .put("out_proj.weight", new int[] {1, 1}, 1);
        MambaMixer mixer = new MambaMixer(config, t.weights(), "");
        assertEquals(1 * (2 + 1), mixer.stateSize());
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];

        // Event 1, h = 1: window [0, 1] -> u1 = silu(1); s = Δ B u = u1²; y = s C = u1³; out = y silu(z=1) = u1⁴.
        double u1 = silu(1);
        assertNear(Math.pow(u1, 4), step(stepper, state, 1f, 1f));
        // Event 2, h = 2, τ = 3: window [1, 2] -> u2 = silu(0.5 + 2); Δ = 3; s = u1² e^{-3} + 3 u2²;
        // out = s u2 silu(2).
        double u2 = silu(2.5);
        double s = u1 * u1 * Math.exp(-3) + 3 * u2 * u2;
        assertNear(s * u2 * silu(2), step(stepper, state, 2f, 3f));
        // Event 3, h = 0, τ = 0 (same timestamp): the SSM state holds (Δ = 0) but the window still shifts.
        double u3 = silu(0.5 * 2);
        assertNear(s * u3 * silu(0), step(stepper, state, 0f, 0f));
    }

    /**
     * S4D with H = 1, one complex mode: Δ = 1, A = -1 + i·π/2, C = 0.5, D = 0, output W = [1, 0], b = 0 so that
     * out = gelu(y) · σ(0) = gelu(y) / 2.
     */
    @ParameterizedTest
    @MethodSource("ops")
    void s4dMatchesHandComputation(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.S4D, 1).dModel(1).dState(2).timeAware(true).build();
        TensorMap t = new TensorMap().put("kernel.log_dt", new int[] {1}, 0)
                .put("kernel.log_A_real", new int[] {1, 1}, 0)
                .put("kernel.A_imag", new int[] {1, 1}, (float) (Math.PI / 2))
                .put("kernel.C", new int[] {1, 1, 2}, 0.5f, 0)
                .put("D", new int[] {1}, 0)
                .put("output_linear.0.weight", new int[] {2, 1, 1}, 1, 0)
                .put("output_linear.0.bias", new int[] {2}, 0, 0);
        S4dMixer mixer = new S4dMixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];

        // e^{ΔA} = e^{-1}·i; ΔB = (e^{ΔA} - 1)/A = (-1 + i e^{-1}) / (-1 + iπ/2).
        double aRe = -1;
        double aIm = Math.PI / 2;
        double den = aRe * aRe + aIm * aIm;
        double bRe = (-1 * aRe + Math.exp(-1) * aIm) / den;
        double bIm = (Math.exp(-1) * aRe - (-1) * aIm) / den;
        // Event 1, u = 1: x = ΔB; y = 2 Re(0.5 x) = Re x.
        assertNear(gelu(bRe) / 2, step(stepper, state, 1f, 1f));
        // Event 2, u = 0: x = i e^{-1} · ΔB, Re x = -e^{-1} Im ΔB.
        assertNear(gelu(-Math.exp(-1) * bIm) / 2, step(stepper, state, 0f, 1f));
        // Event 3, u = 0, τ = 2: x = (i e^{-1})² x = -e^{-2} x.
        double re3 = -Math.exp(-2) * (-Math.exp(-1) * bIm);
        assertNear(gelu(re3) / 2, step(stepper, state, 0f, 2f));
    }

    /**
     * SpaceTime with H = 1, N = 2: a = (0.6, -0.2), so â = a / 0.8 = (0.75, -0.25) and A = [[0, 0.75], [1, -0.25]];
     * b = (1, 0.5), c = (2, -1), D = 0.5; output W = [1, 0], b = 0 so that out = gelu(y) / 2.
     */
    @ParameterizedTest
    @MethodSource("ops")
    void spacetimeMatchesHandComputation(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.SPACETIME, 1).dModel(1).dState(2).timeAware(true).build();
        TensorMap t = new TensorMap().put("kernel.a", new int[] {1, 2}, 0.6f, -0.2f)
                .put("kernel.b", new int[] {1, 2}, 1, 0.5f)
                .put("kernel.c", new int[] {1, 2}, 2, -1)
                .put("D", new int[] {1}, 0.5f)
                .put("output_linear.0.weight", new int[] {2, 1, 1}, 1, 0)
                .put("output_linear.0.bias", new int[] {2}, 0, 0);
        SpacetimeMixer mixer = new SpacetimeMixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];

        // Event 1, u = 1: x = b = (1, 0.5); y = 2 - 0.5 + 0.5 = 2.
        assertNear(gelu(2) / 2, step(stepper, state, 1f, 1f));
        // Event 2, u = 0, τ = 3: x = A³ x: (0.375, 0.875), (0.65625, 0.15625), (0.1171875, 0.6171875);
        // y = 2 · 0.1171875 - 0.6171875.
        assertNear(gelu(-0.3828125) / 2, step(stepper, state, 0f, 3f));
        // Event 3, u = 0, τ = 0.2 counts as one sample: x = (0.462890625, -0.0371093750).
        assertNear(gelu(2 * 0.462890625 + 0.037109375) / 2, step(stepper, state, 0f, 0.2f));
    }

    /** A gap longer than {@link SpacetimeMixer#MAX_GAP_STEPS} samples advances the state as that many do. */
    @ParameterizedTest
    @MethodSource("ops")
    void spacetimeGapIsClampedToMaxGapSteps(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.SPACETIME, 1).dModel(1).dState(3).timeAware(true).build();
        TensorMap t = new TensorMap().put("kernel.a", new int[] {1, 3}, -0.6f, 0.1f, 0.3f)
                .put("kernel.b", new int[] {1, 3}, 1, -0.5f, 0.25f)
                .put("kernel.c", new int[] {1, 3}, 1, 2, 3)
                .put("D", new int[] {1}, 0)
                .put("output_linear.0.weight", new int[] {2, 1, 1}, 1, 0)
                .put("output_linear.0.bias", new int[] {2}, 0, 0);
        SpacetimeMixer mixer = new SpacetimeMixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] clamped = new float[mixer.stateSize()];
        float[] longest = new float[mixer.stateSize()];
        float[] shorter = new float[mixer.stateSize()];
        for (float[] state : new float[][] {clamped, longest, shorter}) {
            step(stepper, state, 1f, 1f);
        }
        float atCap = step(stepper, longest, 0.5f, SpacetimeMixer.MAX_GAP_STEPS);
        assertEquals(atCap, step(stepper, clamped, 0.5f, 10_000f));
        assertEquals(Arrays.toString(longest), Arrays.toString(clamped));
        step(stepper, shorter, 0.5f, SpacetimeMixer.MAX_GAP_STEPS - 1);
        assertNotEquals(Arrays.toString(longest), Arrays.toString(shorter));
    }

    /**
     * LRU with N = H = 1: λ = 0.5·e^{iπ/2} = 0.5i, γ = 1, B = C = 1, D = 0, out1 = identity, out2 = 0, so that
     * out = gelu(Re x) · σ(0).
     */
    @ParameterizedTest
    @MethodSource("ops")
    void lruMatchesHandComputation(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.LRU, 1).dModel(1).dState(1).timeAware(true).build();
        TensorMap t = new TensorMap().put("nu_log", new int[] {1}, (float) Math.log(Math.log(2)))
                .put("theta_log", new int[] {1}, (float) Math.log(Math.PI / 2))
                .put("gamma_log", new int[] {1}, 0)
                .put("B_re", new int[] {1, 1}, 1).put("B_im", new int[] {1, 1}, 0)
                .put("C_re", new int[] {1, 1}, 1).put("C_im", new int[] {1, 1}, 0)
                .put("D", new int[] {1}, 0)
                .put("out1.weight", new int[] {1, 1}, 1).put("out1.bias", new int[] {1}, 0)
                .put("out2.weight", new int[] {1, 1}, 0).put("out2.bias", new int[] {1}, 0);
        LruMixer mixer = new LruMixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];

        assertNear(gelu(1) / 2, step(stepper, state, 1f, 1f));         // x = 1
        assertNear(0, step(stepper, state, 0f, 1f));                   // x = 0.5i
        assertNear(gelu(-0.25) / 2, step(stepper, state, 0f, 1f));     // x = -0.25
        // τ = 2, u = 1: λ² = -0.25, f = (λ² - 1)/(λ - 1) = λ + 1 = 1 + 0.5i; x = -0.25·(-0.25) + (1 + 0.5i).
        assertNear(gelu(0.0625 + 1) / 2, step(stepper, state, 1f, 2f));
        assertNear(0.5f, state[1]);
    }

    /**
     * S5 with P = H = 1: Λ = -ln 2 + iπ/2 and Δ = 1, so that Λ̄ = 0.5i; B̃ = 1, C̃ = 0.5 (the conjugate pair doubles
     * it to 1), D = 0, out2 = 0, so that out = gelu(Re x) · σ(0) and x follows x = Λ̄ x + ((Λ̄ - 1)/Λ) u.
     */
    @ParameterizedTest
    @MethodSource("ops")
    void s5MatchesHandComputation(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.S5, 1).dModel(1).dState(1).timeAware(true).build();
        double aRe = -Math.log(2);
        double aIm = Math.PI / 2;
        TensorMap t = new TensorMap().put("Lambda_re", new int[] {1}, (float) aRe)
                .put("Lambda_im", new int[] {1}, (float) aIm)
                .put("log_step", new int[] {1, 1}, 0)
                .put("B", new int[] {1, 1, 2}, 1, 0)
                .put("C", new int[] {1, 1, 2}, 0.5f, 0)
                .put("D", new int[] {1}, 0)
                .put("out2.weight", new int[] {1, 1}, 0).put("out2.bias", new int[] {1}, 0);
        S5Mixer mixer = new S5Mixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];
        // (Λ̄ - 1)/Λ with Λ̄ = 0.5i: (-1 + 0.5i)/(aRe + i aIm)
        double den = aRe * aRe + aIm * aIm;
        double fRe = (-aRe + 0.5 * aIm) / den;
        double fIm = (0.5 * aRe + aIm) / den;

        assertNear(gelu(fRe) / 2, step(stepper, state, 1f, 1f));                // x = f
        assertNear(gelu(-0.5 * fIm) / 2, step(stepper, state, 0f, 1f));        // x = 0.5i f
        // τ = 2, u = 0: Λ̄² = -0.25, x = -0.25 · 0.5i f
        assertNear(gelu(0.125 * fIm) / 2, step(stepper, state, 0f, 2f));
        // τ = 0: the state stands still whatever the input
        assertNear(gelu(0.125 * fIm) / 2, step(stepper, state, 5f, 0f));
    }

    /** A positive Re Λ from training is clipped to S5's bound: the state decays instead of growing. */
    @ParameterizedTest
    @MethodSource("ops")
    void s5ClipsAnUnstableEigenvalue(KernelOps ops) {
        ModelConfig config = ModelConfig.builder(Arch.S5, 1).dModel(1).dState(1).timeAware(false).build();
        TensorMap t = new TensorMap().put("Lambda_re", new int[] {1}, 0.5f)
                .put("Lambda_im", new int[] {1}, 0)
                .put("log_step", new int[] {1, 1}, (float) Math.log(1000))
                .put("B", new int[] {1, 1, 2}, 1, 0)
                .put("C", new int[] {1, 1, 2}, 0.5f, 0)
                .put("D", new int[] {1}, 0)
                .put("out2.weight", new int[] {1, 1}, 0).put("out2.bias", new int[] {1}, 0);
        S5Mixer mixer = new S5Mixer(config, t.weights(), "");
        Mixer.Stepper stepper = mixer.newStepper(ops);
        float[] state = new float[mixer.stateSize()];
        double lambdaBar = Math.exp(S5Mixer.MAX_LAMBDA_REAL * 1000);
        double factor = (lambdaBar - 1) / S5Mixer.MAX_LAMBDA_REAL;
        step(stepper, state, 1f, 1f);
        assertNear(factor, state[0]);
        assertNear(gelu(lambdaBar * factor) / 2, step(stepper, state, 0f, 1f));
    }
}
