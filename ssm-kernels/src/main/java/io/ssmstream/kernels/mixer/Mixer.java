package io.ssmstream.kernels.mixer;

import io.ssmstream.kernels.simd.KernelOps;

/**
 * One layer's sequence mixer (Mamba, S4D or LRU): immutable weights in compute layout, shared by all threads.
 * Each thread advances states through its own {@link Stepper}, which owns the working memory, or through a
 * {@link BatchStepper}, which advances several streams by one event each in one pass over the weights.
 */
public interface Mixer {

    /** The number of floats in this layer's per-stream state; the layout is documented by each mixer. */
    int stateSize();

    /** A single-threaded stepper with preallocated working memory, using {@code ops} for the arithmetic. */
    Stepper newStepper(KernelOps ops);

    /**
     * A single-threaded stepper for up to {@code maxBatch} streams at a time, using {@code ops} for the arithmetic.
     *
     * @throws IllegalArgumentException when maxBatch is not positive
     */
    BatchStepper newBatchStepper(KernelOps ops, int maxBatch);

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

    /**
     * {@link #newBatchStepper}'s argument check.
     *
     * @throws IllegalArgumentException when maxBatch is not positive
     */
    static void checkBatch(int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch stepper needs maxBatch ≥ 1, got " + maxBatch);
        }
    }

    /**
     * Advances several streams' states by one event each: the weight products are {@link KernelOps#matMat} over
     * the streams, the rest is per stream. Each stream's output and new state are exactly (same floats) what
     * {@link Stepper#step} with the same {@link KernelOps} gives for it alone. Not thread-safe; allocates nothing.
     */
    interface BatchStepper {
        /**
         * @param batch    how many streams, in [1, the maxBatch it was made with]
         * @param in       the normalised inputs, (batch, d_model) row-major
         * @param states   stream b's state of all layers in {@code states[b]} (see {@code StreamState})
         * @param stateOff where this layer's state starts in each (the same for every state of one model)
         * @param taus     stream b's time gap τ in steps, (batch) (used only by time-aware models)
         * @param out      the mixer's outputs, (batch, d_model) row-major
         */
        void step(int batch, float[] in, float[][] states, int stateOff, float[] taus, float[] out);
    }
}
