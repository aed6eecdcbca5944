package io.ssmstream.kernels.mixer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.DenseComplex;
import io.ssmstream.kernels.testing.Erf;
import io.ssmstream.kernels.testing.RandomModels;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S4's two modes agree: the recurrent step of {@link S4Mixer} (Woodbury, one event at a time) against the
 * convolution mode of the S4 paper (Gu, Goel and Ré 2022, Algorithm 1) computed here in double precision from
 * the same tensors. The kernel K_l = C Ā^l B̄ (l &lt; L) comes from its truncated generating function at the L
 * roots of unity, C̃ (I - Ā z)⁻¹ B̄ with C̃ = C (I - Ā^L), which for the bilinear Ā, B̄ is
 * <pre>
 *   K̂(z) = 2 C̃ ((2/Δ)(1 - z) I - (1 + z) A)⁻¹ B,   A = Λ - P P*      (finite at z = -1 in this form)
 *        = 2 [k(C̃, B) - (1+z) k(C̃, P) k(P*, B) / (1 + (1+z) k(P*, P))],   k(u, v) = Σ_n u_n v_n / ((2/Δ)(1-z) - (1+z) Λ_n)
 * </pre>
 * (Woodbury over Cauchy sums on the full conjugate-completed state), then an inverse DFT gives K, and
 * y = K * u + D u is the causal convolution. GELU and the GLU output layer follow as in the block.
 */
class S4ConvolutionModeTest {
    private static final int LENGTH = 64;
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 17})
    void recurrentStepEqualsConvolutionMode(int channels) {
        SsmModel model = RandomModels.create(Arch.S4, 1, channels, 1, 8, false, channels);
        Map<String, Tensor> t = model.tensors();
        String prefix = "layers.0.mixer.";
        S4Mixer mixer = new S4Mixer(model.config(), new Weights(t, "test"), prefix);
        Random random = new Random(channels);
        float[][] u = new float[LENGTH][channels];
        for (float[] row : u) {
            for (int h = 0; h < channels; h++) {
                row[h] = (float) random.nextGaussian();
            }
        }
        double[][] expected = convolutionMode(t, prefix, channels, model.config().dState() / 2, u);
        for (KernelOps ops : new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()}) {
            Mixer.Stepper stepper = mixer.newStepper(ops);
            float[] state = new float[mixer.stateSize()];
            float[] out = new float[channels];
            for (int step = 0; step < LENGTH; step++) {
                stepper.step(u[step], state, 0, 1f, out);
                for (int h = 0; h < channels; h++) {
                    double want = expected[step][h];
                    double err = Math.abs(out[h] - want);
                    assertTrue(err <= TOLERANCE * Math.max(1, Math.abs(want)), ops.name() + " step " + step
                            + " channel " + h + ": recurrent " + out[h] + " vs convolution " + want);
                }
            }
        }
    }

    /** The block's output for every step, (L, H), from the convolution mode. */
    private static double[][] convolutionMode(Map<String, Tensor> t, String prefix, int channels, int half,
                                              float[][] u) {
        float[] logDt = t.get(prefix + "kernel.log_dt").data();
        float[] invAReal = t.get(prefix + "kernel.inv_A_real").data();
        float[] aImag = t.get(prefix + "kernel.A_imag").data();
        float[] p = t.get(prefix + "kernel.P").data();
        float[] b = t.get(prefix + "kernel.B").data();
        float[] c = t.get(prefix + "kernel.C").data();
        float[] d = t.get(prefix + "D").data();
        float[] w = t.get(prefix + "output_linear.0.weight").data();
        float[] bias = t.get(prefix + "output_linear.0.bias").data();
        int n = 2 * half;
        double[][] y = new double[LENGTH][channels];
        for (int h = 0; h < channels; h++) {
            double[] lRe = new double[n];
            double[] lIm = new double[n];
            double[] pRe = new double[n];
            double[] pIm = new double[n];
            double[] bRe = new double[n];
            double[] bIm = new double[n];
            double[] cRe = new double[n];
            double[] cIm = new double[n];
            for (int k = 0; k < half; k++) {
                int at = h * half + k;
                for (int f : new int[] {k, k + half}) {
                    double sign = f == k ? 1 : -1; // the second half: the conjugates
                    lRe[f] = -Math.exp(invAReal[at]);
                    lIm[f] = sign * aImag[at];
                    pRe[f] = p[2 * at];
                    pIm[f] = sign * p[2 * at + 1];
                    bRe[f] = b[2 * at];
                    bIm[f] = sign * b[2 * at + 1];
                    cRe[f] = c[2 * at];
                    cIm[f] = sign * c[2 * at + 1];
                }
            }
            double dt = Math.exp(logDt[h]);
            double[][] cTilde = truncatedC(lRe, lIm, pRe, pIm, cRe, cIm, dt, n);
            double[] kernel = inverseDft(generatingFunction(lRe, lIm, pRe, pIm, bRe, bIm, cTilde[0], cTilde[1], dt,
                    n));
            for (int step = 0; step < LENGTH; step++) {
                double acc = d[h] * u[step][h];
                for (int l = 0; l <= step; l++) {
                    acc += kernel[l] * u[step - l][h];
                }
                y[step][h] = acc;
            }
        }
        double[][] out = new double[LENGTH][channels];
        for (int step = 0; step < LENGTH; step++) {
            double[] g = new double[channels];
            for (int h = 0; h < channels; h++) {
                double x = y[step][h];
                g[h] = 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            }
            for (int h = 0; h < channels; h++) {
                double value = bias[h];
                double gate = bias[channels + h];
                for (int j = 0; j < channels; j++) {
                    value += w[h * channels + j] * g[j];
                    gate += w[(channels + h) * channels + j] * g[j];
                }
                out[step][h] = value / (1 + Math.exp(-gate));
            }
        }
        return out;
    }

    /** C̃ = C (I - Ā^L), with Ā = (I - Δ/2 A)⁻¹ (I + Δ/2 A) as a dense matrix. */
    private static double[][] truncatedC(double[] lRe, double[] lIm, double[] pRe, double[] pIm, double[] cRe,
                                         double[] cIm, double dt, int n) {
        double[] minusRe = new double[n * n];
        double[] minusIm = new double[n * n];
        double[] plusRe = new double[n * n];
        double[] plusIm = new double[n * n];
        double[][] a = DenseComplex.diagonalMinusOuter(lRe, lIm, pRe, pIm, n);
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < n; k++) {
                double aRe = a[0][r * n + k];
                double aIm = a[1][r * n + k];
                minusRe[r * n + k] = (r == k ? 1 : 0) - dt / 2 * aRe;
                minusIm[r * n + k] = -dt / 2 * aIm;
                plusRe[r * n + k] = (r == k ? 1 : 0) + dt / 2 * aRe;
                plusIm[r * n + k] = dt / 2 * aIm;
            }
        }
        double[] barRe = new double[n * n];
        double[] barIm = new double[n * n];
        for (int col = 0; col < n; col++) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int r = 0; r < n; r++) {
                re[r] = plusRe[r * n + col];
                im[r] = plusIm[r * n + col];
            }
            DenseComplex.solve(minusRe, minusIm, re, im, n);
            for (int r = 0; r < n; r++) {
                barRe[r * n + col] = re[r];
                barIm[r * n + col] = im[r];
            }
        }
        double[][] power = {identity(n), new double[n * n]};
        for (int l = 0; l < LENGTH; l++) {
            power = DenseComplex.multiply(power[0], power[1], barRe, barIm, n);
        }
        double[] outRe = cRe.clone();
        double[] outIm = cIm.clone();
        for (int col = 0; col < n; col++) {
            for (int r = 0; r < n; r++) {
                outRe[col] -= cRe[r] * power[0][r * n + col] - cIm[r] * power[1][r * n + col];
                outIm[col] -= cRe[r] * power[1][r * n + col] + cIm[r] * power[0][r * n + col];
            }
        }
        return new double[][] {outRe, outIm};
    }

    /** K̂ at z_k = exp(-2πik/L), k in [0, L), as {re, im}. */
    private static double[][] generatingFunction(double[] lRe, double[] lIm, double[] pRe, double[] pIm,
                                                 double[] bRe, double[] bIm, double[] ctRe, double[] ctIm,
                                                 double dt, int n) {
        double[][] out = new double[2][LENGTH];
        for (int k = 0; k < LENGTH; k++) {
            double zRe = Math.cos(-2 * Math.PI * k / LENGTH);
            double zIm = Math.sin(-2 * Math.PI * k / LENGTH);
            double[] cb = {0, 0};
            double[] cp = {0, 0};
            double[] pb = {0, 0};
            double[] pp = {0, 0};
            for (int m = 0; m < n; m++) {
                // 1 / ((2/Δ)(1 - z) - (1 + z) Λ_m)
                double denRe = 2 / dt * (1 - zRe) - ((1 + zRe) * lRe[m] - zIm * lIm[m]);
                double denIm = -2 / dt * zIm - ((1 + zRe) * lIm[m] + zIm * lRe[m]);
                double norm = denRe * denRe + denIm * denIm;
                double invRe = denRe / norm;
                double invIm = -denIm / norm;
                addCauchy(cb, ctRe[m], ctIm[m], bRe[m], bIm[m], invRe, invIm);
                addCauchy(cp, ctRe[m], ctIm[m], pRe[m], pIm[m], invRe, invIm);
                addCauchy(pb, pRe[m], -pIm[m], bRe[m], bIm[m], invRe, invIm);
                addCauchy(pp, pRe[m], -pIm[m], pRe[m], pIm[m], invRe, invIm);
            }
            double[] onePlusZ = {1 + zRe, zIm};
            double[] cpPb = mul(mul(cp, pb), onePlusZ);
            double[] den = mul(pp, onePlusZ);
            den[0] += 1;
            double[] correction = div(cpPb, den);
            out[0][k] = 2 * (cb[0] - correction[0]);
            out[1][k] = 2 * (cb[1] - correction[1]);
        }
        return out;
    }

    /** K_l = Re (1/L) Σ_k K̂(z_k) exp(2πikl/L). */
    private static double[] inverseDft(double[][] spectrum) {
        double[] kernel = new double[LENGTH];
        for (int l = 0; l < LENGTH; l++) {
            double acc = 0;
            for (int k = 0; k < LENGTH; k++) {
                double angle = 2 * Math.PI * k * l / LENGTH;
                acc += spectrum[0][k] * Math.cos(angle) - spectrum[1][k] * Math.sin(angle);
            }
            kernel[l] = acc / LENGTH;
        }
        return kernel;
    }

    /** acc += u v inv (complex). */
    private static void addCauchy(double[] acc, double uRe, double uIm, double vRe, double vIm, double invRe,
                                  double invIm) {
        double[] uvInv = mul(mul(new double[] {uRe, uIm}, new double[] {vRe, vIm}), new double[] {invRe, invIm});
        acc[0] += uvInv[0];
        acc[1] += uvInv[1];
    }

    private static double[] mul(double[] a, double[] b) {
        return new double[] {a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]};
    }

    private static double[] div(double[] a, double[] b) {
        double norm = b[0] * b[0] + b[1] * b[1];
        return new double[] {(a[0] * b[0] + a[1] * b[1]) / norm, (a[1] * b[0] - a[0] * b[1]) / norm};
    }

    private static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 1;
        }
        return a;
    }
}
