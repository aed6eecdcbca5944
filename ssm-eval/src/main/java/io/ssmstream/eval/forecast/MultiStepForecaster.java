package io.ssmstream.eval.forecast;

/** A method that forecasts the (normalised) target 1..H rows ahead of a row, from the rows up to it. */
interface MultiStepForecaster {
    String name();

    /**
     * @param t       the latest row the method may see; calls come with t never decreasing
     * @param horizon H
     * @param out     receives the forecasts of rows t+1 .. t+H, (H)
     */
    void forecast(int t, int horizon, double[] out);
}
