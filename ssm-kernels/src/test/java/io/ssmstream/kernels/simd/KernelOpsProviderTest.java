package io.ssmstream.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.PrintKernelOps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KernelOpsProviderTest {

    /** Runs {@link PrintKernelOps} in a fresh JVM on this test's classpath; returns stdout + stderr. */
    private static String runChildJvm(String... jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(PrintKernelOps.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void withoutVectorModuleFallsBackToScalarWithOneLogLine() throws Exception {
        String output = runChildJvm();
        assertTrue(output.contains("chosen=scalar"), output);
        long warnings = output.lines().filter(l -> l.contains("scalar fallback")).count();
        assertEquals(1, warnings, output);
        assertTrue(output.contains("--add-modules jdk.incubator.vector"), "the log line says how to fix it: " + output);
    }

    @Test
    void withVectorModuleChoosesVectorApi() throws Exception {
        String output = runChildJvm("--add-modules=jdk.incubator.vector");
        assertTrue(output.contains("chosen=vector-"), output);
    }

    @Test
    void scalarCanBeForced() throws Exception {
        String output = runChildJvm("--add-modules=jdk.incubator.vector", "-D" + KernelOpsProvider.FORCE_PROPERTY + "=scalar");
        assertTrue(output.contains("chosen=scalar"), output);
    }
}
