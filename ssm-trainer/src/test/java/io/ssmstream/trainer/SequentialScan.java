package io.ssmstream.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;

/**
 * The plain step-by-step form of the recurrence, x_t = exp(logA_t) ∘ x_{t-1} + b_t, one small DJL operation
 * per time step: the reference that the chunked scan is tested against (values and gradients).
 */
final class SequentialScan implements DiagonalScan {

    @Override
    public NDArray real(NDArray logA, NDArray b) {
        long len = logA.getShape().get(1);
        NDArray a = logA.exp();
        NDList xs = new NDList();
        NDArray x = null;
        for (int t = 0; t < len; t++) {
            NDIndex at = new NDIndex(":, {}", t);
            x = x == null ? b.get(at) : a.get(at).mul(x).add(b.get(at));
            xs.add(x);
        }
        return NDArrays.stack(xs, 1);
    }

    @Override
    public NDArray[] complex(NDArray logARe, NDArray logAIm, NDArray bRe, NDArray bIm) {
        long len = logARe.getShape().get(1);
        NDArray mag = logARe.exp();
        NDArray aRe = mag.mul(logAIm.cos());
        NDArray aIm = mag.mul(logAIm.sin());
        NDList res = new NDList();
        NDList ims = new NDList();
        NDArray xr = null;
        NDArray xi = null;
        for (int t = 0; t < len; t++) {
            NDIndex at = new NDIndex(":, {}", t);
            if (xr == null) {
                xr = bRe.get(at);
                xi = bIm.get(at);
            } else {
                NDArray ar = aRe.get(at);
                NDArray ai = aIm.get(at);
                NDArray nr = ar.mul(xr).sub(ai.mul(xi)).add(bRe.get(at));
                NDArray ni = ar.mul(xi).add(ai.mul(xr)).add(bIm.get(at));
                xr = nr;
                xi = ni;
            }
            res.add(xr);
            ims.add(xi);
        }
        return new NDArray[] {NDArrays.stack(res, 1), NDArrays.stack(ims, 1)};
    }
}
