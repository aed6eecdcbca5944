package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scalar step allocates nothing per event, counted by the JVM's per-thread allocation counter (exact,
 * whatever the JIT does). The vector step's allocation is measured by JMH's GC profiler instead
 * (BENCHMARKS.md): it depends on the JIT eliminating vector boxes.
 */
class SteadyStateAllocationTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void scalarStepAllocatesNothingPerEvent(Arch arch) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SsmModel model = RandomModels.create(arch, 2, 16, 2, 8, true, 1);
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(model);
        float[] values = {1, 2};
        float[] mean = new float[2];
        float[] std = new float[2];
        float[] taus = {1f, 0.5f, 3f, 0f};
        // the warm-up sees the measurement's inputs and is long enough for the JIT to have compiled the step: run
        // on its own with 1,000 events, the first arch's step allocated once (344 bytes) on its way to compiled code
        for (int i = 0; i < 20_000; i++) {
            values[0] = i % 17;
            runner.step(state, values, taus[i & 3], mean, std);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 5000; i++) {
            values[0] = i % 17;
            runner.step(state, values, taus[i & 3], mean, std);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 5000 steps");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void scalarBatchedStepAllocatesNothingPerEvent(Arch arch) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SsmModel model = RandomModels.create(arch, 2, 16, 2, 8, true, 1);
        int batch = 5;
        SsmBatchRunner runner = new SsmBatchRunner(model, KernelOpsProvider.scalar(), batch);
        StreamState[] states = new StreamState[batch];
        for (int b = 0; b < batch; b++) {
            states[b] = StreamState.zeros(model);
        }
        float[] values = new float[2 * batch];
        float[] means = new float[2 * batch];
        float[] stds = new float[2 * batch];
        float[] taus = {1f, 0.5f, 3f, 0f, 1f};
        for (int i = 0; i < 5000; i++) { // as above: a warm-up with the measurement's inputs
            values[i % values.length] = i % 17;
            runner.step(batch, states, values, taus, means, stds);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1000; i++) {
            values[i % values.length] = i % 17;
            runner.step(batch, states, values, taus, means, stds);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, allocated, "bytes allocated by 1000 batched steps");
    }
}
