package io.ssmstream.kernels.testing;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.math.HippoLegS;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import java.util.Arrays;
import java.util.Map;

/**
 * An independent, deliberately naive double-precision implementation of the model format v1 forward pass,
 * written from the equations (not from the kernels): original tensor layouts, complex numbers as pairs, one
 * loop per formula. Tests compare the kernels against it.
 */
public final class ReferenceForward {
    private final ModelConfig c;
    private final Map<String, Tensor> t;
    private final double[][][] state; // layer -> named parts

    public ReferenceForward(SsmModel model) {
        this.c = model.config();
        this.t = model.tensors();
        this.state = new double[c.nLayers()][][];
        for (int i = 0; i < c.nLayers(); i++) {
            switch (c.arch()) {
                case MAMBA:
                    state[i] = new double[][] {new double[c.dInner() * c.dConv()], new double[c.dInner() * c.dState()]};
                    break;
                case S4D:
                case S4:
                    state[i] = new double[][] {new double[c.dModel() * c.dState() / 2], new double[c.dModel() * c.dState() / 2]};
                    break;
                case LSSL:
                case SPACETIME:
                    state[i] = new double[][] {new double[c.dModel() * c.dState()]};
                    break;
                case MAMBA2:
                    int convDim = c.dInner() + 2 * c.ngroups() * c.dState();
                    state[i] = new double[][] {new double[convDim * c.dConv()], new double[c.dInner() * c.dState()]};
                    break;
                default:
                    state[i] = new double[][] {new double[c.dState()], new double[c.dState()]};
            }
        }
    }

    private double[] w(String name) {
        float[] f = t.get(name).data();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double[] linear(double[] w, double[] b, double[] x, int rows) {
        int cols = x.length;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = b == null ? 0 : b[r];
            for (int j = 0; j < cols; j++) {
                acc += w[r * cols + j] * x[j];
            }
            y[r] = acc;
        }
        return y;
    }

    private static double[] rmsnorm(double[] x, double[] weight) {
        double ms = 0;
        for (double v : x) {
            ms += v * v;
        }
        double s = 1 / Math.sqrt(ms / x.length + 1e-5);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * s * weight[i];
        }
        return y;
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static double softplus(double x) {
        return x > 20 ? x : Math.log(1 + Math.exp(x));
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    /** Applies one event and returns {mean[], std[]} for the next event. */
    public double[][] step(double[] v, double tau) {
        int dIn = c.dInput();
        float[] mean = c.inputMean();
        float[] std = c.inputStd();
        double[] u = new double[dIn];
        for (int k = 0; k < dIn; k++) {
            u[k] = (v[k] - mean[k]) / std[k];
        }
        double[] h = linear(w("encoder.weight"), w("encoder.bias"), u, c.dModel());
        for (int i = 0; i < c.nLayers(); i++) {
            double[] x = rmsnorm(h, w("layers." + i + ".norm.weight"));
            String p = "layers." + i + ".mixer.";
            double[] out;
            switch (c.arch()) {
                case MAMBA:
                    out = mamba(p, x, state[i], tau);
                    break;
                case S4D:
                    out = s4d(p, x, state[i], tau);
                    break;
                case S4:
                    out = s4(p, x, state[i], tau);
                    break;
                case LSSL:
                    out = lssl(p, x, state[i], tau);
                    break;
                case S5:
                    out = s5(p, x, state[i], tau);
                    break;
                case MAMBA2:
                    out = mamba2(p, x, state[i], tau);
                    break;
                case SPACETIME:
                    out = spacetime(p, x, state[i], tau);
                    break;
                default:
                    out = lru(p, x, state[i], tau);
            }
            for (int j = 0; j < h.length; j++) {
                h[j] += out[j];
            }
        }
        double[] o = linear(w("head.weight"), w("head.bias"), rmsnorm(h, w("norm_f.weight")), 2 * dIn);
        double[][] result = new double[2][dIn];
        for (int k = 0; k < dIn; k++) {
            result[0][k] = o[k] * std[k] + mean[k];
            result[1][k] = Math.exp(o[dIn + k] / 2) * std[k];
        }
        return result;
    }

    private double[] mamba(String p, double[] hIn, double[][] st, double tau) {
        int di = c.dInner();
        int n = c.dState();
        int dc = c.dConv();
        int r = c.dtRank();
        double[] conv = st[0]; // (d_inner, d_conv) as in PyTorch
        double[] s = st[1];    // (d_inner, d_state)
        double[] xz = linear(w(p + "in_proj.weight"), null, hIn, 2 * di);
        double[] cw = w(p + "conv1d.weight");
        double[] cb = w(p + "conv1d.bias");
        double[] x = new double[di];
        for (int i = 0; i < di; i++) {
            for (int k = 0; k < dc - 1; k++) {
                conv[i * dc + k] = conv[i * dc + k + 1];
            }
            conv[i * dc + dc - 1] = xz[i];
            double acc = cb[i];
            for (int k = 0; k < dc; k++) {
                acc += conv[i * dc + k] * cw[i * dc + k];
            }
            x[i] = acc * sigmoid(acc);
        }
        double[] xdb = linear(w(p + "x_proj.weight"), null, x, r + 2 * n);
        double[] delta = new double[r];
        System.arraycopy(xdb, 0, delta, 0, r);
        double[] dt = linear(w(p + "dt_proj.weight"), w(p + "dt_proj.bias"), delta, di);
        double[] aLog = w(p + "A_log");
        double[] dd = w(p + "D");
        double[] y = new double[di];
        for (int i = 0; i < di; i++) {
            dt[i] = softplus(dt[i]) * (c.timeAware() ? tau : 1);
            double acc = 0;
            for (int k = 0; k < n; k++) {
                double a = -Math.exp(aLog[i * n + k]);
                s[i * n + k] = s[i * n + k] * Math.exp(dt[i] * a) + dt[i] * xdb[r + k] * x[i];
                acc += s[i * n + k] * xdb[r + n + k];
            }
            double z = xz[di + i];
            y[i] = (acc + dd[i] * x[i]) * z * sigmoid(z);
        }
        return linear(w(p + "out_proj.weight"), null, y, c.dModel());
    }

    /** Mamba2.step with the PyTorch layouts: conv state (conv_dim, d_conv), ssm state (H, P, N). */
    private double[] mamba2(String p, double[] hIn, double[][] st, double tau) {
        int di = c.dInner();
        int n = c.dState();
        int dc = c.dConv();
        int heads = c.nHeads();
        int hp = c.headdim();
        int g = c.ngroups();
        int convDim = di + 2 * g * n;
        double[] conv = st[0];
        double[] s = st[1];
        double[] zxbcdt = linear(w(p + "in_proj.weight"), null, hIn, di + convDim + heads);
        double[] cw = w(p + "conv1d.weight");
        double[] cb = w(p + "conv1d.bias");
        double[] xbc = new double[convDim];
        for (int i = 0; i < convDim; i++) {
            for (int k = 0; k < dc - 1; k++) {
                conv[i * dc + k] = conv[i * dc + k + 1];
            }
            conv[i * dc + dc - 1] = zxbcdt[di + i];
            double acc = cb[i];
            for (int k = 0; k < dc; k++) {
                acc += conv[i * dc + k] * cw[i * dc + k];
            }
            xbc[i] = acc * sigmoid(acc);
        }
        double[] dtBias = w(p + "dt_bias");
        double[] aLog = w(p + "A_log");
        double[] dd = w(p + "D");
        double[] y = new double[di];
        for (int h = 0; h < heads; h++) {
            double dt = softplus(zxbcdt[di + convDim + h] + dtBias[h]) * (c.timeAware() ? tau : 1);
            double dA = Math.exp(dt * -Math.exp(aLog[h]));
            int group = h / (heads / g);
            for (int q = 0; q < hp; q++) {
                double x = xbc[h * hp + q];
                double acc = 0;
                for (int k = 0; k < n; k++) {
                    int idx = (h * hp + q) * n + k;
                    s[idx] = s[idx] * dA + dt * xbc[di + group * n + k] * x;
                    acc += s[idx] * xbc[di + g * n + group * n + k];
                }
                double z = zxbcdt[h * hp + q];
                y[h * hp + q] = (acc + dd[h] * x) * z * sigmoid(z);
            }
        }
        double[] normW = w(p + "norm.weight");
        int gs = di / g;
        for (int grp = 0; grp < g; grp++) {
            double ms = 0;
            for (int i = grp * gs; i < (grp + 1) * gs; i++) {
                ms += y[i] * y[i];
            }
            double scale = 1 / Math.sqrt(ms / gs + 1e-5);
            for (int i = grp * gs; i < (grp + 1) * gs; i++) {
                y[i] *= scale * normW[i];
            }
        }
        return linear(w(p + "out_proj.weight"), null, y, c.dModel());
    }

    private double[] s4d(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int half = c.dState() / 2;
        double[] logDt = w(p + "kernel.log_dt");
        double[] logAReal = w(p + "kernel.log_A_real");
        double[] aImag = w(p + "kernel.A_imag");
        double[] cc = w(p + "kernel.C");
        double[] dd = w(p + "D");
        double[] y = new double[hN];
        for (int h = 0; h < hN; h++) {
            double dt = Math.exp(logDt[h]) * (c.timeAware() ? tau : 1);
            double acc = 0;
            for (int n = 0; n < half; n++) {
                int k = h * half + n;
                double aRe = -Math.exp(logAReal[k]);
                double aIm = aImag[k];
                double eRe = Math.exp(dt * aRe) * Math.cos(dt * aIm);
                double eIm = Math.exp(dt * aRe) * Math.sin(dt * aIm);
                // (e - 1) / A
                double nRe = eRe - 1;
                double den = aRe * aRe + aIm * aIm;
                double bRe = (nRe * aRe + eIm * aIm) / den;
                double bIm = (eIm * aRe - nRe * aIm) / den;
                double xRe = st[0][k];
                double xIm = st[1][k];
                st[0][k] = eRe * xRe - eIm * xIm + bRe * u[h];
                st[1][k] = eRe * xIm + eIm * xRe + bIm * u[h];
                acc += cc[2 * k] * st[0][k] - cc[2 * k + 1] * st[1][k];
            }
            y[h] = gelu(2 * acc + dd[h] * u[h]);
        }
        return gluOutput(p, y);
    }

    /** S4D's, S4's and LSSL's output layer on g = gelu(y): o = W g + b, out = o[:H] ∘ σ(o[H:]). */
    private double[] gluOutput(String p, double[] g) {
        int hN = c.dModel();
        double[] o = linear(w(p + "output_linear.0.weight"), w(p + "output_linear.0.bias"), g, 2 * hN);
        double[] out = new double[hN];
        for (int h = 0; h < hN; h++) {
            out[h] = o[h] * sigmoid(o[hN + h]);
        }
        return out;
    }

    /**
     * S4 on the full conjugate-completed state X = [x; conj x] (N complex) with dense matrices: A = diag(Λ_f) -
     * P_f P_f*, and the bilinear step (I - Δ/2 A) X' = (I + Δ/2 A) X + Δ B_f u solved by Gaussian elimination
     * (no Woodbury identity, which is what the kernels use).
     */
    private double[] s4(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int half = c.dState() / 2;
        int n = 2 * half;
        double[] logDt = w(p + "kernel.log_dt");
        double[] invAReal = w(p + "kernel.inv_A_real");
        double[] aImag = w(p + "kernel.A_imag");
        double[] pp = w(p + "kernel.P");
        double[] bb = w(p + "kernel.B");
        double[] cc = w(p + "kernel.C");
        double[] dd = w(p + "D");
        double[] y = new double[hN];
        for (int h = 0; h < hN; h++) {
            double dt = Math.exp(logDt[h]) * (c.timeAware() ? tau : 1);
            double[] lRe = new double[n];
            double[] lIm = new double[n];
            double[] pRe = new double[n];
            double[] pIm = new double[n];
            double[] xRe = new double[n];
            double[] xIm = new double[n];
            double[] bRe = new double[n];
            double[] bIm = new double[n];
            for (int k = 0; k < half; k++) {
                int at = h * half + k;
                double sign = 1;
                for (int f = k; f < n; f += half, sign = -1) { // f = k: the kept half, f = k + half: its conjugate
                    lRe[f] = -Math.exp(invAReal[at]);
                    lIm[f] = sign * aImag[at];
                    pRe[f] = pp[2 * at];
                    pIm[f] = sign * pp[2 * at + 1];
                    bRe[f] = bb[2 * at];
                    bIm[f] = sign * bb[2 * at + 1];
                    xRe[f] = st[0][at];
                    xIm[f] = sign * st[1][at];
                }
            }
            double[][] a = DenseComplex.diagonalMinusOuter(lRe, lIm, pRe, pIm, n);
            double[] aRe = a[0];
            double[] aIm = a[1];
            double[] mRe = new double[n * n];
            double[] mIm = new double[n * n];
            double[] rhsRe = new double[n];
            double[] rhsIm = new double[n];
            for (int r = 0; r < n; r++) {
                rhsRe[r] = dt * bRe[r] * u[h];
                rhsIm[r] = dt * bIm[r] * u[h];
                for (int k = 0; k < n; k++) {
                    double hRe = dt / 2 * aRe[r * n + k];
                    double hIm = dt / 2 * aIm[r * n + k];
                    mRe[r * n + k] = (r == k ? 1 : 0) - hRe;
                    mIm[r * n + k] = -hIm;
                    double plusRe = (r == k ? 1 : 0) + hRe;
                    rhsRe[r] += plusRe * xRe[k] - hIm * xIm[k];
                    rhsIm[r] += plusRe * xIm[k] + hIm * xRe[k];
                }
            }
            DenseComplex.solve(mRe, mIm, rhsRe, rhsIm, n);
            double acc = 0;
            for (int k = 0; k < half; k++) {
                int at = h * half + k;
                st[0][at] = rhsRe[k];
                st[1][at] = rhsIm[k];
                acc += cc[2 * at] * rhsRe[k] - cc[2 * at + 1] * rhsIm[k];
            }
            y[h] = gelu(2 * acc + dd[h] * u[h]);
        }
        return gluOutput(p, y);
    }

    /**
     * LSSL as the paper writes it: per channel a real state x (N), the dense HiPPO-LegS A, B[n] = √(2n + 1), and
     * the bilinear step (I - Δ/2 A) x' = (I + Δ/2 A) x + Δ B u solved by Gaussian elimination.
     */
    private double[] lssl(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int n = c.dState();
        double[] a = HippoLegS.matrix(n);
        double[] logDt = w(p + "kernel.log_dt");
        double[] cc = w(p + "kernel.C");
        double[] dd = w(p + "D");
        double[] y = new double[hN];
        for (int h = 0; h < hN; h++) {
            double dt = Math.exp(logDt[h]) * (c.timeAware() ? tau : 1);
            double[] m = new double[n * n];
            double[] rhs = new double[n];
            for (int r = 0; r < n; r++) {
                rhs[r] = dt * Math.sqrt(2.0 * r + 1) * u[h];
                for (int k = 0; k < n; k++) {
                    m[r * n + k] = (r == k ? 1 : 0) - dt / 2 * a[r * n + k];
                    rhs[r] += ((r == k ? 1 : 0) + dt / 2 * a[r * n + k]) * st[0][h * n + k];
                }
            }
            DenseComplex.solve(m, new double[n * n], rhs, new double[n], n);
            double acc = dd[h] * u[h];
            for (int r = 0; r < n; r++) {
                st[0][h * n + r] = rhs[r];
                acc += cc[h * n + r] * rhs[r];
            }
            y[h] = gelu(acc);
        }
        return gluOutput(p, y);
    }

    /**
     * SpaceTime: per channel the dense companion matrix A (ones below the diagonal, a / ‖a‖₁ as the last
     * column), applied m = round(τ) in [1, 64] times (once unless time-aware), then x += b u, y = c·x + D u.
     */
    private double[] spacetime(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int n = c.dState();
        double[] a = w(p + "kernel.a");
        double[] b = w(p + "kernel.b");
        double[] cc = w(p + "kernel.c");
        double[] dd = w(p + "D");
        long m = c.timeAware() ? Math.min(64, Math.max(1, (long) Math.floor(tau + 0.5))) : 1;
        double[] y = new double[hN];
        for (int h = 0; h < hN; h++) {
            double norm = 0;
            for (int k = 0; k < n; k++) {
                norm += Math.abs(a[h * n + k]);
            }
            double[] dense = new double[n * n]; // (N, N) row-major
            for (int r = 0; r < n; r++) {
                if (r > 0) {
                    dense[r * n + r - 1] = 1;
                }
                dense[r * n + n - 1] += norm > 0 ? a[h * n + r] / norm : 0;
            }
            double[] x = Arrays.copyOfRange(st[0], h * n, (h + 1) * n);
            for (long step = 0; step < m; step++) {
                double[] next = new double[n];
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < n; k++) {
                        next[r] += dense[r * n + k] * x[k];
                    }
                }
                x = next;
            }
            double acc = dd[h] * u[h];
            for (int r = 0; r < n; r++) {
                x[r] += b[h * n + r] * u[h];
                st[0][h * n + r] = x[r];
                acc += cc[h * n + r] * x[r];
            }
            y[h] = gelu(acc);
        }
        return gluOutput(p, y);
    }

    private double[] lru(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int n = c.dState();
        double[] nuLog = w(p + "nu_log");
        double[] thetaLog = w(p + "theta_log");
        double[] gammaLog = w(p + "gamma_log");
        double[] bRe = w(p + "B_re");
        double[] bIm = w(p + "B_im");
        double[] cRe = w(p + "C_re");
        double[] cIm = w(p + "C_im");
        double[] dd = w(p + "D");
        for (int k = 0; k < n; k++) {
            double nu = Math.exp(nuLog[k]);
            double th = Math.exp(thetaLog[k]);
            double lRe = Math.exp(-nu) * Math.cos(th);
            double lIm = Math.exp(-nu) * Math.sin(th);
            double fRe = 1;
            double fIm = 0;
            if (c.timeAware() && tau != 1) {
                double tRe = Math.exp(-tau * nu) * Math.cos(tau * th);
                double tIm = Math.exp(-tau * nu) * Math.sin(tau * th);
                double dRe = lRe - 1;
                double den = dRe * dRe + lIm * lIm;
                fRe = ((tRe - 1) * dRe + tIm * lIm) / den;
                fIm = (tIm * dRe - (tRe - 1) * lIm) / den;
                lRe = tRe;
                lIm = tIm;
            }
            double g = Math.exp(gammaLog[k]);
            double buRe = 0;
            double buIm = 0;
            for (int h = 0; h < hN; h++) {
                buRe += bRe[k * hN + h] * u[h];
                buIm += bIm[k * hN + h] * u[h];
            }
            double inRe = g * (fRe * buRe - fIm * buIm);
            double inIm = g * (fRe * buIm + fIm * buRe);
            double xRe = st[0][k];
            double xIm = st[1][k];
            st[0][k] = lRe * xRe - lIm * xIm + inRe;
            st[1][k] = lRe * xIm + lIm * xRe + inIm;
        }
        double[] y = new double[hN];
        for (int h = 0; h < hN; h++) {
            double acc = dd[h] * u[h];
            for (int k = 0; k < n; k++) {
                acc += cRe[h * n + k] * st[0][k] - cIm[h * n + k] * st[1][k];
            }
            y[h] = gelu(acc);
        }
        double[] o1 = linear(w(p + "out1.weight"), w(p + "out1.bias"), y, hN);
        double[] o2 = linear(w(p + "out2.weight"), w(p + "out2.bias"), y, hN);
        double[] out = new double[hN];
        for (int h = 0; h < hN; h++) {
            out[h] = o1[h] * sigmoid(o2[h]);
        }
        return out;
    }

    private double[] s5(String p, double[] u, double[][] st, double tau) {
        int hN = c.dModel();
        int n = c.dState();
        double[] lambdaRe = w(p + "Lambda_re");
        double[] lambdaIm = w(p + "Lambda_im");
        double[] logStep = w(p + "log_step");
        double[] b = w(p + "B");
        double[] cc = w(p + "C");
        double[] dd = w(p + "D");
        for (int k = 0; k < n; k++) {
            double aRe = Math.min(lambdaRe[k], -1e-4);
            double aIm = lambdaIm[k];
            double dt = Math.exp(logStep[k]) * (c.timeAware() ? tau : 1);
            double eRe = Math.exp(dt * aRe) * Math.cos(dt * aIm);
            double eIm = Math.exp(dt * aRe) * Math.sin(dt * aIm);
            // (e - 1) / A
            double den = aRe * aRe + aIm * aIm;
            double fRe = ((eRe - 1) * aRe + eIm * aIm) / den;
            double fIm = (eIm * aRe - (eRe - 1) * aIm) / den;
            double buRe = 0;
            double buIm = 0;
            for (int h = 0; h < hN; h++) {
                buRe += b[(k * hN + h) * 2] * u[h];
                buIm += b[(k * hN + h) * 2 + 1] * u[h];
            }
            double xRe = st[0][k];
            double xIm = st[1][k];
            st[0][k] = eRe * xRe - eIm * xIm + fRe * buRe - fIm * buIm;
            st[1][k] = eRe * xIm + eIm * xRe + fRe * buIm + fIm * buRe;
        }
        double[] g = new double[hN];
        for (int h = 0; h < hN; h++) {
            double acc = 0;
            for (int k = 0; k < n; k++) {
                acc += cc[(h * n + k) * 2] * st[0][k] - cc[(h * n + k) * 2 + 1] * st[1][k];
            }
            g[h] = gelu(2 * acc + dd[h] * u[h]);
        }
        double[] gate = linear(w(p + "out2.weight"), w(p + "out2.bias"), g, hN);
        double[] out = new double[hN];
        for (int h = 0; h < hN; h++) {
            out[h] = g[h] * sigmoid(gate[h]);
        }
        return out;
    }
}
