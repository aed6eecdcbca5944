package io.ssmstream.eval.forecast;

import io.ssmstream.eval.EvalInputException;
import io.ssmstream.trainer.EventSeries;
import io.ssmstream.trainer.SeriesCsv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The series an evaluation runs on: the chosen columns of a CSV, each normalised with its training rows' mean
 * and std (z = (x - mean) / std, population std), as the long-horizon forecasting papers do, so that errors are
 * comparable across columns and files.
 *
 * @param source  the file's name
 * @param series  normalised values of the model's input columns, target included
 * @param target  the target's channel in {@code series}
 * @param mean    training mean of each input column, raw units
 * @param std     training std of each input column, raw units
 * @param split   the time split
 */
public record ForecastData(String source, EventSeries series, int target, double[] mean, double[] std,
                           TimeSplit split) {

    /** Which columns the model reads. */
    public enum Inputs {
        /** The target column only: a univariate model, like every baseline (the papers' "S" setting). */
        TARGET,
        /** Every value column; the rollout then forecasts all of them and feeds them back. */
        ALL
    }

    /**
     * @param rows  use only the first rows of the file (0: all)
     * @param split {@link TimeSplit#parse} syntax
     */
    public static ForecastData load(Path file, String target, Inputs inputs, int rows, String split) {
        EventSeries all = SeriesCsv.read(file);
        int targetColumn = all.columns().indexOf(target);
        if (targetColumn < 0) {
            throw new EvalInputException(file + ": no column \"" + target + "\"; value columns: "
                    + String.join(", ", all.columns()));
        }
        if (rows > 0 && rows < all.size()) {
            all = all.slice(0, rows);
        }
        TimeSplit timeSplit = TimeSplit.parse(split, all.size());
        int[] keep = inputs == Inputs.TARGET ? new int[] {targetColumn}
                : java.util.stream.IntStream.range(0, all.channels()).toArray();
        int d = keep.length;
        int n = timeSplit.testEnd();
        double[] mean = new double[d];
        double[] std = new double[d];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < d; k++) {
            names.add(all.columns().get(keep[k]));
            double sum = 0;
            for (int i = 0; i < timeSplit.trainEnd(); i++) {
                sum += all.value(i, keep[k]);
            }
            mean[k] = sum / timeSplit.trainEnd();
            double sq = 0;
            for (int i = 0; i < timeSplit.trainEnd(); i++) {
                double e = all.value(i, keep[k]) - mean[k];
                sq += e * e;
            }
            std[k] = Math.sqrt(sq / timeSplit.trainEnd());
            if (!(std[k] > 0)) {
                throw new EvalInputException(file + ": column \"" + names.get(k) + "\" is constant over the "
                        + timeSplit.trainEnd() + " training rows: cannot normalise it");
            }
        }
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                values[i * d + k] = (float) ((all.value(i, keep[k]) - mean[k]) / std[k]);
            }
        }
        EventSeries normalised = new EventSeries(all.source(), names, Arrays.copyOf(all.micros(), n), values);
        return new ForecastData(file.getFileName().toString(), normalised, names.indexOf(target), mean, std,
                timeSplit);
    }

    /** The normalised target, one value per row up to the end of the test part. */
    public double[] targetValues() {
        double[] y = new double[series.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = series.value(i, target);
        }
        return y;
    }

    /**
     * The first differences of the normalised inputs, Δz_t = z_t - z_{t-1}, with Δz_0 = 0: what the model reads
     * with {@code --differences}. A level shift between the training and the test rows (ETTh's oil temperature
     * runs lower in the test months) then changes nothing the model sees.
     */
    public EventSeries differences() {
        float[] z = series.values();
        int d = series.channels();
        float[] dz = new float[z.length];
        for (int i = d; i < z.length; i++) {
            dz[i] = z[i] - z[i - d];
        }
        return new EventSeries(series.source(), series.columns(), series.micros(), dz);
    }

    public String targetName() {
        return series.columns().get(target);
    }

    /** The median gap between consecutive training rows, µs: the sampling interval future events are assumed at. */
    public long samplingMicros() {
        long[] t = series.micros();
        long[] gaps = new long[split.trainEnd() - 1];
        for (int i = 1; i < split.trainEnd(); i++) {
            gaps[i - 1] = t[i] - t[i - 1];
        }
        Arrays.sort(gaps);
        return gaps[gaps.length / 2];
    }
}
