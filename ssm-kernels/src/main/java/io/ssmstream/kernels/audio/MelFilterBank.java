package io.ssmstream.kernels.audio;

/**
 * Triangular mel filters over the bins of a real FFT, HTK mel scale {@code mel(f) = 2595 · log10(1 + f / 700)}.
 * Filter b rises from edge b to edge b+1 and falls to edge b+2, the {@code bands + 2} edges equally spaced in mel
 * from f_min to min(f_max, rate / 2).
 *
 * <p>A band's energy is the filter-weighted <em>mean</em> of the power spectrum (weights divided by their sum),
 * not the sum: with the power already divided by the window's energy, white noise of variance σ² gives σ² in
 * every band whatever the sample rate and FFT size, so 16 kHz and 44.1 kHz microphones see the same features.
 * A filter narrower than one FFT bin takes the bin nearest its centre, so no band is empty.
 */
final class MelFilterBank {
    private final int[] firstBin;     // (bands)
    private final float[][] weights;  // (bands)(bins of the band), each summing to 1

    MelFilterBank(int bands, int fftSize, int sampleRate, double fMinHz, double fMaxHz) {
        double top = Math.min(fMaxHz, sampleRate / 2.0);
        if (fMinHz >= top) {
            throw new IllegalArgumentException("f_min " + fMinHz + " Hz is not below min(f_max, rate / 2) = " + top
                    + " Hz at " + sampleRate + " Hz");
        }
        int bins = fftSize / 2 + 1;
        double binHz = (double) sampleRate / fftSize;
        double melLo = mel(fMinHz);
        double melHi = mel(top);
        double[] edgeHz = new double[bands + 2];
        for (int i = 0; i < edgeHz.length; i++) {
            edgeHz[i] = hz(melLo + (melHi - melLo) * i / (bands + 1));
        }
        firstBin = new int[bands];
        weights = new float[bands][];
        for (int b = 0; b < bands; b++) {
            double lo = edgeHz[b];
            double centre = edgeHz[b + 1];
            double hi = edgeHz[b + 2];
            int from = (int) Math.ceil(lo / binHz);
            int to = Math.min(bins - 1, (int) Math.floor(hi / binHz));
            double[] w = new double[Math.max(0, to - from + 1)];
            double sum = 0;
            for (int k = from; k <= to; k++) {
                double f = k * binHz;
                double v = f <= centre ? (f - lo) / (centre - lo) : (hi - f) / (hi - centre);
                w[k - from] = Math.max(0, v);
                sum += w[k - from];
            }
            if (sum <= 0) {
                firstBin[b] = Math.min(bins - 1, (int) Math.round(centre / binHz));
                weights[b] = new float[] {1f};
                continue;
            }
            firstBin[b] = from;
            weights[b] = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                weights[b][i] = (float) (w[i] / sum);
            }
        }
    }

    static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** out[b] = Σ_k weights[b][k] · power[firstBin[b] + k]. */
    void apply(float[] power, float[] out) {
        for (int b = 0; b < out.length; b++) {
            float[] w = weights[b];
            int first = firstBin[b];
            float e = 0;
            for (int i = 0; i < w.length; i++) {
                e += w[i] * power[first + i];
            }
            out[b] = e;
        }
    }
}
