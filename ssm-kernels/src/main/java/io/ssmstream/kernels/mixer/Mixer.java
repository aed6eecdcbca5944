package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.simd.KernelOps;

/**
 * One layer's sequence mixer (Mamba, S4D or LRU): immutable weights in compute layout, shared by all threads.
 * Each thread advances states through its own {@link Stepper}, which owns the working memory.
 */
public interface Mixer {

    /** The number of floats in this layer's per-stream state; the layout is documented by each mixer. */
    int stateSize();

    /** A single-threaded stepper with preallocated working memory, using {@code ops} for the arithmetic. */
    Stepper newStepper(KernelOps ops);

    /** Advances one stream's state by one event. Not thread-safe; allocates nothing. */
    interface Stepper {
        /**
         * @param in    the normalised input, (d_model)
         * @param state    holds this layer's state of one stream, (stateSize()) from {@code stateOff}, updated in
         *                 place (a stream's layers share one array, see {@code StreamState})
         * @param stateOff where this layer's state starts in {@code state}
         * @param tau      the time gap τ in steps (used only by time-aware models)
         * @param out      the mixer's output, (d_model)
         */
        void step(float[] in, float[] state, int stateOff, float tau, float[] out);
    }
}
