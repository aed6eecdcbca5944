package io.ssmstream.kernels.format;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.testing.Fuzz;
import io.ssmstream.kernels.testing.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Corrupted model files (the golden fixtures of every arch and dtype, mutated): loading one either gives a model
 * or a {@link ModelFormatException} whose message names the source, never another exception (an index out of
 * bounds, an out-of-memory for a huge declared size, a NaN weight let through).
 */
class ModelFileFuzzTest {
    private static final String SOURCE = "fuzzed.safetensors";

    @Test
    void aCorruptModelFileIsAModelFormatErrorNamingTheFileOrAValidModel() {
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("mamba-F32", "mamba-F64", "s4d-F16", "s4-F16", "lru-BF16", "s5-F32", "mamba2-F16", "lssl-F16", "spacetime-F16")) {
            seeds.add(fixture(name + ".safetensors"));
        }
        Fuzz.check(20261207, Fuzz.DEFAULT_TRIES, r -> Mutations.of(seeds, r), ModelFileFuzzTest::loadOrRefuse);
    }

    private static void loadOrRefuse(byte[] bytes) {
        SsmModel model;
        try {
            model = SsmModel.fromFile(SafetensorsFile.read(bytes, SOURCE), SOURCE);
        } catch (ModelFormatException e) {
            if (!e.getMessage().contains(SOURCE)) {
                throw new AssertionError("the message does not name the file: " + e.getMessage(), e);
            }
            return;
        }
        assertNotNull(model.config());
    }

    private static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Path.of(ModelFileFuzzTest.class.getResource("/fixtures/reference/" + name)
                    .toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
