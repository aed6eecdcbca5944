package io.ssmstream.trainer;

import java.util.Arrays;

/**
 * The fixed poles a_p = −1/T_p + i ω_p of a direct head's SSM ({@code HorizonHead}), chosen from the series'
 * season S (in steps) rather than trained, so that the head's readout is one least-squares solve:
 * <ul>
 *   <li>With a season (S ≥ 2): the harmonics ω = 2πk/S, k = 0..min(12, S/2), each at the time scales
 *       T = S, 4S and 16S (the cycle's shape, and how it drifts over days to weeks of a daily season), plus
 *       three plain decays (ω = 0) at T = 1, 3 and 8 steps for the latest changes: 3·(K+1) + 3 modes, 42 for
 *       hourly data with a daily season.</li>
 *   <li>Without one (S = 0): ω = jπ/15, j = 0..15, each at T = 4, 16, 64 and 256 steps: 64 modes.</li>
 * </ul>
 * How they were chosen: on the validation rows of ETTh1 and ETTh2 (not the test rows), MSE over steps 1..336,
 * the seasonal layout above was better than 28 modes (harmonics up to 6 at T = S/2, 2S, 8S, 32S) on both
 * files, and better than the 64 season-free modes ({@code tools/horizon-poles/compare_poles.py}).
 *
 * @param logTimescale log T_p, (P)
 * @param frequency    ω_p in radians per step, (P)
 */
public record HorizonPoles(float[] logTimescale, float[] frequency) {
    private static final int MAX_HARMONIC = 12;
    private static final double[] SEASON_TIMESCALES = {1, 4, 16};      // × S
    private static final double[] RECENT_TIMESCALES = {1, 3, 8};       // steps, ω = 0
    private static final double[] FREE_TIMESCALES = {4, 16, 64, 256};  // steps
    private static final int FREE_FREQUENCIES = 16;

    /** @param season S in steps, 0 for none, else at least 2 */
    public static HorizonPoles of(int season) {
        if (season < 0 || season == 1) {
            throw new IllegalArgumentException("the season must be 0 (none) or at least 2 steps, got " + season);
        }
        int modes = season > 0
                ? SEASON_TIMESCALES.length * (Math.min(MAX_HARMONIC, season / 2) + 1) + RECENT_TIMESCALES.length
                : FREE_TIMESCALES.length * FREE_FREQUENCIES;
        float[] logT = new float[modes];
        float[] freq = new float[modes];
        int p = 0;
        if (season > 0) {
            for (int k = 0; k <= Math.min(MAX_HARMONIC, season / 2); k++) {
                for (double scale : SEASON_TIMESCALES) {
                    logT[p] = (float) Math.log(scale * season);
                    freq[p++] = (float) (2 * Math.PI * k / season);
                }
            }
            for (double t : RECENT_TIMESCALES) {
                logT[p++] = (float) Math.log(t); // frequency 0
            }
        } else {
            for (int j = 0; j < FREE_FREQUENCIES; j++) {
                for (double t : FREE_TIMESCALES) {
                    logT[p] = (float) Math.log(t);
                    freq[p++] = (float) (Math.PI * j / (FREE_FREQUENCIES - 1));
                }
            }
        }
        return new HorizonPoles(logT, freq);
    }

    public int modes() {
        return frequency.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HorizonPoles h && Arrays.equals(logTimescale, h.logTimescale)
                && Arrays.equals(frequency, h.frequency);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(logTimescale) + Arrays.hashCode(frequency);
    }
}
