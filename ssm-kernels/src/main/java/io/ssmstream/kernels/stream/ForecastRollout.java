package io.ssmstream.kernels.stream;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.simd.KernelOps;

/**
 * Forecasts 1..H steps ahead of one stream by autoregressive rollout, without advancing the stream. With S_t
 * the stream's SSM state after its latest event x_t and x̂_{t+1} the forecast kept with it, a scratch copy S of
 * S_t is stepped on its own forecast means:
 * <pre>
 *   x̂_{t+1} = the stream's forecast (ForecasterState.forecastMean)
 *   S ← S_t
 *   x̂_{t+s} = mean(step(S, x̂_{t+s-1}, τ))      s = 2..H
 * </pre>
 * with a fixed time gap τ between future events (regular sampling). Only the means are rolled out: the model's
 * std is a one-step std and says nothing about the error accumulated over several steps. One instance per
 * thread (it owns the scratch state and the runner's working memory); allocates nothing per call.
 */
public final class ForecastRollout {
    private final SsmRunner runner;
    private final StreamState scratch; // S: the copy that is stepped
    private final float[] previous;    // (d_input): x̂_{t+s-1}, the step's input
    private final float[] next;        // (d_input): x̂_{t+s}, the step's forecast mean
    private final float[] std;         // (d_input): the step's std, unused
    private final int dInput;

    public ForecastRollout(SsmModel model, KernelOps ops) {
        this.runner = new SsmRunner(model, ops);
        this.scratch = StreamState.zeros(model);
        this.dInput = model.config().dInput();
        this.previous = new float[dInput];
        this.next = new float[dInput];
        this.std = new float[dInput];
    }

    public int dInput() {
        return dInput;
    }

    /**
     * @param state   the stream after its latest event; read, never changed
     * @param tau     the time gap between future events in model steps ({@code TimeGap.tau} of the sampling
     *                interval; 1 when the model's time unit is the sampling interval)
     * @param horizon H, at least 1
     * @param out     receives x̂_{t+1}, ..., x̂_{t+H}, (H, d_input) row-major, raw units; may be longer
     * @throws IllegalArgumentException when the stream has no event yet, H &lt; 1, {@code out} is too short or
     *                                  the state was made for another model
     */
    public void forecast(ForecasterState state, float tau, int horizon, float[] out) {
        if (!state.hasEvents()) {
            throw new IllegalArgumentException("the stream has no event yet: nothing to forecast from");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        if (out.length < horizon * dInput) {
            throw new IllegalArgumentException("out has " + out.length + " floats, need horizon × d_input = "
                    + horizon * dInput);
        }
        if (state.forecastMean.length != dInput) {
            throw new IllegalArgumentException("the stream's state has " + state.forecastMean.length
                    + " channels, the model " + dInput);
        }
        scratch.setLayers(state.ssm); // S ← S_t; also checks the layer sizes, before anything is written
        System.arraycopy(state.forecastMean, 0, out, 0, dInput);
        for (int s = 1; s < horizon; s++) {
            System.arraycopy(out, (s - 1) * dInput, previous, 0, dInput);
            runner.step(scratch, previous, tau, next, std);
            System.arraycopy(next, 0, out, s * dInput, dInput);
        }
    }
}
