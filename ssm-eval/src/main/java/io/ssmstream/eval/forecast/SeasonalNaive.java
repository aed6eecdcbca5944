package io.ssmstream.eval.forecast;

/**
 * The value one season earlier (for hourly data and season 24: the same hour yesterday), repeating the last
 * observed season for steps beyond it: ŷ_{t+s} = y_{t+s-m·⌈s/m⌉}. Needs regular sampling.
 */
final class SeasonalNaive implements MultiStepForecaster {
    private final double[] y;
    private final int season;

    SeasonalNaive(double[] y, int season) {
        this.y = y;
        this.season = season;
    }

    @Override
    public String name() {
        return "seasonal naive";
    }

    @Override
    public void forecast(int t, int horizon, double[] out) {
        for (int s = 1; s <= horizon; s++) {
            int back = season * ((s + season - 1) / season);
            out[s - 1] = y[Math.max(0, t + s - back)];
        }
    }
}
