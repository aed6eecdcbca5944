package io.ssmstream.trainer;

/** A problem with the training data that the user has to fix (bad file, row or option); exit code 2. */
public final class TrainingDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDataException(String message) {
        super(message);
    }
}
