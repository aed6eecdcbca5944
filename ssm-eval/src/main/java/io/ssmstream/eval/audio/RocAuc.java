package io.ssmstream.eval.audio;

/** Area under the ROC curve: the probability that a positive scores above a negative, ties counting one half. */
final class RocAuc {
    private RocAuc() {
    }

    static double of(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            return Double.NaN;
        }
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.length * negatives.length);
    }
}
