package io.ssmstream.eval.nab;

import com.amazon.randomcutforest.config.ForestMode;
import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;

/**
 * AWS Random Cut Forest, {@link ThresholdedRandomCutForest} set up as its README's streaming example: internal
 * shingling of {@value #SHINGLE} values, compact float forest, standard mode, normalised input, anomaly rate 0.01,
 * the library's defaults for everything else (number of trees, sample size, ...), a fixed seed. Two readings of
 * its output: the RCF score s (unbounded, ≥ 0) as s / (1 + s), the continuous score NAB's published RCF result
 * thresholds; or the thresholded forest's anomaly grade in [0, 1], mostly 0.
 */
public final class RcfDetector implements NabDetector {
    static final int SHINGLE = 8;

    private final boolean grade;

    /** @param grade score with the anomaly grade instead of the RCF score */
    public RcfDetector(boolean grade) {
        this.grade = grade;
    }

    @Override
    public String name() {
        return grade ? "random-cut-forest-grade" : "random-cut-forest";
    }

    @Override
    public Output run(NabSeries series, boolean[] applied) {
        ThresholdedRandomCutForest forest = ThresholdedRandomCutForest.builder()
                .compact(true)
                .dimensions(SHINGLE)
                .shingleSize(SHINGLE)
                .internalShinglingEnabled(true)
                .precision(Precision.FLOAT_32)
                .anomalyRate(0.01)
                .forestMode(ForestMode.STANDARD)
                .transformMethod(TransformMethod.NORMALIZE)
                .randomSeed(0)
                .build();
        double[] scores = new double[series.size()];
        double[] point = new double[1];
        int events = 0;
        long start = System.nanoTime();
        for (int i = 0; i < series.size(); i++) {
            if (!applied[i]) {
                continue;
            }
            events++;
            point[0] = series.values()[i];
            AnomalyDescriptor d = forest.process(point, series.micros()[i] / 1_000_000L);
            double s = grade ? d.getAnomalyGrade() : d.getRCFScore() / (1 + d.getRCFScore());
            scores[i] = Math.min(1, Math.max(0, s));
        }
        return new Output(scores, null, null, System.nanoTime() - start, events, 0);
    }
}
