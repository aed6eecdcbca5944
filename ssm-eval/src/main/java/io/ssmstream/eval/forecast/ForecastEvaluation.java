package io.ssmstream.eval.forecast;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs forecasters over the test rows and scores them. The origins are the test part's rows as a stream
 * reaches them: at row t (from the last validation row, which forecasts the first test row, on) every method
 * forecasts rows t+1..t+H_max from the rows up to t, and each forecast of a test row is compared with it. For a
 * horizon H the scored origins are those whose whole forecast t+1..t+H lies in the test part (the long-horizon
 * papers' test windows), the same origins for every method; two errors are reported per method and H: at step
 * H, and the mean over steps 1..H (the papers' convention for "horizon H").
 */
final class ForecastEvaluation {

    /**
     * @param origins scored origins
     * @param mseAt   mean squared error of the forecasts H steps ahead
     * @param maeAt   mean absolute error of the forecasts H steps ahead
     * @param mseMean mean squared error over steps 1..H
     * @param maeMean mean absolute error over steps 1..H
     */
    record Score(String method, int horizon, int origins, double mseAt, double maeAt, double mseMean,
                 double maeMean) {
    }

    /**
     * Forecast paths from a few origins that tile a stretch of the test part, for the plot.
     *
     * @param first   the first origin row
     * @param length  each path's length (H_max); path k starts at origin first + k·length
     * @param paths   per method, the paths one after another, (k · length)
     */
    record PlotPaths(int first, int length, List<String> methods, List<double[]> paths) {
    }

    record Result(List<Score> scores, PlotPaths plot) {
    }

    private ForecastEvaluation() {
    }

    /**
     * @param y          the normalised target, at least up to the end of the test part
     * @param horizons   ascending, each in [1, test rows]
     * @param plotPaths  how many consecutive H_max-step paths to keep for the plot (fewer when the test part
     *                   is shorter)
     */
    static Result run(List<MultiStepForecaster> methods, double[] y, TimeSplit split, int[] horizons,
                      int plotPaths) {
        return run(methods, y, split.validationEnd(), split.testEnd(), horizons, plotPaths);
    }

    /**
     * The mean squared error over steps 1..H of one method on the validation rows, scored as the test rows are
     * (for choosing among trained models without looking at the test rows).
     *
     * @param horizon H, at most the validation rows
     */
    static double validationMse(MultiStepForecaster method, double[] y, TimeSplit split, int horizon) {
        return run(List.of(method), y, split.trainEnd(), split.validationEnd(), new int[] {horizon}, 0)
                .scores().get(0).mseMean();
    }

    /** Scores forecasts of the rows [from, to), from the origins from-1 .. to-2. */
    private static Result run(List<MultiStepForecaster> methods, double[] y, int from, int to, int[] horizons,
                              int plotPaths) {
        int maxHorizon = horizons[horizons.length - 1];
        int first = from - 1;
        int origins = to - from;
        int paths = Math.min(plotPaths, origins / maxHorizon);
        List<float[]> squared = new ArrayList<>();
        List<float[]> absolute = new ArrayList<>();
        List<double[]> plot = new ArrayList<>();
        for (int m = 0; m < methods.size(); m++) {
            squared.add(new float[origins * maxHorizon]);
            absolute.add(new float[origins * maxHorizon]);
            plot.add(new double[paths * maxHorizon]);
        }
        double[] forecast = new double[maxHorizon];
        for (int o = 0; o < origins; o++) {
            int t = first + o;
            int steps = Math.min(maxHorizon, to - 1 - t);
            boolean plotted = o % maxHorizon == 0 && o / maxHorizon < paths;
            for (int m = 0; m < methods.size(); m++) {
                methods.get(m).forecast(t, steps, forecast);
                for (int s = 0; s < steps; s++) {
                    double e = forecast[s] - y[t + 1 + s];
                    squared.get(m)[o * maxHorizon + s] = (float) (e * e);
                    absolute.get(m)[o * maxHorizon + s] = (float) Math.abs(e);
                }
                if (plotted) {
                    System.arraycopy(forecast, 0, plot.get(m), (o / maxHorizon) * maxHorizon, maxHorizon);
                }
            }
        }
        List<Score> scores = new ArrayList<>();
        for (int h : horizons) {
            int scored = origins - h + 1;
            for (int m = 0; m < methods.size(); m++) {
                scores.add(score(methods.get(m).name(), h, scored, maxHorizon, squared.get(m), absolute.get(m)));
            }
        }
        List<String> names = methods.stream().map(MultiStepForecaster::name).toList();
        return new Result(scores, new PlotPaths(first, maxHorizon, names, plot));
    }

    private static Score score(String method, int h, int scored, int stride, float[] sq, float[] abs) {
        double sqAt = 0;
        double absAt = 0;
        double sqAll = 0;
        double absAll = 0;
        for (int o = 0; o < scored; o++) {
            sqAt += sq[o * stride + h - 1];
            absAt += abs[o * stride + h - 1];
            for (int s = 0; s < h; s++) {
                sqAll += sq[o * stride + s];
                absAll += abs[o * stride + s];
            }
        }
        return new Score(method, h, scored, sqAt / scored, absAt / scored, sqAll / ((double) scored * h),
                absAll / ((double) scored * h));
    }
}
