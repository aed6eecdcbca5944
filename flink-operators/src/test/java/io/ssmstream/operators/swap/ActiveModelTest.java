package io.ssmstream.operators.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActiveModelTest {
    private static final SsmModel V1 = RandomModels.create(Arch.MAMBA, 1, 8, 1, 4, true, 3);
    private static final SsmModel V2 = RandomModels.create(Arch.LRU, 1, 8, 2, 4, true, 4);

    @TempDir
    Path dir;

    private final RecordingMetricGroup group = new RecordingMetricGroup();

    private ActiveModel active() {
        return new ActiveModel(ModelArtifact.fromBytes(ModelFiles.bytes(V1), "v1", "v1"), new SwapSettings("default", 4),
                KernelOpsProvider.scalar(), new GaussianTailScorer(), new ModelFetcher(1), new SwapMetrics(group));
    }

    @Test
    void everyKindOfBadUpdateIsCountedAndKeepsTheOldModel() throws Exception {
        ActiveModel active = active();
        List<Consumer<ModelUpdate>> spoilers = List.of(
                u -> u.uri = dir.resolve("missing.safetensors").toString(),
                u -> u.sha256 = "f".repeat(64),
                u -> u.configJson = u.configJson.replace("\"arch\":\"lru\"", "\"arch\":\"s4d\""),
                u -> {
                    try {
                        byte[] flipped = Files.readAllBytes(Path.of(java.net.URI.create(u.uri)));
                        flipped[10] ^= 0x55; // inside the safetensors header
                        Files.write(Path.of(java.net.URI.create(u.uri)), flipped);
                        u.sha256 = ModelArtifact.sha256Hex(flipped);
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                u -> {
                    ModelUpdate wide = ModelFiles.publish(RandomModels.create(Arch.LRU, 3, 8, 1, 4, true, 5), dir, "w");
                    u.uri = wide.uri;
                    u.sha256 = wide.sha256;
                    u.configJson = wide.configJson;
                });
        for (int i = 0; i < spoilers.size(); i++) {
            ModelUpdate bad = ModelFiles.publish(V2, dir, "bad" + i);
            spoilers.get(i).accept(bad);
            assertNull(active.offer(bad), "update " + i);
            assertEquals(i + 1, group.count(SwapMetrics.REJECTED));
            assertEquals("v1", active.version());
        }
        assertEquals(0, group.count(SwapMetrics.ACCEPTED));
    }

    @Test
    void updatesForAnotherModelOrTheCurrentVersionAreIgnored() {
        ActiveModel active = active();
        ModelUpdate other = ModelFiles.publish(V2, dir, "v2");
        other.modelName = "pumps";
        assertNull(active.offer(other));
        ModelUpdate same = ModelFiles.publish(V2, dir, "v1");
        assertNull(active.offer(same));
        assertEquals("v1", active.version());
        assertEquals(0, group.count(SwapMetrics.REJECTED));
        assertEquals(0, group.count(SwapMetrics.ACCEPTED));
    }

    @Test
    void anAcceptedUpdateIsCurrentAtOnceAndStatesAreRebuiltOnceOnTheirNextUse() {
        ActiveModel active = active();
        ForecasterState state = active.stateFor(null);
        for (int i = 0; i < 6; i++) {
            active.forecaster().step(state, i * 1_000_000L, new float[] {i});
        }
        AcceptedModel accepted = active.offer(ModelFiles.publish(V2, dir, "v2"));
        assertNotNull(accepted);
        assertArrayEquals(ModelFiles.bytes(V2), accepted.bytes);
        assertEquals("v2", active.version());
        assertEquals(1, group.count(SwapMetrics.ACCEPTED));

        ForecasterState rebuilt = active.stateFor(state);
        assertEquals("v2", rebuilt.modelVersion());
        assertEquals(1, group.count(SwapMetrics.REBUILT));
        assertSame(rebuilt, active.stateFor(rebuilt), "a state of the current model is used as it is");
        assertEquals(1, group.count(SwapMetrics.REBUILT));
    }

    @Test
    void aStateOfUnknownVersionIsAdoptedWithAWindow() {
        ActiveModel active = active();
        ForecasterState old = active.forecaster().newState();
        active.forecaster().step(old, 0, new float[] {1});
        ForecasterState adopted = active.stateFor(old);
        assertEquals("v1", adopted.modelVersion());
        assertEquals(4, adopted.window().capacity());
        assertEquals(old.forecastMean()[0], adopted.forecastMean()[0]);
        assertEquals(0, group.count(SwapMetrics.REBUILT));
    }

    @Test
    void aRestoredModelRunsUnlessItNoLongerFitsTheInput() {
        ActiveModel active = active();
        ModelUpdate v2 = ModelFiles.publish(V2, dir, "v2");
        active.restore(new AcceptedModel(v2, ModelFiles.bytes(V2)));
        assertEquals("v2", active.version());

        ActiveModel other = active();
        SsmModel wide = RandomModels.create(Arch.LRU, 2, 8, 1, 4, true, 8);
        other.restore(new AcceptedModel(ModelFiles.publish(wide, dir, "wide"), ModelFiles.bytes(wide)));
        assertEquals("v1", other.version(), "a model for another d_input is not restored");
    }
}
