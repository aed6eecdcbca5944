package io.ssmstream.eval.nab;

import io.ssmstream.kernels.math.Activations;

/**
 * NAB's windowed Gaussian baseline ({@code nab/detectors/gaussian}): the score of a value is 1 - Q(|x - m| / s),
 * Q the one-sided normal tail, with m and s the mean and (population) deviation of a window of past values: the
 * first 6400 values as they come, then the window slides forward 100 values at a time.
 */
public final class WindowedGaussianDetector implements NabDetector {
    static final int WINDOW = 6400;
    static final int STEP = 100;

    @Override
    public String name() {
        return "windowed-gaussian";
    }

    @Override
    public Output run(NabSeries series, boolean[] applied) {
        double[] scores = new double[series.size()];
        double[] window = new double[WINDOW + STEP]; // the window, then the step buffer behind it
        int size = 0;
        int buffered = 0;
        double mean = 0;
        double std = 1;
        int events = 0;
        long start = System.nanoTime();
        for (int i = 0; i < series.size(); i++) {
            if (!applied[i]) {
                continue;
            }
            events++;
            double x = series.values()[i];
            if (size > 0) {
                scores[i] = 1 - 0.5 * Activations.erfc(Math.abs(x - mean) / std / Math.sqrt(2));
            }
            boolean update;
            if (size < WINDOW) {
                window[size++] = x;
                update = true;
            } else {
                window[WINDOW + buffered++] = x;
                update = buffered == STEP;
                if (update) {
                    System.arraycopy(window, STEP, window, 0, WINDOW);
                    buffered = 0;
                }
            }
            if (update) {
                double sum = 0;
                for (int k = 0; k < size; k++) {
                    sum += window[k];
                }
                mean = sum / size;
                double sq = 0;
                for (int k = 0; k < size; k++) {
                    sq += (window[k] - mean) * (window[k] - mean);
                }
                std = Math.sqrt(sq / size);
                if (std == 0) {
                    std = 1e-6;
                }
            }
        }
        return new Output(scores, null, null, System.nanoTime() - start, events, 0);
    }
}
