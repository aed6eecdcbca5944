package io.ssmstream.benchmarks.pipeline;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * This JVM's CPU time (all threads: job, broker, clients, JIT, GC), sampled every {@link #PERIOD_MS} ms while
 * a run lasts, so that the CPU spent in a part of the run (the measured window, known only from the output
 * afterwards) can be read back: {@link #cpuNanosBetween}.
 */
final class CpuTimeline extends PeriodicSampler {
    static final long PERIOD_MS = 100;
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long[] wallMs = new long[1024];
    private long[] cpuNanos = new long[1024];
    private int count;

    CpuTimeline() {
        super("cpu-timeline", PERIOD_MS);
        start();
    }

    @Override
    protected synchronized void sample() {
        if (count == wallMs.length) {
            wallMs = Arrays.copyOf(wallMs, 2 * count);
            cpuNanos = Arrays.copyOf(cpuNanos, 2 * count);
        }
        wallMs[count] = System.currentTimeMillis();
        cpuNanos[count] = PROCESS.getProcessCpuTime();
        count++;
    }

    /** CPU time between two wall-clock instants (epoch ms), interpolated linearly between samples. */
    synchronized long cpuNanosBetween(long fromMs, long toMs) {
        return cpuAt(toMs) - cpuAt(fromMs);
    }

    private long cpuAt(long ms) {
        if (ms <= wallMs[0]) {
            return cpuNanos[0];
        }
        for (int i = 1; i < count; i++) {
            if (ms <= wallMs[i]) {
                long span = Math.max(1, wallMs[i] - wallMs[i - 1]);
                return cpuNanos[i - 1] + (cpuNanos[i] - cpuNanos[i - 1]) * (ms - wallMs[i - 1]) / span;
            }
        }
        return cpuNanos[count - 1];
    }
}
