package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar constants for arithmetic that autograd differentiates.
 *
 * <p>Why not DJL's {@code x.mul(0.5f)}: on the CPU, DJL's number overloads wrap the number in an array over a
 * Java direct buffer ({@code torch.from_blob}) and close it as soon as the operation returns. Java frees that
 * buffer at its next collection, but the autograd graph may have saved the constant (multiplication, division,
 * maximum, remainder), so backward then reads freed memory: a gradient scaled by whatever lies there, NaN or 0.
 * A constant from {@link #of} is made by PyTorch ({@code torch.full}) and lives as long as the graph needs it.
 */
final class Constants {

    private Constants() {
    }

    /** A 0-d array holding {@code value}, of {@code like}'s type, on its device, in its manager. */
    static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType()).toDevice(like.getDevice(), false);
    }
}
