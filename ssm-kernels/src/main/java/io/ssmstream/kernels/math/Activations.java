package io.ssmstream.kernels.math;

/**
 * Scalar activation functions as the reference implementations define them, evaluated in double and
 * rounded once to float. They are the oracle for the Vector API versions and serve their loop tails.
 */
public final class Activations {
    /** PyTorch's {@code F.softplus} returns its input unchanged above this (beta = 1). */
    public static final float SOFTPLUS_THRESHOLD = 20f;

    private Activations() {
    }

    /** σ(x) = 1 / (1 + e^{-x}). */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /** SiLU (swish): x · σ(x). */
    public static float silu(float x) {
        return (float) (x / (1.0 + Math.exp(-(double) x)));
    }

    /** softplus(x) = log(1 + e^x), and x itself above {@link #SOFTPLUS_THRESHOLD}. */
    public static float softplus(float x) {
        return x > SOFTPLUS_THRESHOLD ? x : (float) Math.log1p(Math.exp(x));
    }

    /** Exact (erf) GELU: x · Φ(x) = ½ x erfc(-x/√2). */
    public static float gelu(float x) {
        return (float) (0.5 * x * erfc(-x * 0.7071067811865476));
    }

    /**
     * Complementary error function with fractional error below 1.2e-7 everywhere (Chebyshev fit,
     * Numerical Recipes 6.2), i.e. to float precision.
     */
    public static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z + erfcPolynomial(t));
        return x >= 0 ? r : 2.0 - r;
    }

    /** The exponent's correction term of {@link #erfc}, shared with the vector version's coefficients. */
    static double erfcPolynomial(double t) {
        return -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
                + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    }
}
