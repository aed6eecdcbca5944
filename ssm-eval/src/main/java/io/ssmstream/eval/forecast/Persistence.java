package io.ssmstream.eval.forecast;

import java.util.Arrays;

/** The last value, for every step ahead: ŷ_{t+s} = y_t. */
final class Persistence implements MultiStepForecaster {
    private final double[] y;

    Persistence(double[] y) {
        this.y = y;
    }

    @Override
    public String name() {
        return "persistence";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        Arrays.fill(out, 0, horizon, y[t]);
    }
}
