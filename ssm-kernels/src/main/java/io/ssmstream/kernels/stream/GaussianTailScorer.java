package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.math.Activations;

/**
 * The first, simple score: how far into the forecast's Gaussian tail the event fell. For each channel the
 * standardized error z = (v - μ) / σ; the score is the largest two-sided tail mass inside |z|,
 * P(|Z| ≤ |z|) = 1 - erfc(|z| / √2), over the channels. No per-stream state.
 */
public final class GaussianTailScorer implements AnomalyScorer {

    @Override
    public String name() {
        return "gaussian-tail";
    }

    @Override
    public int stateSize(int dInput) {
        return 0;
    }

    @Override
    public double score(float[] values, float[] mean, float[] std, float[] state) {
        double worst = 0;
        for (int k = 0; k < values.length; k++) {
            double z = Math.abs((values[k] - mean[k]) / (double) std[k]);
            worst = Math.max(worst, 1 - Activations.erfc(z / Math.sqrt(2)));
        }
        return Math.min(1, Math.max(0, worst));
    }
}
