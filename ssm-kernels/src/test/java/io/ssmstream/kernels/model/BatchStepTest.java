package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batched step ({@link SsmBatchRunner}) against the one-at-a-time step ({@link SsmRunner}) with the same
 * ops: every stream's forecasts and state, for every arch, scalar and vector, odd batch sizes and model sizes,
 * streams at different points of their histories, irregular time gaps, with a direct head.
 *
 * <p>Scalar: bit for bit. Vector: within 1e-6 relative, because the Vector API's exp and log1p are not the same
 * function in every JIT tier (the interpreter's fallback is StrictMath, compiled code a vector math library
 * within an ulp of it), and the two paths reach compiled code at different events; the same holds between two
 * runs of the one-at-a-time vector step.
 */
class BatchStepTest {
    private static final int EVENTS = 40;

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (Arch arch : Arch.values()) {
            for (KernelOps ops : new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()}) {
                cases.add(Arguments.of(arch, ops, 1, 16, false));
                cases.add(Arguments.of(arch, ops, 7, 17, true));
                cases.add(Arguments.of(arch, ops, 17, 32, true));
            }
        }
        return cases.build();
    }

    @ParameterizedTest(name = "{0} {1} batch {2} d_model {3} time-aware {4}")
    @MethodSource("cases")
    void batchedStepGivesEveryStreamTheBitsOfItsOwnStep(Arch arch, KernelOps ops, int batch, int dModel,
                                                        boolean timeAware) {
        SsmModel model = RandomModels.withHorizonHead(
                RandomModels.create(arch, 3, dModel, 2, 8, timeAware, dModel), 5, 3, dModel);
        int dInput = model.config().dInput();
        SsmRunner single = new SsmRunner(model, ops);
        SsmBatchRunner batched = new SsmBatchRunner(model, ops, batch);
        float[][] series = RandomModels.series(model.config(), EVENTS + batch, batch);
        float[] taus = RandomModels.irregularTaus(EVENTS + batch, batch);
        StreamState[] alone = new StreamState[batch];
        StreamState[] together = new StreamState[batch];
        float[] mean = new float[dInput];
        float[] std = new float[dInput];
        for (int b = 0; b < batch; b++) {
            alone[b] = StreamState.zeros(model);
            for (int i = 0; i < b; i++) { // stream b has seen b events: the streams are at different points
                single.step(alone[b], series[i], taus[i], mean, std);
            }
            together[b] = alone[b].copy();
        }
        float[] values = new float[batch * dInput];
        float[] batchTaus = new float[batch];
        float[] means = new float[batch * dInput];
        float[] stds = new float[batch * dInput];
        float[] horizonAlone = new float[model.config().horizon() * dInput];
        float[] horizonTogether = new float[horizonAlone.length];
        for (int event = 0; event < EVENTS; event++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(series[event + b], 0, values, b * dInput, dInput);
                batchTaus[b] = taus[event + b];
            }
            batched.step(batch, together, values, batchTaus, means, stds);
            for (int b = 0; b < batch; b++) {
                single.step(alone[b], series[event + b], taus[event + b], mean, std);
                String where = arch + " stream " + b + " event " + event;
                boolean exact = "scalar".equals(ops.name());
                assertSame(mean, 0, means, b * dInput, dInput, exact, where + " mean");
                assertSame(std, 0, stds, b * dInput, dInput, exact, where + " std");
                float[] expected = alone[b].floats();
                assertSame(expected, 0, together[b].floats(), 0, expected.length, exact, where + " state");
                assertEquals(alone[b].events(), together[b].events(), where + ": event count");
                single.forecastHorizon(alone[b], horizonAlone);
                single.forecastHorizon(together[b], horizonTogether);
                assertSame(horizonAlone, 0, horizonTogether, 0, horizonAlone.length, exact, where + " horizon");
            }
        }
        assertEquals(EVENTS, together[0].events(), "each step counts one event");
    }

    /**
     * Bit for bit when {@code exact}, else each element within 1e-6 of the block's largest magnitude (see the
     * class comment): a state element near zero is a sum of terms of the block's scale.
     */
    private static void assertSame(float[] expected, int eOff, float[] actual, int aOff, int n, boolean exact,
                                   String what) {
        float scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(expected[eOff + i]));
        }
        for (int i = 0; i < n; i++) {
            float e = expected[eOff + i];
            float a = actual[aOff + i];
            if (exact) {
                assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(a), what + "[" + i + "]");
            } else {
                assertTrue(Math.abs(e - a) <= 1e-6f * scale,
                        what + "[" + i + "]: alone " + e + ", batched " + a);
            }
        }
    }

    @Test
    void batchOutsideItsBoundsIsRejectedWithTheBounds() {
        SsmModel model = RandomModels.create(Arch.MAMBA, 1, 8, 1, 4, false, 1);
        SsmBatchRunner runner = new SsmBatchRunner(model, KernelOpsProvider.scalar(), 4);
        StreamState[] states = {StreamState.zeros(model)};
        float[] one = new float[5];
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> runner.step(5, states, one, one, one, one));
        assertEquals("batch must be in [1, 4], got 5", tooMany.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new SsmBatchRunner(model, KernelOpsProvider.scalar(), 0));
        assertEquals("maxBatch must be at least 1, got 0", none.getMessage());
    }
}
