package io.ssmstream.app;

import io.ssmstream.app.input.InputException;
import io.ssmstream.connectors.kafka.KafkaConnectionException;
import io.ssmstream.kernels.format.ModelFormatException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands: runs {@link #run()} and turns user errors (bad input file, bad model file, invalid
 * configuration) into one line {@code ssm-stream: error: <message>} on stderr and exit code
 * {@link SsmStreamCli#EXIT_USER_ERROR}, so that this holds however the {@code CommandLine} was set up.
 * Anything else propagates as an internal error (exit code 1).
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** @return the exit code */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return run();
        } catch (RuntimeException e) {
            if (!isUserError(e)) {
                throw e;
            }
            err().println(SsmStreamCli.errorLine(e.getMessage()));
            err().flush();
            return SsmStreamCli.EXIT_USER_ERROR;
        }
    }

    /** Exceptions whose message is meant for the user as is. */
    static boolean isUserError(Throwable e) {
        return e instanceof ModelFormatException || e instanceof InputException || e instanceof UserException
                || e instanceof IllegalArgumentException || e instanceof KafkaConnectionException;
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
