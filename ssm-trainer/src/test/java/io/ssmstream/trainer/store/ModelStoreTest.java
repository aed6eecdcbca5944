package io.ssmstream.trainer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.json.ModelUpdateJson;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.trainer.TrainingDataException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path dir;

    static SsmModel model(String version, long seed) {
        ModelConfig config = ModelConfig.builder(Arch.LRU, 2).dModel(8).nLayers(1).dState(4).dtUnitMs(500)
                .inputMean(new float[] {1, 2}).inputStd(new float[] {3, 4}).build();
        SsmModel m = ModelInitializer.initialize(config, seed);
        return SsmModel.of(config, m.tensors(), Map.of("ssm_stream.version", version));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheModelUnderItsNameAndVersionWithTheFilesChecksumAndConfig() throws Exception {
        ModelStore store = ModelStore.open(dir.resolve("models").toString());
        SsmModel model = model("v1", 1);
        StoredModel s = store.write("pumps", model);

        Path file = dir.resolve("models/pumps/v1.safetensors");
        assertTrue(Files.isRegularFile(file));
        assertEquals(URI.create("file://" + file.toAbsolutePath()), s.uri());
        assertEquals(file.toAbsolutePath(), Path.of(s.uri()));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(sha256(bytes), s.sha256());
        assertEquals(bytes.length, s.bytes());
        assertEquals(List.of("v1.safetensors"), names(file.getParent()), "no temporary file is left");

        SsmModel loaded = SsmModel.load(file);
        assertEquals(model.config().toJson(), loaded.config().toJson());
        assertEquals(loaded.config().toJson(), ModelConfig.fromJson(s.configJson(), "update").toJson());

        ModelUpdate update = ModelUpdateJson.parse(ModelUpdateJson.toBytes(s.toUpdate(1234L)));
        assertEquals("pumps", update.modelName);
        assertEquals("v1", update.version);
        assertEquals(s.uri().toString(), update.uri);
        assertEquals(s.sha256(), update.sha256);
        assertEquals(1234L, update.publishedAt);
        assertEquals(2, ModelConfig.fromJson(update.configJson, "update").dInput());
    }

    @Test
    void aStoredVersionIsNeverOverwritten() throws Exception {
        ModelStore store = ModelStore.open(dir.toString());
        StoredModel first = store.write("default", model("v1", 1));
        byte[] before = Files.readAllBytes(Path.of(first.uri()));

        TrainingDataException e = assertThrows(TrainingDataException.class,
                () -> store.write("default", model("v1", 2)));
        assertTrue(e.getMessage().contains("v1.safetensors exists"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(Path.of(first.uri())));
        assertEquals(List.of("v1.safetensors"), names(dir.resolve("default")));

        StoredModel second = store.write("default", model("v2", 2));
        assertEquals(List.of("v1.safetensors", "v2.safetensors"), names(dir.resolve("default")));
        assertTrue(!first.sha256().equals(second.sha256()), "different weights, different checksums");
    }

    @Test
    void aFlinkFileSystemUriWorksAndLatestIsTheNewestVersion() throws Exception {
        ModelStore store = ModelStore.open("file://" + dir.toAbsolutePath() + "/uri-store");
        assertNull(store.latest("default"));
        StoredModel v1 = store.write("default", model("v1", 1));
        Files.setLastModifiedTime(Path.of(v1.uri()), java.nio.file.attribute.FileTime.fromMillis(1_000_000L));
        StoredModel v2 = store.write("default", model("v2", 2));

        assertTrue(Files.isRegularFile(dir.resolve("uri-store/default/v2.safetensors")));
        byte[] read = store.read(v2.uri());
        assertEquals(v2.sha256(), sha256(read));
        assertEquals(v2.uri(), store.latest("default"));
        assertNull(store.latest("other"));
    }

    @Test
    void namesThatAreNotPlainPathSegmentsAreRejected() {
        ModelStore store = ModelStore.open(dir.toString());
        for (String bad : new String[] {"../escape", ".hidden", "a/b", ""}) {
            TrainingDataException e = assertThrows(TrainingDataException.class, () -> store.write(bad, model("v1", 1)));
            assertTrue(e.getMessage().contains("model name"), e.getMessage());
        }
        TrainingDataException e = assertThrows(TrainingDataException.class,
                () -> store.write("ok", model("v1/../../x", 1)));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
        assertThrows(TrainingDataException.class, () -> ModelStore.open("nosuchscheme://bucket/models"));
    }
}
