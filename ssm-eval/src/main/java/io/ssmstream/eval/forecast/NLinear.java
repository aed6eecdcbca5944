package io.ssmstream.eval.forecast;

import io.ssmstream.eval.EvalInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * NLinear (Zeng et al., "Are Transformers Effective for Time Series Forecasting?", AAAI 2023): one linear map
 * from the latest L rows, less the latest, to the next H rows, less the latest:
 * <pre>
 *   ŷ_{t+1..t+H} = y_t + W (y_{t−L+1..t} − y_t) + b
 * </pre>
 * fitted here in closed form, by least squares (EJML's QR solver) on every training origin whose window and
 * H targets lie in the training rows, where the paper trains the same map by gradient descent. The window's
 * last entry, y_t − y_t, is always 0 and is left out of the design.
 */
final class NLinear implements MultiStepForecaster {
    private final double[] y;
    private final int lookback;   // L
    private final int horizon;    // H
    private final double[] w;     // (L − 1 + 1, H): the lags' weights, then b, row-major
    private final double[] window; // (L − 1)

    private NLinear(double[] y, int lookback, int horizon, double[] w) {
        this.y = y;
        this.lookback = lookback;
        this.horizon = horizon;
        this.w = w;
        this.window = new double[lookback - 1];
    }

    /** Fits on rows [0, trainEnd) of {@code y} for steps 1..{@code horizon}. */
    static NLinear fit(double[] y, int trainEnd, int lookback, int horizon) {
        int rows = trainEnd - lookback - horizon + 1;
        int cols = lookback; // L − 1 lags and the intercept
        if (lookback < 2 || rows < 2 * cols) {
            throw new EvalInputException("--nlinear-lookback " + lookback + ": needs at least 2 rows and 2·L = "
                    + 2 * cols + " training origins with " + horizon + " rows after them, the " + trainEnd
                    + " training rows give " + Math.max(0, rows));
        }
        DMatrixRMaj design = new DMatrixRMaj(rows, cols);
        DMatrixRMaj targets = new DMatrixRMaj(rows, horizon);
        for (int r = 0; r < rows; r++) {
            int t = lookback - 1 + r;
            for (int i = 0; i < lookback - 1; i++) {
                design.set(r, i, y[t - lookback + 1 + i] - y[t]);
            }
            design.set(r, lookback - 1, 1);
            for (int j = 0; j < horizon; j++) {
                targets.set(r, j, y[t + 1 + j] - y[t]);
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(rows, cols);
        if (!solver.setA(design)) {
            throw new EvalInputException("--nlinear-lookback " + lookback + ": the training windows are collinear"
                    + " (a constant stretch?); try a shorter lookback");
        }
        DMatrixRMaj coeff = new DMatrixRMaj(cols, horizon);
        solver.solve(targets, coeff);
        return new NLinear(y, lookback, horizon, coeff.getData());
    }

    @Override
    public String name() {
        return "NLinear(" + lookback + ")";
    }

    @Override
    public void forecast(int t, int steps, double[] out) {
        if (t + 1 < lookback) {
            throw new IllegalArgumentException("row " + t + " has fewer than " + lookback + " rows of history");
        }
        if (steps > horizon) {
            throw new IllegalArgumentException("fitted for " + horizon + " steps, asked for " + steps);
        }
        for (int i = 0; i < lookback - 1; i++) {
            window[i] = y[t - lookback + 1 + i] - y[t];
        }
        int intercept = (lookback - 1) * horizon;
        for (int j = 0; j < steps; j++) {
            double v = w[intercept + j];
            for (int i = 0; i < lookback - 1; i++) {
                v += window[i] * w[i * horizon + j];
            }
            out[j] = y[t] + v;
        }
    }
}
