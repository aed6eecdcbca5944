package io.ssmstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ssm-stream} command line. Exit codes: {@value #EXIT_OK} success, {@value #EXIT_INTERNAL_ERROR}
 * internal error (with a stack trace), {@value #EXIT_USER_ERROR} user error (bad arguments, input file or model
 * file) reported as one line {@code ssm-stream: error: <message>} on stderr. Start it with {@code bin/ssm-stream},
 * which adds the Vector API module.
 */
@Command(name = "ssm-stream",
        mixinStandardHelpOptions = true,
        versionProvider = SsmStreamCli.Version.class,
        description = "Real-time state-space-model (Mamba, Mamba-2, S4, S4D, LSSL, LRU, S5, SpaceTime) forecasting.",
        subcommands = {DemoCommand.class, RunCommand.class, KafkaCommand.class, ProduceCommand.class,
            AudioSendCommand.class, ReplayCommand.class, InitCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:bad arguments, input file or model file"})
public final class SsmStreamCli implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL_ERROR = 1;
    public static final int EXIT_USER_ERROR = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The command line as {@link #main} runs it: a {@code new CommandLine(new SsmStreamCli())} whose argument
     * errors are printed as one line (instead of picocli's message and usage) and whose internal errors exit
     * with {@value #EXIT_INTERNAL_ERROR}. Subcommands report their own user errors either way.
     */
    public static CommandLine newCommandLine() {
        CommandLine cmd = new CommandLine(new SsmStreamCli());
        cmd.setParameterExceptionHandler(SsmStreamCli::handleParameterException);
        cmd.setExecutionExceptionHandler(SsmStreamCli::handleExecutionException);
        return cmd;
    }

    static String errorLine(String message) {
        return "ssm-stream: error: " + (message == null ? "unknown error" : message.replace('\n', ' ').strip());
    }

    private static int handleParameterException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage();
        List<String> unmatched = cmd.getUnmatchedArguments();
        if (!(e instanceof UnmatchedArgumentException) && !unmatched.isEmpty()) {
            // An unknown option also leaves required ones missing: the unknown one is the real mistake.
            message = "Unknown option or argument: '" + String.join("', '", unmatched) + "'";
        }
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println(errorLine(message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')"));
        err.flush();
        return EXIT_USER_ERROR;
    }

    private static int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (CliCommand.isUserError(e)) {
            err.println(errorLine(e.getMessage()));
            err.flush();
            return EXIT_USER_ERROR;
        }
        err.println("ssm-stream: internal error: " + e);
        e.printStackTrace(err);
        err.flush();
        return EXIT_INTERNAL_ERROR;
    }

    /** No subcommand given. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println(errorLine("missing command (see 'ssm-stream --help')"));
        err.flush();
        return EXIT_USER_ERROR;
    }

    /** The version from the build (filtered resource), and the JVM. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = SsmStreamCli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException ignored) {
                // fall through to "unknown"
            }
            return new String[] {
                "ssm-stream " + p.getProperty("version", "unknown"),
                "JVM: ${java.version} (${java.vendor} ${java.vm.name} ${java.vm.version})",
            };
        }
    }
}
