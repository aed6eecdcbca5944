package io.ssmstream.kernels.format;

/**
 * A model file that cannot be used: truncated, malformed header, missing tensor, wrong shape or a bad config.
 * The message names the file (when known) and the exact problem, so that a command line can print it as is.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
