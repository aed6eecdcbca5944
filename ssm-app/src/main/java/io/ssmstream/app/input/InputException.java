package io.ssmstream.app.input;

import java.nio.file.Path;

/**
 * An input file that cannot be used, or one bad row of it. The message names the file, the 1-based physical
 * line (when there is one) and the problem, so that a command line can print it as is.
 */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;
    private final String problem;
    private final boolean rowLevel;

    /**
     * @param line     1-based physical line, or 0 when the problem is not on one line
     * @param rowLevel true when only this row is bad and the reader can go on to the next one
     */
    public InputException(Path file, long line, String problem, boolean rowLevel, Throwable cause) {
        super(file + (line > 0 ? ", line " + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
        this.problem = problem;
        this.rowLevel = rowLevel;
    }

    public static InputException row(Path file, long line, String problem) {
        return new InputException(file, line, problem, true, null);
    }

    public static InputException file(Path file, long line, String problem) {
        return new InputException(file, line, problem, false, null);
    }

    public Path file() {
        return file;
    }

    /** 1-based physical line, or 0. */
    public long line() {
        return line;
    }

    /** The problem without the file and line. */
    public String problem() {
        return problem;
    }

    /** Whether only this row is bad: a caller that skips bad rows may go on reading. */
    public boolean rowLevel() {
        return rowLevel;
    }
}
