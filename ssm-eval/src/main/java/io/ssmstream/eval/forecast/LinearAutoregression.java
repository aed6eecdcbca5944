package io.ssmstream.eval.forecast;

import io.ssmstream.eval.EvalInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * A linear autoregression of order p with intercept, ŷ_t = c + Σ_{i=1..p} a_i y_{t-i}, fitted by least squares
 * (EJML's QR solver, which is stable where the normal equations of p correlated lags are not) on the
 * training rows, and forecast recursively: each step's forecast becomes a lag of the next.
 */
final class LinearAutoregression implements MultiStepForecaster {
    private final double[] y;
    private final int p;
    private final double intercept;  // c
    private final double[] lagCoeff; // (p): a_1 .. a_p
    private final double[] window;   // (p + H): y_{t-p+1} .. y_t, then the forecasts

    private LinearAutoregression(double[] y, int p, double intercept, double[] lagCoeff, int maxHorizon) {
        this.y = y;
        this.p = p;
        this.intercept = intercept;
        this.lagCoeff = lagCoeff;
        this.window = new double[p + maxHorizon];
    }

    /**
     * Fits on rows [0, trainEnd) of {@code y}: one equation per row t in [p, trainEnd).
     *
     * @param maxHorizon the longest horizon {@link #forecast} will be asked for
     */
    static LinearAutoregression fit(double[] y, int trainEnd, int p, int maxHorizon) {
        int rows = trainEnd - p;
        if (p < 1 || rows < 2 * (p + 1)) {
            throw new EvalInputException("--ar-lags " + p + ": needs at least 1 lag and 2·(lags+1) = "
                    + 2 * (p + 1) + " equations, the " + trainEnd + " training rows give " + Math.max(0, rows));
        }
        DMatrixRMaj design = new DMatrixRMaj(rows, p + 1); // [1, y_{t-1}, ..., y_{t-p}] per row t
        DMatrixRMaj observed = new DMatrixRMaj(rows, 1);
        for (int r = 0; r < rows; r++) {
            int t = p + r;
            design.set(r, 0, 1);
            for (int i = 1; i <= p; i++) {
                design.set(r, i, y[t - i]);
            }
            observed.set(r, 0, y[t]);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(rows, p + 1);
        if (!solver.setA(design)) {
            throw new EvalInputException("--ar-lags " + p + ": the training lags are collinear (a constant"
                    + " stretch?); try fewer lags");
        }
        DMatrixRMaj coeff = new DMatrixRMaj(p + 1, 1);
        solver.solve(observed, coeff);
        double[] a = new double[p];
        for (int i = 0; i < p; i++) {
            a[i] = coeff.get(i + 1, 0);
        }
        return new LinearAutoregression(y, p, coeff.get(0, 0), a, maxHorizon);
    }

    int lags() {
        return p;
    }

    double intercept() {
        return intercept;
    }

    /** a_i for i = 1..p at index i-1. */
    double[] lagCoefficients() {
        return lagCoeff.clone();
    }

    @Override
    public String name() {
        return "linear AR(" + p + ")";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        if (t + 1 < p) {
            throw new IllegalArgumentException("row " + t + " has fewer than " + p + " rows of history");
        }
        System.arraycopy(y, t - p + 1, window, 0, p); // window[p-1] = y_t
        for (int s = 0; s < horizon; s++) {
            double v = intercept;
            int latest = p - 1 + s; // window index of y_{t+s}
            for (int i = 1; i <= p; i++) {
                v += lagCoeff[i - 1] * window[latest - i + 1];
            }
            window[p + s] = v;
            out[s] = v;
        }
    }
}
