package io.ssmstream.trainer;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Fits a model's direct multi-horizon head ({@code HorizonHead}) by ridge regression: the trained network and
 * the head's fixed-pole SSM ({@link HorizonPoles}) are streamed over the series in the kernels, exactly as the
 * job will run them, and at every event t the head's features φ_t are the regressors and the changes
 * u_{t+j} − u_t (j = 1..H, every channel, normalised) the targets. Features are standardised with the fit
 * rows' mean and std (folded into the saved weights) and the ridge penalty α·n·‖w_o‖² of each output o (a
 * step j and a channel) is chosen among {@link #RIDGE_GRID} for its channel and its block of steps (j = 1,
 * 2–3, 4–7, 8–15, …) together, by their squared error on separate selection series ({@link #DEFAULT_RIDGE}
 * when they have no equation): near steps want less smoothing than far ones, and a block's many outputs
 * choose more steadily than one output alone. With several channels each group also chooses between reading
 * every channel's features and its own channel's only (the others may be more noise than signal for it). The
 * weights are those of the fit rows alone. Events before the {@link #WARM_UP}th of a series (a cold state)
 * and events with fewer than H events after them are not equations.
 *
 * <p>Everything is accumulated as sums (Σφ, Σφφᵀ, Σy, Σφyᵀ, Σy²), so memory does not grow with the series;
 * the selection error of each α comes from the same sums of the selection series.
 */
public final class HorizonFit {
    /** α of the ridge penalty α·n·‖W‖² on standardised features. */
    static final double[] RIDGE_GRID = {1e-3, 1e-2, 1e-1, 1, 10};
    /** Events of a series whose state is too cold to be an equation. */
    static final int WARM_UP = 200;
    /** α when there is nothing to choose it on. */
    static final double DEFAULT_RIDGE = 1e-2;

    /**
     * @param model         the trained model with its head
     * @param selectionMse  the mean squared error over steps 1..H and channels on the selection series
     *                      (normalised units)
     * @param equations     events fitted
     */
    public record Result(SsmModel model, double selectionMse, int equations) {
    }

    private HorizonFit() {
    }

    /**
     * @param trained   a model without a head (or whose head is replaced)
     * @param fit       the series the weights are fitted on
     * @param selection the series α is chosen on
     * @throws TrainingDataException when the series leave no equation
     */
    public static Result fit(SsmModel trained, HorizonPoles poles, int horizon, boolean networkFeatures,
                             List<EventSeries> fit, List<EventSeries> selection, PrintWriter log) {
        SsmModel features = withHead(trained, poles, horizon, null);
        int regressors = 2 * trained.config().dInput() * poles.modes()
                + (networkFeatures ? trained.config().dModel() : 0);
        Sums fitSums = accumulate(features, fit, regressors);
        if (fitSums.n == 0) {
            throw new TrainingDataException("the direct head needs training series longer than " + WARM_UP
                    + " warm-up events + its horizon (" + horizon + ") events to fit on; the longest has "
                    + longest(fit));
        }
        Sums selectSums = accumulate(features, selection, regressors);
        if (selectSums.n == 0) {
            if (log != null) {
                log.printf(Locale.ROOT, "direct head: no selection events after the warm-up; ridge %.0e%n",
                        DEFAULT_RIDGE);
            }
            return new Result(withHead(trained, poles, horizon, fitSums.solve(DEFAULT_RIDGE, allColumns(regressors))),
                    Double.NaN, fitSums.n);
        }
        int d = trained.config().dInput();
        int outputs = horizon * d;
        int blocks = block(horizon) + 1;
        List<Candidate> candidates = candidates(fitSums, d, poles.modes(), regressors);
        double[][] chosen = {new double[outputs * regressors], new double[outputs]}; // {W, b}, group by group
        double[] bestGroupSse = new double[blocks * d];
        Arrays.fill(bestGroupSse, Double.POSITIVE_INFINITY);
        String[] choice = new String[blocks * d];
        for (Candidate c : candidates) {
            double[] sse = selectSums.squaredErrors(c.wb);
            double[] groupSse = new double[blocks * d];
            for (int o = 0; o < outputs; o++) {
                groupSse[group(o, d, blocks)] += sse[o];
            }
            if (log != null) {
                log.printf(Locale.ROOT, "direct head: %s, selection MSE over steps 1..%d %.5f%n", c.label(),
                        horizon, Arrays.stream(sse).sum() / ((double) selectSums.n * outputs));
            }
            for (int o = 0; o < outputs; o++) {
                int g = group(o, d, blocks);
                if (groupSse[g] < bestGroupSse[g]) {
                    System.arraycopy(c.wb[0], o * regressors, chosen[0], o * regressors, regressors);
                    chosen[1][o] = c.wb[1][o];
                }
            }
            for (int g = 0; g < groupSse.length; g++) {
                if (groupSse[g] < bestGroupSse[g]) {
                    bestGroupSse[g] = groupSse[g];
                    choice[g] = c.label();
                }
            }
        }
        double mse = Arrays.stream(bestGroupSse).sum() / ((double) selectSums.n * outputs);
        if (log != null) {
            Map<String, Integer> counts = new TreeMap<>();
            for (String label : choice) {
                counts.merge(label, 1, Integer::sum);
            }
            log.printf(Locale.ROOT, "direct head: %d modes, %d features, %d equations; chosen per channel and block of"
                    + " steps (1, 2-3, 4-7, ...) on the selection events: %s; selection MSE %.5f%n",
                    poles.modes(), regressors, fitSums.n, counts, mse);
            log.flush();
        }
        return new Result(withHead(trained, poles, horizon, chosen), mse, fitSums.n);
    }

    /**
     * A fitted readout: every channel's outputs from all channels' features ({@code own} false), or each
     * channel's outputs from its own features only, plus the network's when they are read ({@code own} true;
     * only with several channels, where the others' may be more noise than signal).
     */
    private record Candidate(double alpha, boolean own, double[][] wb) {
        String label() {
            return String.format(Locale.ROOT, "%s ridge %.0e", own ? "own channel" : "all channels", alpha);
        }
    }

    private static int[] allColumns(int regressors) {
        return IntStream.range(0, regressors).toArray();
    }

    private static List<Candidate> candidates(Sums sums, int d, int modes, int regressors) {
        List<Candidate> out = new ArrayList<>();
        int[] all = allColumns(regressors);
        for (double alpha : RIDGE_GRID) {
            out.add(new Candidate(alpha, false, sums.solve(alpha, all)));
        }
        if (d == 1) {
            return out;
        }
        int network = regressors - 2 * d * modes; // the network's features after the channels' re and im
        for (double alpha : RIDGE_GRID) {
            double[][] assembled = {new double[sums.outputs * regressors], new double[sums.outputs]};
            for (int k = 0; k < d; k++) {
                int[] columns = new int[2 * modes + network];
                for (int p = 0; p < modes; p++) {
                    columns[p] = k * modes + p;                 // Re s_k
                    columns[modes + p] = d * modes + k * modes + p; // Im s_k
                }
                for (int j = 0; j < network; j++) {
                    columns[2 * modes + j] = 2 * d * modes + j;
                }
                double[][] wb = sums.solve(alpha, columns);
                for (int o = k; o < sums.outputs; o += d) {
                    System.arraycopy(wb[0], o * regressors, assembled[0], o * regressors, regressors);
                    assembled[1][o] = wb[1][o];
                }
            }
            out.add(new Candidate(alpha, true, assembled));
        }
        return out;
    }

    /** The block of step {@code step} (1-based): 0 for step 1, 1 for 2–3, 2 for 4–7, … */
    static int block(int step) {
        return 31 - Integer.numberOfLeadingZeros(step);
    }

    /** The (channel, block) group of output o = (step − 1)·d + channel, whose ridge is chosen together. */
    private static int group(int o, int d, int blocks) {
        return (o % d) * blocks + block(o / d + 1);
    }

    private static int longest(List<EventSeries> series) {
        return series.stream().mapToInt(EventSeries::size).max().orElse(0);
    }

    /** {@code trained} with a head of these poles and weights {W (O·F), b (O)}, zeros when null. */
    static SsmModel withHead(SsmModel trained, HorizonPoles poles, int horizon, double[][] wb) {
        double[] weight = wb == null ? null : wb[0];
        double[] bias = wb == null ? null : wb[1];
        ModelConfig config = trained.config().toBuilder().horizon(horizon, poles.modes()).build();
        int outputs = horizon * config.dInput();
        int features = 2 * config.dInput() * poles.modes() + config.dModel();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        trained.tensors().forEach((name, t) -> {
            if (!name.startsWith("horizon.")) {
                tensors.put(name, t);
            }
        });
        tensors.put("horizon.log_timescale", new Tensor("horizon.log_timescale", new int[] {poles.modes()},
                poles.logTimescale().clone()));
        tensors.put("horizon.frequency", new Tensor("horizon.frequency", new int[] {poles.modes()},
                poles.frequency().clone()));
        float[] w = new float[outputs * features];
        if (weight != null) {
            int fitted = weight.length / outputs; // the first columns; the rest (the network's z) stay 0
            for (int o = 0; o < outputs; o++) {
                for (int i = 0; i < fitted; i++) {
                    w[o * features + i] = (float) weight[o * fitted + i];
                }
            }
        }
        tensors.put("horizon.weight", new Tensor("horizon.weight", new int[] {outputs, features}, w));
        tensors.put("horizon.bias", new Tensor("horizon.bias", new int[] {outputs},
                bias == null ? new float[outputs] : toFloats(bias)));
        return SsmModel.of(config, tensors, trained.metadata());
    }

    private static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /**
     * Streams every series through {@code model} (zero head weights) and sums up its equations on the first
     * {@code f} features.
     */
    private static Sums accumulate(SsmModel model, List<EventSeries> series, int f) {
        ModelConfig c = model.config();
        int d = c.dInput();
        int horizon = c.horizon();
        Sums sums = new Sums(f, horizon * d);
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.get());
        float[] mean = new float[d];
        float[] std = new float[d];
        double[] phi = new double[f];
        double[] target = new double[horizon * d];
        for (EventSeries s : series) {
            StreamState state = StreamState.zeros(model);
            int headOff = state.offset(c.nLayers());
            float[] u = normalised(s, c);
            float[] event = new float[d];
            for (int t = 0; t < s.size(); t++) {
                System.arraycopy(s.values(), t * d, event, 0, d);
                float tau = t == 0 ? TimeGap.FIRST_EVENT : TimeGap.tau(s.micros()[t - 1], s.micros()[t], c.dtUnitMs());
                runner.step(state, event, tau, mean, std);
                if (t < WARM_UP || t + horizon >= s.size()) {
                    continue;
                }
                for (int i = 0; i < f; i++) {
                    phi[i] = state.floats()[headOff + i];
                }
                for (int j = 0; j < horizon; j++) {
                    for (int k = 0; k < d; k++) {
                        target[j * d + k] = u[(t + 1 + j) * d + k] - u[t * d + k];
                    }
                }
                sums.add(phi, target);
            }
        }
        return sums;
    }

    private static float[] normalised(EventSeries s, ModelConfig c) {
        int d = c.dInput();
        float[] u = new float[s.values().length];
        for (int i = 0; i < u.length; i++) {
            u[i] = (s.values()[i] - c.inputMean()[i % d]) / c.inputStd()[i % d];
        }
        return u;
    }

    /** Sufficient statistics of a least-squares problem y ≈ W φ + b. */
    private static final class Sums {
        final int features;
        final int outputs;
        final double[] sx;  // (F): Σφ
        final double[] sxx; // (F, F): Σφφᵀ
        final double[] sy;  // (O): Σy
        final double[] sxy; // (F, O): Σφyᵀ
        final double[] syy; // (O): Σy²
        int n;

        Sums(int features, int outputs) {
            this.features = features;
            this.outputs = outputs;
            this.sx = new double[features];
            this.sxx = new double[features * features];
            this.sy = new double[outputs];
            this.sxy = new double[features * outputs];
            this.syy = new double[outputs];
        }

        void add(double[] phi, double[] y) {
            n++;
            for (int i = 0; i < features; i++) {
                double xi = phi[i];
                sx[i] += xi;
                int row = i * features;
                for (int j = i; j < features; j++) {
                    sxx[row + j] += xi * phi[j];
                }
                int yRow = i * outputs;
                for (int o = 0; o < outputs; o++) {
                    sxy[yRow + o] += xi * y[o];
                }
            }
            for (int o = 0; o < outputs; o++) {
                sy[o] += y[o];
                syy[o] += y[o] * y[o];
            }
        }

        /**
         * The ridge solution on the standardised features {@code columns}, returned in raw feature units:
         * {W (O, F) row-major, zero outside {@code columns}, b (O)}.
         */
        double[][] solve(double alpha, int[] columns) {
            int c = columns.length;
            double[] m = new double[c];
            double[] scale = new double[c];
            for (int i = 0; i < c; i++) {
                int f = columns[i];
                m[i] = sx[f] / n;
                double var = sxx[f * features + f] / n - m[i] * m[i];
                scale[i] = var > 1e-12 ? Math.sqrt(var) : 1;
            }
            DMatrixRMaj gram = new DMatrixRMaj(c, c);
            for (int i = 0; i < c; i++) {
                for (int j = i; j < c; j++) {
                    int fi = Math.min(columns[i], columns[j]); // Σφφᵀ is kept as its upper triangle
                    int fj = Math.max(columns[i], columns[j]);
                    double centred = sxx[fi * features + fj] - n * m[i] * m[j];
                    double g = centred / (scale[i] * scale[j]);
                    gram.set(i, j, g);
                    gram.set(j, i, g);
                }
                gram.add(i, i, alpha * n);
            }
            DMatrixRMaj cross = new DMatrixRMaj(c, outputs);
            for (int i = 0; i < c; i++) {
                int f = columns[i];
                for (int o = 0; o < outputs; o++) {
                    cross.set(i, o, (sxy[f * outputs + o] - m[i] * sy[o]) / scale[i]);
                }
            }
            LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.symmPosDef(c);
            if (!solver.setA(gram)) {
                throw new IllegalStateException("the head's normal equations are singular at ridge " + alpha);
            }
            DMatrixRMaj a = new DMatrixRMaj(c, outputs);
            solver.solve(cross, a);
            double[] w = new double[outputs * features];
            double[] b = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                double intercept = sy[o] / n;
                for (int i = 0; i < c; i++) {
                    double wi = a.get(i, o) / scale[i];
                    w[o * features + columns[i]] = wi;
                    intercept -= wi * m[i];
                }
                b[o] = intercept;
            }
            return new double[][] {w, b};
        }

        /** Σ (y_o − w_o·φ − b_o)² of each output o over these sums' equations, for W and b of {@link #solve}. */
        double[] squaredErrors(double[][] wb) {
            double[] w = wb[0];
            double[] b = wb[1];
            double[] sse = new double[outputs];
            for (int o = 0; o < outputs; o++) {
                // −2 Σ y_o (w_o·φ + b_o)
                double cross = b[o] * sy[o];
                for (int i = 0; i < features; i++) {
                    cross += w[o * features + i] * sxy[i * outputs + o];
                }
                // Σ (w_o·φ + b_o)² = w_o Σφφᵀ w_o + 2 b_o w_o·Σφ + n b_o²
                double quad = n * b[o] * b[o];
                for (int i = 0; i < features; i++) {
                    double wi = w[o * features + i];
                    if (wi == 0) {
                        continue;
                    }
                    quad += 2 * b[o] * wi * sx[i];
                    double row = sxx[i * features + i] * wi;
                    for (int j = i + 1; j < features; j++) {
                        row += 2 * sxx[i * features + j] * w[o * features + j];
                    }
                    quad += wi * row;
                }
                sse[o] = syy[o] + quad - 2 * cross;
            }
            return sse;
        }
    }
}
