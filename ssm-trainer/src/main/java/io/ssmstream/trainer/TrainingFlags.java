package io.ssmstream.trainer;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The model and optimisation options that {@code train} and {@code retrain} share (a picocli mixin). */
final class TrainingFlags {
    @Option(names = "--arch", paramLabel = "mamba|s4d|s4|lssl|lru|s5|mamba2|spacetime", description = "Architecture (default: mamba).")
    String arch;

    @Option(names = "--d-model", paramLabel = "N", description = "Model width (default: 16).")
    Integer dModel;

    @Option(names = "--n-layers", paramLabel = "N", description = "Layers (default: 2).")
    Integer nLayers;

    @Option(names = "--d-state", paramLabel = "N", description = "State size per channel (default: 16).")
    Integer dState;

    @Option(names = "--time-aware", paramLabel = "true|false", arity = "1",
            description = "Scale the dynamics by each event's time gap (default: true).")
    Boolean timeAware;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "200", description = "At most N epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-minutes", paramLabel = "M", defaultValue = "4",
            description = "Wall-clock limit of the training in minutes (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--patience", paramLabel = "N", defaultValue = "12",
            description = "Stop after N epochs without a better validation loss (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "3e-3",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}); halved after 4 epochs without progress.")
    float lr;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "16", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--window", paramLabel = "L", defaultValue = "256",
            description = "Window length in events, stride L/2 (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--burn-in", paramLabel = "N", defaultValue = "16",
            description = "Outputs not scored at the start of windows that begin inside a series (default: ${DEFAULT-VALUE}).")
    int burnIn;

    @Option(names = "--chunk", paramLabel = "T", defaultValue = "" + ChunkedScan.DEFAULT_CHUNK,
            description = "Chunk length of the parallel scan (default: ${DEFAULT-VALUE}).")
    int chunk;

    @Option(names = "--scan", paramLabel = "recurrent|matrix", defaultValue = "recurrent",
            description = "Within-chunk form of the scan: recurrent (fastest on a CPU) or matrix (decay matrix,"
                    + " GPU style) (default: ${DEFAULT-VALUE}).")
    String scan;

    @Option(names = "--horizon", paramLabel = "H", defaultValue = "0",
            description = "Also fit a direct head that forecasts the next H events at once, by least squares on the"
                    + " trained model's state (default: ${DEFAULT-VALUE}, none; a model fine-tuned from one with a"
                    + " head gets it refitted).")
    int horizon;

    @Option(names = "--horizon-season", paramLabel = "STEPS", defaultValue = "0",
            description = "The data's season in events (24 for hourly data with a daily cycle) that places the"
                    + " direct head's poles (default: ${DEFAULT-VALUE}, none).")
    int horizonSeason;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Initialisation and shuffling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu|gpu:N", defaultValue = "auto",
            description = "auto: a CUDA GPU when DJL sees one, else the CPU (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--threads", paramLabel = "N",
            description = "PyTorch intra-op threads (default: one per core). On a shared machine run with"
                    + " OMP_WAIT_POLICY=PASSIVE (bin/ssm-stream sets it) or fewer threads.")
    Integer threads;

    /** Sets the PyTorch thread count; before the engine starts. */
    void applyThreads() {
        if (threads != null) {
            if (threads < 1) {
                throw new TrainingDataException("--threads must be at least 1, got " + threads);
            }
            // read by DJL's PyTorch engine when it starts
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
    }

    /**
     * The options these flags describe.
     *
     * @param initFrom the model to fine-tune (it fixes the architecture and sizes), or null for a new model
     */
    TrainingOptions options(SsmModel initFrom) {
        return options(initFrom, false);
    }

    /**
     * @param sizesForNewModelsOnly true: the architecture and size flags describe the first model only and are
     *                              ignored when there is a model to fine-tune ({@code retrain --init-from latest});
     *                              false: giving both is an error
     */
    TrainingOptions options(SsmModel initFrom, boolean sizesForNewModelsOnly) {
        TrainingOptions o = new TrainingOptions().epochs(epochs).maxMinutes(maxMinutes).patience(patience)
                .learningRate(lr).batchSize(batchSize).windowLength(window).burnIn(burnIn).chunk(chunk)
                .scan(ChunkedScan.Intra.parse(scan)).seed(seed).device(device.toLowerCase(Locale.ROOT))
                .horizon(horizon).horizonSeason(horizonSeason);
        if (initFrom != null) {
            if (!sizesForNewModelsOnly && (arch != null || dModel != null || nLayers != null || dState != null || timeAware != null)) {
                throw new TrainingDataException("--init-from takes the architecture and sizes from the parent model:"
                        + " drop --arch, --d-model, --n-layers, --d-state and --time-aware");
            }
            return o.initFrom(initFrom);
        }
        Arch a = Arch.fromConfigName(arch == null ? "mamba" : arch.toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new TrainingDataException("--arch must be " + Arch.choices() + ", got " + arch);
        }
        return o.arch(a).dModel(dModel == null ? 16 : dModel).nLayers(nLayers == null ? 2 : nLayers)
                .dState(dState == null ? 16 : dState).timeAware(timeAware == null || timeAware);
    }
}
