package io.ssmstream.kernels.simd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link KernelOps} for this JVM once: the Vector API implementation when the
 * {@code jdk.incubator.vector} module is present (start java with {@code --add-modules jdk.incubator.vector};
 * {@code bin/ssm-stream} does), otherwise the scalar one with one log line that says why. Setting the system
 * property {@code ssmstream.kernels=scalar} forces the scalar path (for comparisons).
 */
public final class KernelOpsProvider {
    public static final String FORCE_PROPERTY = "ssmstream.kernels";
    private static final Logger LOG = LoggerFactory.getLogger(KernelOpsProvider.class);
    private static final String VECTOR_IMPL = "io.ssmstream.kernels.simd.PanamaKernelOps";
    private static final KernelOps DEFAULT = choose();

    private KernelOpsProvider() {
    }

    /** The fastest implementation this JVM can run. */
    public static KernelOps get() {
        return DEFAULT;
    }

    public static KernelOps scalar() {
        return new ScalarKernelOps();
    }

    /**
     * The Vector API implementation.
     *
     * @throws UnsupportedOperationException when this JVM cannot load it, saying how to enable it
     */
    public static KernelOps vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new UnsupportedOperationException(
                    "the jdk.incubator.vector module is not loaded: start java with --add-modules jdk.incubator.vector");
        }
        try {
            return (KernelOps) Class.forName(VECTOR_IMPL).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("cannot load the Vector API kernels: " + e, e);
        }
    }

    private static KernelOps choose() {
        if ("scalar".equals(System.getProperty(FORCE_PROPERTY))) {
            LOG.info("SSM kernels: scalar ({}=scalar)", FORCE_PROPERTY);
            return scalar();
        }
        try {
            KernelOps ops = vector();
            LOG.info("SSM kernels: {} (Vector API)", ops.name());
            return ops;
        } catch (UnsupportedOperationException e) {
            LOG.warn("SSM kernels: scalar fallback, Vector API unavailable ({})", e.getMessage());
            return scalar();
        }
    }
}
