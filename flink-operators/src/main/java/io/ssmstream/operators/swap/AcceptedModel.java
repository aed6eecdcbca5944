package io.ssmstream.operators.swap;

import io.ssmstream.connectors.event.ModelUpdate;

/**
 * The model update a forecaster accepted, with the file's bytes: kept in broadcast state, so a job restored from
 * a checkpoint runs the model it had switched to without fetching it again (the file may be gone by then). A
 * Flink POJO.
 */
public class AcceptedModel {
    public ModelUpdate update;
    /** The verified model file. */
    public byte[] bytes;

    public AcceptedModel() {
    }

    public AcceptedModel(ModelUpdate update, byte[] bytes) {
        this.update = update;
        this.bytes = bytes;
    }
}
