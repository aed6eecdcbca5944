package io.ssmstream.operators.swap;

/** A model update the job will not run, with why: the message is the reason, the reason code is for metrics. */
public final class RejectedUpdateException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why an update was rejected. */
    public enum Reason {
        /** No file at the update's uri. */
        MISSING_FILE,
        /** The file exists but could not be read (permissions, I/O error, too large). */
        UNREADABLE,
        /** The file's SHA-256 is not the update's. */
        CHECKSUM_MISMATCH,
        /** Not a valid model file (safetensors framing, config, a tensor's shape). */
        CORRUPT_FILE,
        /** The file's config is not the config the update announced. */
        CONFIG_MISMATCH,
        /** The model takes another number of values per event than the job's input carries. */
        D_INPUT_MISMATCH
    }

    private final Reason reason;

    public RejectedUpdateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
