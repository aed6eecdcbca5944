package io.ssmstream.operators.swap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.swap.RejectedUpdateException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFetcherTest {
    private static final SsmModel LRU = RandomModels.create(Arch.LRU, 1, 8, 2, 4, true, 11);
    private final ModelFetcher fetcher = new ModelFetcher(1);

    @TempDir
    Path dir;

    private Reason rejection(ModelUpdate update) {
        RejectedUpdateException e = assertThrows(RejectedUpdateException.class, () -> fetcher.fetch(update));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        return e.reason();
    }

    @Test
    void aCorrectUpdateLoadsFromAFileUriOrAPlainPathWithTheUpdatesVersion() throws Exception {
        ModelUpdate update = ModelFiles.publish(LRU, dir, "v2");
        ModelArtifact model = fetcher.fetch(update);
        assertEquals("v2", model.version());
        assertArrayEquals(ModelFiles.bytes(LRU), model.bytes());
        update.uri = dir.resolve("v2.safetensors").toString();
        assertEquals(update.sha256, fetcher.fetch(update).sha256());
    }

    @Test
    void aMissingFileIsRejected() {
        ModelUpdate update = ModelFiles.publish(LRU, dir, "v2");
        update.uri = dir.resolve("gone.safetensors").toUri().toString();
        assertEquals(Reason.MISSING_FILE, rejection(update));
        update.uri = dir.toString();
        assertEquals(Reason.MISSING_FILE, rejection(update), "a directory is not a model file");
    }

    @Test
    void aWrongChecksumIsRejectedNamingBoth() {
        ModelUpdate update = ModelFiles.publish(LRU, dir, "v2");
        String announced = update.sha256;
        update.sha256 = "0".repeat(64);
        RejectedUpdateException e = assertThrows(RejectedUpdateException.class, () -> fetcher.fetch(update));
        assertEquals(Reason.CHECKSUM_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains(announced) && e.getMessage().contains(update.sha256), e.getMessage());
    }

    @Test
    void aCorruptFileWithAMatchingChecksumIsRejected() throws Exception {
        byte[] bytes = ModelFiles.bytes(LRU);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        Path file = dir.resolve("corrupt.safetensors");
        Files.write(file, truncated);
        ModelUpdate update = new ModelUpdate("default", "v3", file.toUri().toString(),
                ModelArtifact.sha256Hex(truncated), ModelFiles.configJson(LRU), 1L);
        assertEquals(Reason.CORRUPT_FILE, rejection(update));
    }

    @Test
    void aConfigThatIsNotTheFilesIsRejectedNamingTheKey() {
        ModelUpdate update = ModelFiles.publish(LRU, dir, "v2");
        update.configJson = update.configJson.replace("\"d_model\":8", "\"d_model\":16");
        RejectedUpdateException e = assertThrows(RejectedUpdateException.class, () -> fetcher.fetch(update));
        assertEquals(Reason.CONFIG_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("d_model: 8 vs 16"), e.getMessage());
    }

    @Test
    void numbersInTheConfigCompareByValue() throws Exception {
        assertEquals(null, ModelFetcher.configDifference("{\"dt_unit_ms\":1000.0,\"d\":1}", "{\"d\":1,\"dt_unit_ms\":1000}"));
        assertEquals("x: absent vs 1", ModelFetcher.configDifference("{}", "{\"x\":1}"));
    }

    @Test
    void aModelForAnotherInputWidthIsRejected() {
        SsmModel twoChannels = RandomModels.create(Arch.LRU, 2, 8, 1, 4, true, 12);
        assertEquals(Reason.D_INPUT_MISMATCH, rejection(ModelFiles.publish(twoChannels, dir, "wide")));
    }
}
