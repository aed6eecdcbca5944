package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.swap.ModelFiles;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Model updates through the forecaster in Flink's keyed-broadcast operator harness. */
class ModelSwapTest {
    private static final SsmModel V1 = RandomModels.create(Arch.MAMBA, 1, 8, 1, 4, true, 3);
    private static final SsmModel V2 = RandomModels.create(Arch.LRU, 1, 8, 2, 4, true, 4);
    private static final ModelArtifact ARTIFACT_V1 = ModelArtifact.fromBytes(ModelFiles.bytes(V1), "v1", "v1");
    private static final int WINDOW = 8;
    private static final SwapSettings SWAP = new SwapSettings("default", WINDOW);

    @TempDir
    Path dir;

    private static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> harness(
            OperatorSubtaskState restore) throws Exception {
        return ForecasterHarness.open(ARTIFACT_V1, SWAP, restore);
    }

    private static float value(int i) {
        return (float) (50 + 10 * Math.sin(i * 0.4));
    }

    /** Events {@code from..to-1} of {@code stream}, one a second, each released by the watermark. */
    private static void feed(KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> h,
                             String stream, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            tick(h, i, stream);
        }
    }

    /** Event {@code i} (at second i + 1) of each of {@code streams}, then the watermark at its time. */
    private static void tick(KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> h,
                             int i, String... streams) throws Exception {
        long ts = 1000L * (i + 1);
        for (String stream : streams) {
            h.processElement(ForecasterHarness.event(stream, ts, value(i)), ts);
        }
        h.processWatermark(ts);
    }

    /** The forecast after events {@code from..to-1} through {@code model} from a fresh state. */
    private static float[] replay(SsmModel model, int from, int to) {
        return replay(model, java.util.stream.IntStream.range(from, to).toArray());
    }

    private static float[] replay(SsmModel model, int... events) {
        StreamForecaster f = new StreamForecaster(model, KernelOpsProvider.get(), new GaussianTailScorer());
        ForecasterState s = f.newState();
        for (int i : events) {
            f.step(s, 1000L * (i + 1) * 1000L, new float[] {value(i)});
        }
        return s.forecastMean();
    }

    private static ForecastRecord last(KeyedBroadcastOperatorTestHarness<?, ?, ?, ForecastRecord> h) {
        List<ForecastRecord> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void afterASwapEachStreamForecastsAsAFreshReplayOfItsWindowAndEventThroughTheNewModel() throws Exception {
        try (var h = harness(null)) {
            for (int i = 0; i < 20; i++) {
                tick(h, i, i < 3 ? new String[] {"a", "b"} : new String[] {"a"});
            }
            assertEquals("v1", last(h).modelVersion);
            h.processBroadcastElement(ModelFiles.publish(V2, dir, "v2"), 0);

            tick(h, 20, "a", "b");
            List<ForecastRecord> out = h.extractOutputValues();
            ForecastRecord a = out.stream().filter(r -> r.stream.equals("a") && r.ts == 21_000).findFirst().get();
            ForecastRecord b = out.stream().filter(r -> r.stream.equals("b") && r.ts == 21_000).findFirst().get();
            assertEquals("v2", a.modelVersion);
            assertArrayEquals(replay(V2, 20 - WINDOW, 21), a.forecast, "the window (events 12..19) + event 20, through v2");
            assertEquals(21, a.events, "the stream's event count goes on");
            assertEquals("v2", b.modelVersion);
            assertArrayEquals(replay(V2, 0, 1, 2, 20), b.forecast, "a stream with fewer events than the window");
            assertEquals(List.of("v1"), out.stream().filter(r -> r.ts < 21_000).map(r -> r.modelVersion).distinct()
                    .toList(), "events applied before the switch");

            feed(h, "a", 21, 25);
            assertArrayEquals(replay(V2, 20 - WINDOW, 25), last(h).forecast, "and it goes on with v2");
        }
    }

    /** The same swap from the Mamba model to a model of every arch: the state is rebuilt in the new layout. */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void aSwapToAModelOfAnyArchRebuildsTheStateFromTheWindow(Arch arch) throws Exception {
        SsmModel next = RandomModels.create(arch, 1, 8, 2, arch.pairsStates() ? 4 : 5, true, 7);
        try (var h = harness(null)) {
            feed(h, "a", 0, 12);
            h.processBroadcastElement(ModelFiles.publish(next, dir, arch.configName()), 0);
            feed(h, "a", 12, 16);
            ForecastRecord after = last(h);
            assertEquals(arch.configName(), after.modelVersion);
            assertArrayEquals(replay(next, 12 - WINDOW, 16), after.forecast, arch + ": window + events since");
        }
    }

    static Stream<Arguments> badUpdates() {
        return Stream.of(
                Arguments.of("missing file", (Consumer<ModelUpdate>) u -> u.uri = u.uri + ".gone"),
                Arguments.of("wrong checksum", (Consumer<ModelUpdate>) u -> u.sha256 = "0".repeat(64)),
                Arguments.of("config mismatch", (Consumer<ModelUpdate>) u ->
                        u.configJson = u.configJson.replace("\"n_layers\":2", "\"n_layers\":3")),
                Arguments.of("corrupt file", (Consumer<ModelUpdate>) ModelSwapTest::corrupt),
                Arguments.of("wrong d_input", (Consumer<ModelUpdate>) ModelSwapTest::twoChannels));
    }

    private static void corrupt(ModelUpdate u) {
        try {
            Path file = Path.of(java.net.URI.create(u.uri));
            byte[] bytes = Files.readAllBytes(file);
            byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 7);
            Files.write(file, cut);
            u.sha256 = ModelArtifact.sha256Hex(cut);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void twoChannels(ModelUpdate u) {
        ModelUpdate wide = ModelFiles.publish(RandomModels.create(Arch.LRU, 2, 8, 2, 4, true, 6),
                Path.of(java.net.URI.create(u.uri)).getParent(), "wide");
        u.uri = wide.uri;
        u.sha256 = wide.sha256;
        u.configJson = wide.configJson;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUpdates")
    void aBadUpdateIsRejectedAndTheOldModelKeepsRunningUntouched(String name, Consumer<ModelUpdate> spoil)
            throws Exception {
        try (var h = harness(null)) {
            feed(h, "a", 0, 10);
            ModelUpdate bad = ModelFiles.publish(V2, dir, "v2");
            spoil.accept(bad);
            h.processBroadcastElement(bad, 0);
            feed(h, "a", 10, 12);
            ForecastRecord a = last(h);
            assertEquals("v1", a.modelVersion);
            assertArrayEquals(replay(V1, 0, 12), a.forecast, "as if no update had come");
            assertFalse(h.getBroadcastState(SsmForecastFunction.ACCEPTED_MODEL_STATE).entries().iterator().hasNext(),
                    "nothing accepted");
        }
    }

    @Test
    void updatesForAnotherModelNameAreIgnored() throws Exception {
        try (var h = harness(null)) {
            feed(h, "a", 0, 5);
            ModelUpdate other = ModelFiles.publish(V2, dir, "v2");
            other.modelName = "pumps";
            h.processBroadcastElement(other, 0);
            feed(h, "a", 5, 6);
            assertEquals("v1", last(h).modelVersion);
            assertArrayEquals(replay(V1, 0, 6), last(h).forecast);
        }
    }

    @Test
    void theAcceptedModelSurvivesARestoreFromACheckpoint() throws Exception {
        float[] uninterrupted;
        try (var h = harness(null)) {
            feed(h, "a", 0, 12);
            h.processBroadcastElement(ModelFiles.publish(V2, dir, "v2"), 0);
            feed(h, "a", 12, 16);
            uninterrupted = last(h).forecast;
        }
        OperatorSubtaskState snapshot;
        try (var h = harness(null)) {
            feed(h, "a", 0, 12);
            h.processBroadcastElement(ModelFiles.publish(V2, dir, "v2"), 0);
            feed(h, "a", 12, 14);
            snapshot = h.snapshot(1, 1);
        }
        Files.delete(dir.resolve("v2.safetensors")); // the restored job must not need the file
        try (var h = harness(snapshot)) {
            feed(h, "a", 14, 16);
            assertEquals("v2", last(h).modelVersion);
            assertArrayEquals(uninterrupted, last(h).forecast);
        }
    }

    @Test
    void aSwappedStreamLeavesNoStateAndNoTimersAfterItsTtl() throws Exception {
        try (var h = harness(null)) {
            feed(h, "a", 0, 10);
            h.processBroadcastElement(ModelFiles.publish(V2, dir, "v2"), 0);
            feed(h, "a", 10, 11);
            assertEquals("v2", last(h).modelVersion);
            long firstWatermark = 1000;
            // The first sweep (due a TTL after the first watermark), more than a TTL after the stream's last event.
            h.processWatermark(firstWatermark + 2 * ForecasterHarness.TTL.toMillis());
            assertEquals(0, ForecasterHarness.numKeyedStateEntries(h));
            assertEquals(0, h.numProcessingTimeTimers());
            assertEquals(0, h.numEventTimeTimers());
        }
    }
}
