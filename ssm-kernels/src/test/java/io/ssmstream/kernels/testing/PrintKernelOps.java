package io.ssmstream.kernels.testing;

import io.ssmstream.kernels.simd.KernelOpsProvider;

/** Prints the kernels this JVM chose; run in a child JVM by {@code KernelOpsProviderTest}. */
public final class PrintKernelOps {
    private PrintKernelOps() {
    }

    public static void main(String[] args) {
        System.out.println("chosen=" + KernelOpsProvider.get().name());
    }
}
