package io.ssmstream.trainer;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Replays a series through a model with the kernels, exactly as the stream job does ({@link StreamForecaster},
 * scalar kernels), and scores the one-step forecasts of the events in [from, n).
 */
final class KernelReplay {

    /** Mean squared error and mean predicted variance of the forecasts, raw units, and their Gaussian NLL. */
    record Score(double mse, double meanVariance, double nll, int count, double persistenceMse) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "mse %.4f, mean predicted variance %.4f, nll %.4f over %d events"
                    + " (persistence forecast mse %.4f)", mse, meanVariance, nll, count, persistenceMse);
        }
    }

    private KernelReplay() {
    }

    static Score score(SsmModel model, EventSeries s, int from) {
        StreamForecaster f = new StreamForecaster(model, KernelOpsProvider.scalar(), new GaussianTailScorer());
        ForecasterState state = f.newState();
        int d = s.channels();
        float[] v = new float[d];
        double se = 0;
        double var = 0;
        double nll = 0;
        double persistence = 0;
        int count = 0;
        for (int k = 0; k < s.size(); k++) {
            if (k >= from && k > 0) {
                for (int c = 0; c < d; c++) {
                    double err = s.value(k, c) - state.forecastMean()[c];
                    double sd = state.forecastStd()[c];
                    se += err * err;
                    var += sd * sd;
                    nll += 0.5 * (Math.log(2 * Math.PI * sd * sd) + err * err / (sd * sd));
                    double last = s.value(k, c) - s.value(k - 1, c);
                    persistence += last * last;
                    count++;
                }
            }
            for (int c = 0; c < d; c++) {
                v[c] = s.value(k, c);
            }
            f.step(state, s.micros()[k], v);
        }
        return new Score(se / count, var / count, nll / count, count, persistence / count);
    }

    /** {@code KernelReplay model.safetensors series.csv [fromFraction=0.9]}: prints the score of the tail. */
    public static void main(String[] args) {
        SsmModel model = SsmModel.load(Path.of(args[0]));
        List<EventSeries> all = SeriesCsv.readAll(Path.of(args[1]));
        double fraction = args.length > 2 ? Double.parseDouble(args[2]) : 0.9;
        for (EventSeries s : all) {
            System.out.println(s.source() + ": " + score(model, s, (int) (s.size() * fraction)));
        }
    }
}
