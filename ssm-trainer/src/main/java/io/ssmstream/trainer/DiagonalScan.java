package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;

/**
 * A diagonal linear recurrence over a whole window, x_t = a_t ∘ x_{t-1} + b_t with x_{-1} = 0, where the
 * decay is given by its logarithm, a_t = exp(logA_t). All arrays are {@code (B, L, S)}: batch, time, state.
 * Complex recurrences take and return real/imaginary pairs. Implementations must be differentiable by DJL's
 * autograd.
 */
public interface DiagonalScan {

    /** Real recurrence; returns x, (B, L, S). */
    NDArray real(NDArray logA, NDArray b);

    /**
     * Complex recurrence, a_t = exp(logARe_t + i·logAIm_t).
     *
     * @return {xRe, xIm}, each (B, L, S)
     */
    NDArray[] complex(NDArray logARe, NDArray logAIm, NDArray bRe, NDArray bIm);
}
