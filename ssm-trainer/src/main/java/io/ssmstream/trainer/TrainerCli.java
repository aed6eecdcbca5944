package io.ssmstream.trainer;

import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ssm-stream train}: the trainer's command line, in its own jar ({@code ssm-trainer/target/ssm-trainer.jar},
 * which carries DJL and the PyTorch CPU library). Exit codes as {@code ssm-stream}'s: 0 success, 1 internal
 * error, 2 a user error reported as one line {@code ssm-stream: error: <message>} on stderr. Progress goes to
 * stderr, the result line to stdout.
 */
@Command(name = "ssm-stream",
        description = "ssm-stream trainer.",
        subcommands = {TrainerCli.Train.class, CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class TrainerCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // The PyTorch library comes from the jar (pytorch-native-cpu): DJL must never try to download one.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cmd = new CommandLine(new TrainerCli());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            e.getCommandLine().getErr().println(errorLine(e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')"));
            return EXIT_USER_ERROR;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (isUserError(e)) {
                c.getErr().println(errorLine(e.getMessage()));
                return EXIT_USER_ERROR;
            }
            e.printStackTrace(err);
            return EXIT_INTERNAL_ERROR;
        });
        return cmd.execute(args);
    }

    static boolean isUserError(Throwable e) {
        return e instanceof TrainingDataException || e instanceof ModelFormatException;
    }

    static String errorLine(String message) {
        return "ssm-stream: error: " + (message == null ? "unknown error" : message.replace('\n', ' ').strip());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USER_ERROR;
    }

    @Command(name = "train", sortOptions = false,
            description = {"Trains a model on CSV series (header, then a timestamp and the values per row) or on audio"
                    + " clips (--audio: log-mel frames) and writes it as a model file. Early stopping on the"
                    + " validation loss keeps the best epoch."})
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Option(names = "--input", paramLabel = "FILE.csv|DIR",
                description = "Training data: a CSV file, or a directory of CSV files (one stream each).")
        Path input;

        @Option(names = "--audio", paramLabel = "DIR|FILE", arity = "1..*",
                description = "Train an audio model instead: .wav/.ogg files, or directories searched for them"
                        + " (normal sound). Each clip goes through the job's front end, one log-mel frame per event;"
                        + " the front-end settings are stored in the model.")
        List<Path> audio;

        @Option(names = "--bands", paramLabel = "N", defaultValue = "32",
                description = "With --audio: mel bands, the model's d_input (default: ${DEFAULT-VALUE}).")
        int bands;

        @Option(names = "--window-ms", paramLabel = "MS", defaultValue = "25",
                description = "With --audio: analysis window (default: ${DEFAULT-VALUE}).")
        double windowMs;

        @Option(names = "--hop-ms", paramLabel = "MS", defaultValue = "10",
                description = "With --audio: hop between frames (default: ${DEFAULT-VALUE}).")
        double hopMs;

        @Option(names = "--f-max-hz", paramLabel = "HZ", defaultValue = "8000",
                description = "With --audio: top of the highest band, capped at half the sample rate (default: ${DEFAULT-VALUE}).")
        double fMaxHz;

        @Option(names = "--validation", paramLabel = "FILE.csv|DIR",
                description = "Validation data (with --audio: audio files or a directory); default: the last 10%% of"
                        + " each input series in time.")
        Path validation;

        @Option(names = "--out", required = true, paramLabel = "MODEL.safetensors", description = "Model file to write.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Option(names = "--arch", paramLabel = "mamba|s4d|lru", description = "Architecture (default: mamba).")
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

        @Option(names = "--init-from", paramLabel = "MODEL.safetensors",
                description = "Fine-tune this model (its architecture, sizes, normalisation and time unit are kept;"
                        + " its version becomes the new model's parent_version).")
        Path initFrom;

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

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Initialisation and shuffling seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--device", paramLabel = "auto|cpu|gpu", defaultValue = "auto",
                description = "auto: a CUDA GPU when DJL sees one, else the CPU (default: ${DEFAULT-VALUE}).")
        String device;

        @Option(names = "--threads", paramLabel = "N",
                description = "PyTorch intra-op threads (default: one per core). On a shared machine run with"
                        + " OMP_WAIT_POLICY=PASSIVE (bin/ssm-stream sets it) or fewer threads.")
        Integer threads;

        @Option(names = "--version", paramLabel = "VERSION",
                description = "The model's ssm_stream.version (default: v and the UTC time, e.g. v20250101T120000Z).")
        String version;

        @Override
        public Integer call() throws IOException {
            if (threads != null) {
                if (threads < 1) {
                    throw new TrainingDataException("--threads must be at least 1, got " + threads);
                }
                // read by DJL's PyTorch engine when it starts, which is below
                System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
            }
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            if (Files.exists(out) && !force) {
                throw new TrainingDataException(this.out + " exists (use --force to overwrite it)");
            }
            Path parent = this.out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new TrainingDataException(this.out + ": directory " + parent + " does not exist");
            }
            TrainingOptions o = new TrainingOptions().epochs(epochs).maxMinutes(maxMinutes).patience(patience)
                    .learningRate(lr).batchSize(batchSize).windowLength(window).burnIn(burnIn).chunk(chunk).scan(ChunkedScan.Intra.parse(scan))
                    .seed(seed).device(device.toLowerCase(Locale.ROOT)).version(version);
            if (initFrom != null) {
                if (arch != null || dModel != null || nLayers != null || dState != null || timeAware != null) {
                    throw new TrainingDataException("--init-from takes the architecture and sizes from the parent model:"
                            + " drop --arch, --d-model, --n-layers, --d-state and --time-aware");
                }
                o.initFrom(SsmModel.load(initFrom));
            } else {
                Arch a = Arch.fromConfigName(arch == null ? "mamba" : arch.toLowerCase(Locale.ROOT));
                if (a == null) {
                    throw new TrainingDataException("--arch must be mamba, s4d or lru, got " + arch);
                }
                o.arch(a).dModel(dModel == null ? 16 : dModel).nLayers(nLayers == null ? 2 : nLayers)
                        .dState(dState == null ? 16 : dState).timeAware(timeAware == null || timeAware);
            }
            if ((input == null) == (audio == null)) {
                throw new TrainingDataException("give either --input (CSV series) or --audio (audio clips)");
            }
            AudioFeatures features = null;
            List<EventSeries> train;
            List<EventSeries> val;
            if (audio != null) {
                try {
                    features = AudioFeatures.builder().bands(bands).windowMs(windowMs).hopMs(hopMs).fMaxHz(fMaxHz)
                            .build();
                } catch (IllegalArgumentException e) {
                    throw new TrainingDataException(e.getMessage());
                }
                train = AudioSeries.read(audio, features);
                val = validation == null ? null : AudioSeries.read(List.of(validation), features);
            } else {
                train = SeriesCsv.readAll(input);
                val = validation == null ? null : SeriesCsv.readAll(validation);
            }
            err.println("device: " + describeDevice(o.device));
            err.flush();
            Trainer.Result r = Trainer.train(train, val, o, err);
            SsmModel trained = features == null ? r.model() : AudioSeries.withFeatures(r.model(), features);
            trained.save(this.out);
            stdout.printf(Locale.ROOT, "train loss %.4f, validation loss %.4f (epoch %d of %d, %s), %.0f events/s on %s,"
                            + " %s; wrote %s (%s)%n", r.trainLoss(), r.validationLoss(), r.bestEpoch(), r.epochs(),
                    r.stopReason(), r.eventsPerSecond(), r.device(), Trainer.duration(r.seconds()), this.out,
                    r.model().metadata().get(Trainer.VERSION));
            stdout.flush();
            return EXIT_OK;
        }

        private static String describeDevice(String requested) {
            String chosen = Trainer.device(requested).toString();
            int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
            if (requested.equals("auto")) {
                return chosen + (gpus > 0 ? " (auto: a CUDA GPU is visible)" : " (auto: no CUDA GPU visible to DJL's"
                        + " PyTorch engine)");
            }
            return chosen;
        }
    }
}
