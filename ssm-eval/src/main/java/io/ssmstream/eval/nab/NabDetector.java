package io.ssmstream.eval.nab;

/**
 * A streaming anomaly detector run on one NAB file: it sees the applied rows one at a time, in order, and
 * learns only from rows before the one it scores. Implementations keep no state between files and may run on
 * several files at once.
 */
public interface NabDetector {

    /** Short name for tables and output folders. */
    String name();

    /**
     * @param series  the file
     * @param applied which rows are applied ({@link NabSeries#applied()}); the others score 0
     */
    Output run(NabSeries series, boolean[] applied);

    /**
     * @param scores        anomaly score per row in [0, 1], (N)
     * @param forecastMean  the forecast of each row made before it, (N), or null for detectors without one
     * @param forecastStd   its standard deviation, (N), or null
     * @param streamNanos   time spent streaming the rows (learning before the stream, such as training, excluded)
     * @param events        rows streamed
     * @param trainSeconds  time spent learning before the stream
     */
    record Output(double[] scores, float[] forecastMean, float[] forecastStd, long streamNanos, int events,
                  double trainSeconds) {
    }
}
