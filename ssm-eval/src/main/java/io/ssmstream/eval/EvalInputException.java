package io.ssmstream.eval;

/** A user mistake in an evaluation's input (missing directory, bad CSV, unknown column): one line, exit code 2. */
public final class EvalInputException extends RuntimeException {
    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
