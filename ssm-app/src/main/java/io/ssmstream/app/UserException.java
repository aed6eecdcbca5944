package io.ssmstream.app;

/** A problem the user can fix (a file that exists, a directory that does not): exit code 2, message only. */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
