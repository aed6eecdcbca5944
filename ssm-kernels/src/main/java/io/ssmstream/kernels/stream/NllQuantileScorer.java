package io.ssmstream.kernels.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.model.SsmModel;
import java.util.Arrays;

/**
 * Scores an event by how unusual the forecast's negative log-likelihood of it is, against the likelihoods the
 * model gave its own training events:
 * <pre>
 *   nll   = (1/d) Σ_k ( ½ z_k² + ln σ_k ),   z_k = (v_k − μ_k) / σ_k
 *   score = F̂(nll)
 * </pre>
 * with F̂ the empirical distribution function of the training events' nll, kept as Q quantiles (the nll at
 * probabilities (i + ½)/Q, linear in between; 0 below the first, 1 above the last). No per-stream state.
 *
 * <p>Why not only z ({@link GaussianTailScorer}): on input unlike its training data a model forecasts a wide σ,
 * so every z is small and the tail score calls the event ordinary, while ln σ, which the likelihood adds, is
 * large. An engine-noise model hearing clock ticks does exactly that. The quantiles make the likelihood a score
 * in [0, 1] that means the same for every model: 0.99 is an event less likely than 99% of the training events.
 *
 * <p>The quantiles travel in the model file, {@code __metadata__["ssm_stream.nll_quantiles"]} (a JSON array,
 * ascending), written by the trainer for audio models ({@code AudioSeries.withFeatures}).
 */
public final class NllQuantileScorer implements AnomalyScorer {
    public static final String METADATA_KEY = "ssm_stream.nll_quantiles";
    /** Quantiles the trainer keeps. */
    public static final int DEFAULT_QUANTILES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final float[] quantiles; // (Q), ascending

    private NllQuantileScorer(float[] quantiles) {
        this.quantiles = quantiles;
    }

    /**
     * @param quantiles the training events' nll at probabilities (i + ½)/Q, ascending, finite, at least 2
     * @throws IllegalArgumentException naming the first bad value
     */
    public static NllQuantileScorer of(float[] quantiles) {
        if (quantiles.length < 2) {
            throw new IllegalArgumentException("need at least 2 quantiles, got " + quantiles.length);
        }
        for (int i = 0; i < quantiles.length; i++) {
            if (!Float.isFinite(quantiles[i])) {
                throw new IllegalArgumentException("quantile " + i + " is not finite: " + quantiles[i]);
            }
            if (i > 0 && quantiles[i] < quantiles[i - 1]) {
                throw new IllegalArgumentException("quantiles must ascend: " + quantiles[i - 1] + " at " + (i - 1)
                        + ", then " + quantiles[i]);
            }
        }
        return new NllQuantileScorer(quantiles.clone());
    }

    /**
     * The scorer a model's file carries, or null when it carries none (a model from before it, or not audio).
     *
     * @throws ModelFormatException when the entry is there but not an ascending array of numbers
     */
    public static NllQuantileScorer fromModel(SsmModel model, String source) {
        String json = model.metadata().get(METADATA_KEY);
        if (json == null) {
            return null;
        }
        String where = source + ": __metadata__[\"" + METADATA_KEY + "\"]";
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isArray()) {
                throw new ModelFormatException(where + " must be a JSON array of numbers");
            }
            float[] q = new float[node.size()];
            for (int i = 0; i < q.length; i++) {
                if (!node.get(i).isNumber()) {
                    throw new ModelFormatException(where + "[" + i + "] is not a number: " + node.get(i));
                }
                q[i] = (float) node.get(i).asDouble();
            }
            return of(q);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    /**
     * The scorer for a model: the likelihood quantiles its file carries, or {@link GaussianTailScorer} for a
     * model without them (trained before they were written).
     */
    public static AnomalyScorer forModel(SsmModel model, String source) {
        NllQuantileScorer calibrated = fromModel(model, source);
        return calibrated != null ? calibrated : new GaussianTailScorer();
    }

    /** {@code nlls}' quantiles at probabilities (i + ½)/{@code count}, as {@link #of} takes them. */
    public static float[] quantilesOf(double[] nlls, int count) {
        if (nlls.length == 0) {
            throw new IllegalArgumentException("no likelihoods to take quantiles of");
        }
        double[] sorted = nlls.clone();
        Arrays.sort(sorted);
        float[] q = new float[count];
        for (int i = 0; i < count; i++) {
            double at = (i + 0.5) / count * sorted.length - 0.5;
            int lo = (int) Math.max(0, Math.min(sorted.length - 1, Math.floor(at)));
            int hi = Math.min(sorted.length - 1, lo + 1);
            double frac = Math.max(0, Math.min(1, at - lo));
            q[i] = (float) (sorted[lo] + frac * (sorted[hi] - sorted[lo]));
        }
        for (int i = 1; i < count; i++) {
            q[i] = Math.max(q[i], q[i - 1]); // float rounding must not break the order
        }
        return q;
    }

    /** {@code quantiles} as the metadata value {@link #fromModel} reads. */
    public static String toJson(float[] quantiles) {
        ArrayNode array = JSON.createArrayNode();
        for (float v : quantiles) {
            array.add(v);
        }
        return array.toString();
    }

    /** The forecast's Gaussian negative log-likelihood of an event, per channel, without the ½ ln 2π. */
    public static double nll(float[] values, float[] mean, float[] std) {
        double sum = 0;
        for (int k = 0; k < values.length; k++) {
            double z = (values[k] - mean[k]) / (double) std[k];
            sum += 0.5 * z * z + Math.log(std[k]);
        }
        return sum / values.length;
    }

    @Override
    public String name() {
        return "nll-quantile";
    }

    @Override
    public int stateSize(int dInput) {
        return 0;
    }

    @Override
    public double score(float[] values, float[] mean, float[] std, float[] state) {
        return cdf(nll(values, mean, std));
    }

    /** F̂(nll). */
    double cdf(double nll) {
        int q = quantiles.length;
        if (!(nll > quantiles[0])) {
            return nll == nll ? 0 : 1; // NaN: as unlikely as it gets
        }
        if (nll >= quantiles[q - 1]) {
            return 1;
        }
        int i = Arrays.binarySearch(quantiles, (float) nll);
        int lo = i >= 0 ? i : -i - 2; // quantiles[lo] <= nll < quantiles[lo + 1]
        lo = Math.max(0, Math.min(q - 2, lo));
        double width = quantiles[lo + 1] - quantiles[lo];
        double frac = width > 0 ? (nll - quantiles[lo]) / width : 0;
        return Math.min(1, Math.max(0, (lo + 0.5 + frac) / q));
    }
}
