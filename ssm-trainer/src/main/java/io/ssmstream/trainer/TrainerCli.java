package io.ssmstream.trainer;

import io.ssmstream.connectors.kafka.KafkaConnectionException;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.model.SsmModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        subcommands = {TrainerCli.Train.class, RetrainCommand.class, CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class TrainerCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USER_ERROR = 2;
    /** Some files of an input folder could not be used; the command did its work with the others. */
    public static final int EXIT_FILES_FAILED = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return execute(new TrainerCli(), TrainerCli::isUserError, args, out, err);
    }

    /**
     * Runs {@code command} (a picocli command) the way every command of the DJL jars runs: DJL kept offline,
     * usage errors and the {@code userError} exceptions as one line {@code ssm-stream: error: ...} with exit code
     * {@value #EXIT_USER_ERROR}, anything else a stack trace and {@value #EXIT_INTERNAL_ERROR}. Shared with the
     * evaluations' jar ({@code ssm-eval}).
     */
    public static int execute(Object command, Predicate<Throwable> userError, String[] args, PrintStream out,
                              PrintStream err) {
        // The PyTorch library comes from the jar (pytorch-native-cpu): DJL must never try to download one.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cmd = new CommandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setParameterExceptionHandler((ParameterException e, String[] a) -> {
            e.getCommandLine().getErr().println(errorLine(e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')"));
            return EXIT_USER_ERROR;
        });
        cmd.setExecutionExceptionHandler((e, c, parsed) -> {
            if (userError.test(e)) {
                c.getErr().println(errorLine(e.getMessage()));
                return EXIT_USER_ERROR;
            }
            e.printStackTrace(err);
            return EXIT_INTERNAL_ERROR;
        });
        return cmd.execute(args);
    }

    static boolean isUserError(Throwable e) {
        return e instanceof TrainingDataException || e instanceof ModelFormatException
                || e instanceof KafkaConnectionException;
    }

    public static String errorLine(String message) {
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

        @Option(names = "--init-from", paramLabel = "MODEL.safetensors",
                description = "Fine-tune this model (its architecture, sizes, normalisation and time unit are kept;"
                        + " its version becomes the new model's parent_version).")
        Path initFrom;

        @Mixin
        TrainingFlags training;

        @Option(names = "--version", paramLabel = "VERSION",
                description = "The model's ssm_stream.version (default: v and the UTC time, e.g. v20250101T120000Z).")
        String version;

        /** CSV files read or left out so far, for the summary line. */
        private int filesLookedAt;

        @Override
        public Integer call() throws IOException {
            training.applyThreads();
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter stdout = spec.commandLine().getOut();
            if (Files.exists(out) && !force) {
                throw new TrainingDataException(this.out + " exists (use --force to overwrite it)");
            }
            Path parent = this.out.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new TrainingDataException(this.out + ": directory " + parent + " does not exist");
            }
            TrainingOptions o = training.options(initFrom == null ? null : SsmModel.load(initFrom)).version(version);
            if ((input == null) == (audio == null)) {
                throw new TrainingDataException("give either --input (CSV series) or --audio (audio clips)");
            }
            AudioFeatures features = null;
            List<String> failures = new ArrayList<>();
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
                train = readReporting(input, err, failures);
                val = validation == null ? null : readReporting(validation, err, failures);
            }
            err.println("device: " + describeDevice(o.device));
            err.flush();
            Trainer.Result r = Trainer.train(train, val, o, err);
            SsmModel trained = features == null ? r.model() : AudioSeries.withFeatures(r.model(), features, train);
            trained.save(this.out);
            stdout.printf(Locale.ROOT, "train loss %.4f, validation loss %.4f (epoch %d of %d, %s), %.0f events/s on %s,"
                            + " %s; wrote %s (%s)%n", r.trainLoss(), r.validationLoss(), r.bestEpoch(), r.epochs(),
                    r.stopReason(), r.eventsPerSecond(), r.device(), Trainer.duration(r.seconds()), this.out,
                    r.model().metadata().get(Trainer.VERSION));
            stdout.flush();
            if (!failures.isEmpty()) {
                err.println("ssm-stream: " + failures.size() + " of " + filesLookedAt + " files failed (listed"
                        + " above); the model was trained without them");
                err.flush();
                return EXIT_FILES_FAILED;
            }
            return EXIT_OK;
        }

        /** Reads a CSV file or folder, printing each file left out as {@code ssm-stream: file:line: problem}. */
        private List<EventSeries> readReporting(Path fileOrDirectory, PrintWriter err, List<String> failures) {
            SeriesCsv.Read read = SeriesCsv.readEach(fileOrDirectory);
            for (String f : read.failures()) {
                err.println("ssm-stream: " + f);
            }
            err.flush();
            failures.addAll(read.failures());
            filesLookedAt += read.files();
            return read.series();
        }
    }

    /** The device that training will use and why, for the log. */
    static String describeDevice(String requested) {
        String chosen = Trainer.device(requested).toString();
        int gpus = ai.djl.engine.Engine.getInstance().getGpuCount();
        if (requested.equals("auto")) {
            return chosen + (gpus > 0 ? " (auto: a CUDA GPU is visible)" : " (auto: no CUDA GPU visible to DJL's"
                    + " PyTorch engine)");
        }
        return chosen;
    }
}
