package io.ssmstream.eval;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.trainer.TrainingDataException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
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
        CommandLine cmd = new CommandLine(new EvalCli());
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
        return e instanceof EvalInputException || e instanceof TrainingDataException
                || e instanceof ModelFormatException || e instanceof UncheckedIOException;
    }

    static String errorLine(String message) {
        return "ssm-stream: error: " + (message == null ? "unknown error" : message.replace('\n', ' ').strip());
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USER_ERROR;
    }

    /** The {@code eval} group; each evaluation is one subcommand. */
    @Command(name = "eval", description = "Quality evaluations on public data, side by side with peers.",
            subcommands = {io.ssmstream.eval.nab.NabCommand.class}, mixinStandardHelpOptions = true)
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
