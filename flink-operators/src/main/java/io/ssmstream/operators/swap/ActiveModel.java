package io.ssmstream.operators.swap;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.stream.AnomalyScorer;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.ModelArtifact;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model one forecaster subtask runs now, and the switch to a new one.
 *
 * <p>Switch point: {@link #offer} fetches and checks an update synchronously, in the operator's thread, and on
 * success makes it current at once; every event applied after that uses the new model, every event applied
 * before used the old one. A checkpoint barrier is aligned across the event and update inputs, so a checkpoint
 * is wholly before or wholly after a switch.
 *
 * <p>Stream states follow lazily: {@link #stateFor} turns a stream's stored state into one for the current
 * model the next time the stream has an event, by replaying its input window through the new model
 * ({@link StreamForecaster#rebuild}). A state of unknown version (written by codec version 1, before versions
 * were recorded) is taken to be the current model's, which is the model that ran when it was written unless an
 * update came in between.
 */
public final class ActiveModel {
    private static final Logger LOG = LoggerFactory.getLogger(ActiveModel.class);

    private final SwapSettings settings;
    private final KernelOps ops;
    private final AnomalyScorer scorer;
    private final ModelFetcher fetcher;
    private final SwapMetrics metrics;
    private ModelArtifact artifact;
    private StreamForecaster forecaster;

    /**
     * @param initial the model to run until an update is accepted
     * @param fetcher fetches and checks updates
     */
    public ActiveModel(ModelArtifact initial, SwapSettings settings, KernelOps ops, AnomalyScorer scorer,
                       ModelFetcher fetcher, SwapMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ops = Objects.requireNonNull(ops, "ops");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        use(initial);
    }

    public String version() {
        return artifact.version();
    }

    public StreamForecaster forecaster() {
        return forecaster;
    }

    /**
     * Applies an update if it is for this job's model name and announces another version than the current
     * one: fetched, checked and made current, or rejected with one log line naming the version and the reason.
     * Never throws for a bad update.
     *
     * @return the accepted model to remember (broadcast state), or null when ignored or rejected
     */
    public AcceptedModel offer(ModelUpdate update) {
        if (!settings.modelName().equals(update.modelName) || update.version.equals(version())) {
            return null;
        }
        ModelArtifact next;
        try {
            next = fetcher.fetch(update);
        } catch (RejectedUpdateException e) {
            metrics.rejected();
            LOG.warn("rejected model update {} {} ({}): {}; still running {}", update.modelName, update.version,
                    e.reason().name().toLowerCase(Locale.ROOT), e.getMessage(), version());
            return null;
        }
        String previous = version();
        use(next);
        metrics.accepted();
        LOG.info("switched model {} from {} to {} ({}); streams rebuild their state on their next event",
                update.modelName, previous, version(), update.uri);
        return new AcceptedModel(update, next.bytes());
    }

    /**
     * Runs a model accepted before a restore (its bytes were verified when it was accepted), unless it no
     * longer fits the job's input (the job was restarted with a {@code --model} of another d_input): then the
     * initial model stays, with a warning.
     */
    public void restore(AcceptedModel accepted) {
        ModelArtifact model = ModelArtifact.fromBytes(accepted.bytes, accepted.update.uri, accepted.update.version);
        if (model.dInput() != artifact.dInput()) {
            LOG.warn("not restoring model {} {} from the checkpoint: it takes d_input {}, the job's input has {};"
                    + " running {}", accepted.update.modelName, model.version(), model.dInput(), artifact.dInput(),
                    version());
            return;
        }
        use(model);
        LOG.info("restored model {} {} from the checkpoint", accepted.update.modelName, version());
    }

    /**
     * A stream's state for the current model: a new one for a new stream, the stored one when it is the current
     * model's, else rebuilt from its input window. The window keeps {@link SwapSettings#windowLength()} events.
     *
     * @param stored the stream's state, or null for a new stream
     */
    public ForecasterState stateFor(ForecasterState stored) {
        if (stored == null) {
            return forecaster.newState(version(), settings.windowLength());
        }
        ForecasterState state = stored.withWindowCapacity(settings.windowLength());
        if (state.modelVersion() == null && forecaster.fits(state)) {
            state.modelVersion(version());
            return state;
        }
        if (!version().equals(state.modelVersion())) {
            metrics.rebuilt();
            return forecaster.rebuild(state, version());
        }
        return state;
    }

    private void use(ModelArtifact model) {
        this.artifact = model;
        this.forecaster = new StreamForecaster(model.load(), ops, scorer);
    }
}
