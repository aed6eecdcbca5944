package io.ssmstream.trainer;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;

/** Settings of one training run; the defaults are the command line's. Fluent, mutable, not thread-safe. */
public final class TrainingOptions {
    Arch arch = Arch.MAMBA;
    int dModel = 16;
    int nLayers = 2;
    int dState = 16;
    boolean timeAware = true;
    int epochs = 200;
    double maxMinutes = 4;
    float learningRate = 3e-3f;
    long seed = 0;
    String device = "auto";
    int windowLength = 256;
    int batchSize = 16;
    int burnIn = 16;
    int patience = 12;
    int chunk = ChunkedScan.DEFAULT_CHUNK;
    ChunkedScan.Intra scan = ChunkedScan.Intra.RECURRENT;
    double validationFraction = 0.1;
    float clipNorm = 1f;
    SsmModel initFrom;
    String version;
    int horizon = 0;
    int horizonSeason = 0;
    boolean horizonNetworkFeatures = false;

    public TrainingOptions arch(Arch v) {
        arch = v;
        return this;
    }

    public TrainingOptions dModel(int v) {
        dModel = v;
        return this;
    }

    public TrainingOptions nLayers(int v) {
        nLayers = v;
        return this;
    }

    public TrainingOptions dState(int v) {
        dState = v;
        return this;
    }

    public TrainingOptions timeAware(boolean v) {
        timeAware = v;
        return this;
    }

    public TrainingOptions epochs(int v) {
        epochs = v;
        return this;
    }

    public TrainingOptions maxMinutes(double v) {
        maxMinutes = v;
        return this;
    }

    public TrainingOptions learningRate(float v) {
        learningRate = v;
        return this;
    }

    public TrainingOptions seed(long v) {
        seed = v;
        return this;
    }

    /** auto, cpu, gpu or gpu:N (a CUDA device index). */
    public TrainingOptions device(String v) {
        device = v;
        return this;
    }

    public TrainingOptions windowLength(int v) {
        windowLength = v;
        return this;
    }

    public TrainingOptions batchSize(int v) {
        batchSize = v;
        return this;
    }

    /** Outputs skipped at the start of windows that begin inside a series. */
    public TrainingOptions burnIn(int v) {
        burnIn = v;
        return this;
    }

    /** Epochs without a better validation loss before training stops. */
    public TrainingOptions patience(int v) {
        patience = v;
        return this;
    }

    public TrainingOptions chunk(int v) {
        chunk = v;
        return this;
    }

    /** How the chunked scan computes the within-chunk term. */
    public TrainingOptions scan(ChunkedScan.Intra v) {
        scan = v;
        return this;
    }

    public TrainingOptions validationFraction(double v) {
        validationFraction = v;
        return this;
    }

    /** Global gradient-norm clip; 0 turns it off. */
    public TrainingOptions clipNorm(float v) {
        clipNorm = v;
        return this;
    }

    /** Start from this model's weights, config and normalisation (fine-tuning); arch and sizes are ignored. */
    public TrainingOptions initFrom(SsmModel v) {
        initFrom = v;
        return this;
    }

    /** The new model's {@code ssm_stream.version}; null: "v" and the UTC time. */
    public TrainingOptions version(String v) {
        version = v;
        return this;
    }

    /**
     * Also fit a direct head forecasting steps 1..{@code h} ({@link HorizonFit}); 0 (the default) for none,
     * unless {@link #initFrom} has one, which is then refitted with its own poles and horizon.
     */
    public TrainingOptions horizon(int h) {
        horizon = h;
        return this;
    }

    /** The season in steps that places the direct head's poles ({@link HorizonPoles}); 0 (the default): none. */
    public TrainingOptions horizonSeason(int s) {
        horizonSeason = s;
        return this;
    }

    /**
     * Whether the direct head also reads the network's last features z_t (default false: its own SSM only).
     */
    public TrainingOptions horizonNetworkFeatures(boolean v) {
        horizonNetworkFeatures = v;
        return this;
    }

    void validate() {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(maxMinutes > 0, "--max-minutes must be positive, got " + maxMinutes);
        require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be positive, got " + learningRate);
        require(windowLength >= 2, "--window must be at least 2, got " + windowLength);
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(burnIn >= 0 && 2 * burnIn <= windowLength, "--burn-in must be in [0, window/2], got " + burnIn);
        require(horizon >= 0, "--horizon must be 0 (no direct head) or positive, got " + horizon);
        require(horizonSeason == 0 || horizonSeason >= 2,
                "--horizon-season must be 0 (none) or at least 2 steps, got " + horizonSeason);
        require(patience >= 1, "--patience must be at least 1, got " + patience);
        require(chunk >= 1, "--chunk must be at least 1, got " + chunk);
        require(validationFraction > 0 && validationFraction < 1,
                "the validation fraction must be in (0, 1), got " + validationFraction);
        require(device.equals("auto") || device.equals("cpu") || device.equals("gpu") || device.matches("gpu:[0-9]{1,4}"),
                "--device must be auto, cpu, gpu or gpu:N, got " + device);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new TrainingDataException(message);
        }
    }
}
