package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.swap.ModelFiles;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the scalar kernels (this class runs in a JVM of its own with {@code ssmstream.kernels=scalar}, see the
 * module's pom): a forecaster stepping the released streams 16 at a time emits exactly the records of one that
 * steps them one event at a time, over many streams with different numbers of events per watermark, out-of-order
 * arrivals, a stream back after more than a TTL, duplicates, and a model swap.
 */
class ScalarKernelsBatchedReleaseTest {
    private static final SsmModel V1 = RandomModels.withHorizonHead(
            RandomModels.create(Arch.MAMBA, 2, 16, 2, 4, true, 11), 4, 3, 11);
    private static final SsmModel V2 = RandomModels.create(Arch.LRU, 2, 16, 2, 8, true, 12);
    private static final int STREAMS = 41;

    @TempDir
    static Path dir;

    @BeforeAll
    static void theJvmRunsTheScalarKernels() {
        assertEquals("scalar", KernelOpsProvider.get().name(), "run with -D" + KernelOpsProvider.FORCE_PROPERTY
                + "=scalar (the module's pom does)");
    }

    @Test
    void batchedStepsEmitExactlyTheRecordsOfOneEventAtATime() throws Exception {
        List<ForecastRecord> batched = run(16);
        List<ForecastRecord> oneByOne = run(1);
        assertEquals(oneByOne.size(), batched.size(), "records");
        Map<String, List<ForecastRecord>> expected = byStream(oneByOne);
        Map<String, List<ForecastRecord>> actual = byStream(batched);
        assertEquals(expected.keySet(), actual.keySet());
        for (String stream : expected.keySet()) {
            assertEquals(expected.get(stream), actual.get(stream), "stream " + stream + ", in its time order");
        }
        assertTrue(batched.stream().anyMatch(r -> r.modelVersion.equals("v2")), "the swap happened");
        assertTrue(batched.stream().anyMatch(r -> r.horizon != null), "v1's direct forecasts are compared too");
        assertTrue(batched.stream().anyMatch(r -> r.stream.equals("s3") && r.events == 1 && r.ts > 16 * 60_000L),
                "the stream back after the TTL started over");
    }

    /** Every stream's records, in the order they left. */
    private static Map<String, List<ForecastRecord>> byStream(List<ForecastRecord> records) {
        return records.stream().collect(Collectors.groupingBy(r -> r.stream, LinkedHashMap::new,
                Collectors.toList()));
    }

    /** The same input through a forecaster stepping {@code batchStreams} streams together. */
    private static List<ForecastRecord> run(int batchStreams) throws Exception {
        Random random = new Random(5);
        List<ForecastRecord> out = new ArrayList<>();
        SsmForecastFunction function = new SsmForecastFunction(ModelArtifact.fromBytes(ModelFiles.bytes(V1), "v1"),
                ForecasterHarness.TTL, 0.99, SwapSettings.defaults(), batchStreams);
        try (KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> h =
                     ForecasterHarness.open(function)) {
            long watermark = 0;
            for (int tick = 1; tick <= 30; tick++) {
                long base = tick * 60_000L;
                if (tick == 20) {
                    h.processBroadcastElement(ModelFiles.publish(V2, dir, "v2"), 0);
                }
                for (int s = 0; s < STREAMS; s++) {
                    boolean away = s == 3 && tick >= 8 && tick < 16; // back after more than the TTL (1 h)
                    int events = away ? 0 : random.nextInt(4);
                    for (int e = events - 1; e >= 0; e--) { // newest first: applied in time order all the same
                        long ts = base + e * 7_000L + s * 10L + (tick >= 16 && s == 3 ? 3_600_000L : 0);
                        float[] values = {(float) (Math.sin(ts / 90_000.0 + s) * (s + 1)), (ts / 1000 + s) % 13};
                        h.processElement(new SensorEvent("s" + s, ts, values), ts);
                        if (e == 0 && s % 5 == 0) {
                            h.processElement(new SensorEvent("s" + s, ts, values), ts); // a duplicate
                        }
                    }
                }
                watermark = base + 30_000L;
                h.processWatermark(watermark);
                out.addAll(h.extractOutputValues());
                h.getOutput().clear();
            }
            h.processWatermark(Long.MAX_VALUE);
            out.addAll(h.extractOutputValues());
            assertEquals(0, h.numEventTimeTimers(), "timers");
        }
        return out;
    }
}
