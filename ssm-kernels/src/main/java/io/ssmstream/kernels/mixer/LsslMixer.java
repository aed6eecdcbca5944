package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.math.HippoLegS;
import io.ssmstream.kernels.model.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LSSL, the linear state space layer with its state matrix fixed to HiPPO-LegS (Gu, Johnson, Goel, Saab, Dao,
 * Rudra and Ré 2021, "Combining Recurrent, Convolutional, and Continuous-time Models with Linear State-Space
 * Layers", the "fixed A" variant): per channel a real state of size N, the bilinear step for the channel's
 * learned Δ, a learned C and D.
 *
 * <p>Glossary: H = d_model, N = d_state, A the N × N HiPPO-LegS matrix and B[n] = √(2n + 1) (both fixed, not in the
 * file), Δ = exp(log_dt) (· τ when time_aware), C (H, N) real, D (H).
 *
 * <pre>
 *   x = (I - Δ/2 A)⁻¹ (I + Δ/2 A) x + (I - Δ/2 A)⁻¹ Δ B u      (bilinear, per channel, x real (N))
 *   y = C x + D ∘ u,   then S4's block: gelu, output_linear, GLU
 * </pre>
 *
 * <p>How it is computed: HiPPO-LegS is normal plus low rank in a unitary basis, A = V (Λ - P P*) V*
 * ({@link HippoLegS}), so in the coordinates z = V* x the step is exactly S4's ({@link S4Mixer}) with Λ, P = V*
 * √(n + ½) and B = V* √(2n + 1) fixed, and y = C x = 2 Re(Σ_k (C v_k) z_k) over the kept half of each conjugate
 * pair. The dense N × N step (O(N²) per channel, a solve per new τ) becomes O(N); it is what the S4 paper
 * introduced for this very matrix. The numpy reference ({@code tools/reference}) steps the dense form
 * literally, and the golden files hold the two together.
 *
 * <p>State layout: z = V* x, complex {@code (N/2, H)} as {@link S4Mixer} keeps it, so an LSSL state is read as
 * rotated coordinates, not as the dense form's x; d_state must be even (pairs).
 */
public final class LsslMixer {
    private LsslMixer() {
    }

    /** The layer's step: S4's, from the tensors {@link #s4Tensors} derives. */
    public static Mixer create(ModelConfig config, Weights weights, String prefix) {
        return new S4Mixer(config, new Weights(s4Tensors(config, weights, prefix), "lssl layer " + prefix), prefix);
    }

    /**
     * The S4 tensors of an LSSL layer: {@code kernel.inv_A_real}, {@code kernel.A_imag}, {@code kernel.P},
     * {@code kernel.B} from HiPPO-LegS, {@code kernel.C} = C V over the kept half, and the layer's own
     * {@code kernel.log_dt}, {@code D} and {@code output_linear.0.*}.
     */
    public static Map<String, Tensor> s4Tensors(ModelConfig config, Weights weights, String prefix) {
        int h = config.dModel();
        int n = config.dState();
        int half = n / 2;
        float[] c = weights.take(prefix + "kernel.C", h, n);
        HippoLegS.NormalPlusLowRank nplr = HippoLegS.normalPlusLowRank(n);
        double[] vRe = nplr.eigen().vRe(); // (N, N), columns [0, N/2) kept
        double[] vIm = nplr.eigen().vIm();
        float[][] hippo = nplr.s4Layout(h);
        float[] cv = new float[h * half * 2]; // (H, N/2, 2): C v_k
        for (int ch = 0; ch < h; ch++) {
            for (int k = 0; k < half; k++) {
                double re = 0;
                double im = 0;
                for (int r = 0; r < n; r++) {
                    re += c[ch * n + r] * vRe[r * n + k];
                    im += c[ch * n + r] * vIm[r * n + k];
                }
                cv[2 * (ch * half + k)] = (float) re;
                cv[2 * (ch * half + k) + 1] = (float) im;
            }
        }
        Map<String, Tensor> t = new LinkedHashMap<>();
        put(t, prefix + "kernel.log_dt", weights.take(prefix + "kernel.log_dt", h), h);
        put(t, prefix + "kernel.inv_A_real", hippo[0], h, half);
        put(t, prefix + "kernel.A_imag", hippo[1], h, half);
        put(t, prefix + "kernel.P", hippo[2], 1, h, half, 2);
        put(t, prefix + "kernel.B", hippo[3], h, half, 2);
        put(t, prefix + "kernel.C", cv, h, half, 2);
        put(t, prefix + "D", weights.take(prefix + "D", h), h);
        put(t, prefix + "output_linear.0.weight", weights.take(prefix + "output_linear.0.weight", 2 * h, h, 1),
                2 * h, h, 1);
        put(t, prefix + "output_linear.0.bias", weights.take(prefix + "output_linear.0.bias", 2 * h), 2 * h);
        return t;
    }

    private static void put(Map<String, Tensor> t, String name, float[] data, int... shape) {
        t.put(name, new Tensor(name, shape, data));
    }
}
