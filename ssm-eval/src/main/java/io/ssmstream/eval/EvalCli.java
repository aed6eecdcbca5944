package io.ssmstream.eval;

import io.ssmstream.eval.forecast.ForecastCommand;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.trainer.TrainerCli;
import io.ssmstream.trainer.TrainingDataException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ssm-stream eval ...}: the quality evaluations, in their own jar ({@code ssm-eval/target/ssm-eval.jar}),
 * because they train models (DJL, like {@code ssm-stream train}) and run peer detectors that the streaming job's
 * jar does not carry. Exit codes as {@code ssm-stream}'s: 0 success, 1 internal error, 2 a user error reported
 * as one line {@code ssm-stream: error: <message>} on stderr. Progress goes to stderr, tables to stdout.
 */
@Command(name = "ssm-stream",
        description = "ssm-stream evaluations.",
        subcommands = {EvalCli.Eval.class, CommandLine.HelpCommand.class},
        mixinStandardHelpOptions = true)
public final class EvalCli implements Callable<Integer> {
    public static final int EXIT_USER_ERROR = TrainerCli.EXIT_USER_ERROR;
    /** Some files of a corpus failed; the others were scored and reported. */
    public static final int EXIT_FILES_FAILED = 1;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return TrainerCli.execute(new EvalCli(), EvalCli::isUserError, args, out, err);
    }

    static boolean isUserError(Throwable e) {
        return e instanceof EvalInputException || e instanceof TrainingDataException
                || e instanceof ModelFormatException || e instanceof UncheckedIOException;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USER_ERROR;
    }

    /** The {@code eval} group; each evaluation is one subcommand. */
    @Command(name = "eval", description = "Quality evaluations on public data, side by side with peers.",
            subcommands = {
                io.ssmstream.eval.nab.NabCommand.class,
                ForecastCommand.class,
                io.ssmstream.eval.audio.AudioEvalCommand.class,
            }, mixinStandardHelpOptions = true)
    static final class Eval implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return EXIT_USER_ERROR;
        }
    }
}
