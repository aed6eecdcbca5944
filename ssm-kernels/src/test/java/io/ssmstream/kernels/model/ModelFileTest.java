package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Model format v1 round trips, and every way a model file can be wrong gives a message naming it. */
class ModelFileTest {

    private static SsmModel small(Arch arch) {
        ModelConfig config = ModelConfig.builder(arch, 2).dModel(8).nLayers(2).dState(4)
                .inputMean(new float[] {1, 2}).inputStd(new float[] {3, 4})
                .extra("note", TextNode.valueOf("kept")).build();
        return ModelInitializer.initialize(config, 3);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void savedModelLoadsWithSameConfigTensorsAndForecasts(Arch arch, @TempDir Path dir) throws IOException {
        SsmModel model = small(arch);
        Path path = dir.resolve("m.safetensors");
        model.save(path);
        SsmModel back = SsmModel.load(path);
        assertEquals(model.config().toJson(), back.config().toJson());
        assertEquals("kept", back.config().extra().get("note").asText());
        assertEquals(model.tensors(), back.tensors());
        float[] m1 = new float[2];
        float[] s1 = new float[2];
        float[] m2 = new float[2];
        float[] s2 = new float[2];
        new SsmRunner(model, KernelOpsProvider.scalar()).step(StreamState.zeros(model), new float[] {5, 6}, 1f, m1, s1);
        new SsmRunner(back, KernelOpsProvider.scalar()).step(StreamState.zeros(back), new float[] {5, 6}, 1f, m2, s2);
        assertArrayEquals(m1, m2);
        assertArrayEquals(s1, s2);
    }

    @Test
    void savedFileKeepsTheTensorOrderSoTheSameModelGivesTheSameBytes(@TempDir Path dir) throws IOException {
        SsmModel model = small(Arch.MAMBA);
        Path path = dir.resolve("m.safetensors");
        model.save(path);
        assertEquals(java.util.List.copyOf(model.tensors().keySet()),
                java.util.List.copyOf(SafetensorsFile.read(path).tensors().keySet()));
        Path again = dir.resolve("again.safetensors");
        SsmModel.load(path).save(again);
        assertArrayEquals(java.nio.file.Files.readAllBytes(path), java.nio.file.Files.readAllBytes(again));
        assertEquals(java.util.List.of("again.safetensors", "m.safetensors"),
                java.nio.file.Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList(),
                "no temporary files are left behind");
    }

    private static String loadFailure(Map<String, Tensor> tensors, String configJson) {
        Map<String, String> meta = new LinkedHashMap<>();
        if (configJson != null) {
            meta.put(ModelConfig.METADATA_KEY, configJson);
        }
        SafetensorsFile file = new SafetensorsFile(tensors, meta);
        return assertThrows(ModelFormatException.class, () -> SsmModel.fromFile(file, "m.safetensors")).getMessage();
    }

    @Test
    void missingTensorIsNamed() {
        SsmModel model = small(Arch.MAMBA);
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.tensors());
        tensors.remove("layers.1.mixer.A_log");
        String message = loadFailure(tensors, model.config().toJson());
        assertTrue(message.contains("m.safetensors") && message.contains("missing tensor layers.1.mixer.A_log"), message);
    }

    @Test
    void wrongShapeNamesTensorAndBothShapes() {
        SsmModel model = small(Arch.S4D);
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.tensors());
        tensors.put("layers.0.mixer.D", new Tensor("layers.0.mixer.D", new int[] {9}, new float[9]));
        String message = loadFailure(tensors, model.config().toJson());
        assertTrue(message.contains("layers.0.mixer.D") && message.contains("[9]") && message.contains("[8]"), message);
    }

    @Test
    void nonFiniteWeightIsRefused() {
        SsmModel model = small(Arch.LRU);
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.tensors());
        float[] d = new float[8];
        d[5] = Float.NaN;
        tensors.put("layers.0.mixer.D", new Tensor("layers.0.mixer.D", new int[] {8}, d));
        String message = loadFailure(tensors, model.config().toJson());
        assertTrue(message.contains("layers.0.mixer.D") && message.contains("NaN"), message);
    }

    @Test
    void badConfigsNameTheKey() {
        Map<String, Tensor> tensors = small(Arch.LRU).tensors();
        assertTrue(loadFailure(tensors, null).contains("not an ssm-stream model"));
        assertTrue(loadFailure(tensors, "{").contains("not valid JSON"));
        assertTrue(loadFailure(tensors, "{\"arch\":\"rnn\"}").contains("unknown arch \"rnn\""));
        String base = "\"arch\":\"lru\",\"d_input\":2,\"d_model\":8,\"n_layers\":2,\"d_state\":4,\"dt_unit_ms\":1000,"
                + "\"time_aware\":true";
        assertTrue(loadFailure(tensors, "{" + base + "}").contains("missing key \"input_mean\""));
        assertTrue(loadFailure(tensors, "{" + base + ",\"input_mean\":[0],\"input_std\":[1,1]}")
                .contains("input_mean has 1 values but d_input is 2"));
        assertTrue(loadFailure(tensors, "{" + base + ",\"input_mean\":[0,0],\"input_std\":[1,0]}")
                .contains("input_std[1] must be positive"));
        assertTrue(loadFailure(tensors, "{" + base.replace("\"d_model\":8", "\"d_model\":\"8\"")
                + ",\"input_mean\":[0,0],\"input_std\":[1,1]}").contains("\"d_model\" must be an integer"));
        assertTrue(loadFailure(tensors, "{" + base.replace("\"lru\"", "\"s4d\"").replace("\"d_state\":4", "\"d_state\":5")
                + ",\"input_mean\":[0,0],\"input_std\":[1,1]}").contains("even d_state"));
    }

    @Test
    void unknownConfigKeysAreKeptAndIgnored() {
        String json = "{\"arch\":\"mamba\",\"d_input\":1,\"d_model\":4,\"n_layers\":1,\"d_state\":2,\"expand\":2,"
                + "\"d_conv\":4,\"dt_rank\":1,\"dt_unit_ms\":60000.0,\"time_aware\":false,\"input_mean\":[0.5],"
                + "\"input_std\":[2.0],\"trained_by\":{\"tool\":\"pytorch\"}}";
        ModelConfig config = ModelConfig.fromJson(json, "m");
        assertEquals("pytorch", config.extra().get("trained_by").get("tool").asText());
        assertTrue(config.toJson().contains("\"trained_by\":{\"tool\":\"pytorch\"}"));
        assertEquals(60000.0, config.dtUnitMs());
    }

    @Test
    void builderRejectsBadValuesSayingWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder(Arch.MAMBA, 1).dModel(0).build());
        assertTrue(e.getMessage().contains("d_model must be positive, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.builder(Arch.LRU, 1).dtUnitMs(-1).build());
        assertTrue(e.getMessage().contains("dt_unit_ms"), e.getMessage());
    }
}
