package io.ssmstream.eval.audio;

import io.ssmstream.eval.EvalInputException;
import io.ssmstream.kernels.audio.AudioClip;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.NllQuantileScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.util.Arrays;

/**
 * Scores a clip exactly as the job does: 100 ms chunks through the streaming front end, each frame one step of
 * the kernels' {@link StreamForecaster} with the job's scorer ({@link NllQuantileScorer#forModel}). Three clip
 * scores, each the mean of the clip's top {@code topFraction} frame scores (1: all frames): the job's score in
 * [0, 1], the Gaussian tail score (the job's scorer before the likelihood quantiles, {@link GaussianTailScorer}),
 * and the forecast's Gaussian negative log-likelihood of the frame (mean over bands; unbounded).
 */
final class ClipScorer {
    private static final double CHUNK_SECONDS = 0.1;

    record Scores(double score, double tail, double nll, int frames) {
    }

    private final StreamForecaster forecaster;
    private final GaussianTailScorer tailScorer = new GaussianTailScorer();
    private final AudioFeatures features;
    private final double topFraction;

    ClipScorer(SsmModel model, AudioFeatures features, double topFraction) {
        this.forecaster = new StreamForecaster(model, KernelOpsProvider.get(),
                NllQuantileScorer.forModel(model, "the trained model"));
        this.features = features;
        this.topFraction = topFraction;
    }

    Scores score(AudioClip clip) {
        AudioFrontEnd fe = new AudioFrontEnd(features, clip.sampleRate());
        if (clip.samples().length < fe.windowSamples() + fe.hopSamples()) {
            throw new EvalInputException(clip.source() + ": too short for two frames (" + clip.seconds() + " s)");
        }
        AudioFrontEndState feState = fe.newState();
        ForecasterState state = forecaster.newState();
        int n = Math.max(0, (clip.samples().length - fe.windowSamples()) / fe.hopSamples() + 1);
        double[] scores = new double[n];
        double[] tails = new double[n];
        double[] nlls = new double[n];
        int[] k = {0};
        float[] none = new float[0];
        AudioFrontEnd.FrameListener onFrame = (ts, bands) -> {
            if (state.hasEvents()) {
                nlls[k[0]] = NllQuantileScorer.nll(bands, state.forecastMean(), state.forecastStd());
                tails[k[0]] = tailScorer.score(bands, state.forecastMean(), state.forecastStd(), none);
            }
            scores[k[0]] = forecaster.step(state, ts, bands);
            k[0]++;
        };
        int chunk = (int) Math.round(CHUNK_SECONDS * clip.sampleRate());
        float[] s = clip.samples();
        for (int at = 0; at < s.length; at += chunk) {
            fe.process(feState, (long) at * 1_000_000L / clip.sampleRate(), s, at, Math.min(chunk, s.length - at),
                    onFrame);
        }
        // the first frame has no forecast before it: scored from the second on
        return new Scores(topMean(scores, 1, n), topMean(tails, 1, n), topMean(nlls, 1, n), n);
    }

    private double topMean(double[] values, int from, int to) {
        double[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        int top = Math.max(1, (int) Math.round(sorted.length * topFraction));
        double sum = 0;
        for (int i = sorted.length - top; i < sorted.length; i++) {
            sum += sorted[i];
        }
        return sum / top;
    }
}
