package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InitCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Arch.class)
    void writesLoadableModelOfEachArchWithTheRequestedSizes(Arch arch) {
        Path out = dir.resolve(arch.configName() + ".safetensors");
        CliRun run = CliRun.plain("init", "--arch", arch.configName(), "--d-input", "3", "--d-model", "8",
                "--n-layers", "3", "--d-state", "4", "--dt-unit-ms", "250", "--time-aware", "false", "--seed", "5",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        SsmModel model = SsmModel.load(out);
        ModelConfig c = model.config();
        assertEquals(arch, c.arch());
        assertEquals(3, c.dInput());
        assertEquals(8, c.dModel());
        assertEquals(3, c.nLayers());
        assertEquals(4, c.dState());
        assertEquals(250.0, c.dtUnitMs());
        assertFalse(c.timeAware());
        assertArrayEquals(new float[] {0, 0, 0}, c.inputMean());
        assertArrayEquals(new float[] {1, 1, 1}, c.inputStd());
        long parameters = model.tensors().values().stream().mapToLong(t -> Tensor.elementCount(t.shape())).sum();
        assertEquals(1, run.outLines().size(), run::toString);
        String line = run.outLines().get(0);
        assertTrue(line.startsWith("wrote " + out + ": " + arch.configName() + " d_input=3 d_model=8 n_layers=3 d_state=4"),
                line);
        assertTrue(line.contains(parameters + " parameters"), line);
    }

    @Test
    void mambaOptionsAndNormalisationAreWritten() {
        Path out = dir.resolve("m.safetensors");
        CliRun run = CliRun.plain("init", "--arch", "MAMBA", "--d-input", "2", "--d-model", "16", "--expand", "3",
                "--d-conv", "2", "--dt-rank", "5", "--input-mean", "70.5,-1", "--input-std", "4.25,0.5",
                "--out", out.toString());
        assertEquals(0, run.exitCode(), run::toString);
        ModelConfig c = SsmModel.load(out).config();
        assertEquals(3, c.expand());
        assertEquals(2, c.dConv());
        assertEquals(5, c.dtRank());
        assertEquals(2, c.nLayers(), "default n_layers");
        assertEquals(16, c.dState(), "default d_state");
        assertEquals(1000.0, c.dtUnitMs(), "default dt_unit_ms");
        assertTrue(c.timeAware(), "default time_aware");
        assertArrayEquals(new float[] {70.5f, -1f}, c.inputMean());
        assertArrayEquals(new float[] {4.25f, 0.5f}, c.inputStd());
    }

    @Test
    void sameSeedGivesTheSameFileAndAnotherSeedAnotherModel() throws IOException {
        String[] common = {"init", "--arch", "lru", "--d-input", "1", "--d-model", "4", "--d-state", "4"};
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        Path c = dir.resolve("c.safetensors");
        assertEquals(0, CliRun.plain(concat(common, "--seed", "3", "--out", a.toString())).exitCode());
        assertEquals(0, CliRun.plain(concat(common, "--seed", "3", "--out", b.toString())).exitCode());
        assertEquals(0, CliRun.plain(concat(common, "--seed", "4", "--out", c.toString())).exitCode());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
    }

    @Test
    void wrongNumberOfNormalisationValuesIsAUserError() {
        Path out = dir.resolve("m.safetensors");
        CliRun run = CliRun.plain("init", "--arch", "s4d", "--d-input", "2", "--input-std", "1,2,3",
                "--out", out.toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("ssm-stream: error: input_std has 3 values but d_input is 2"), run::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void invalidConfigIsAUserError() {
        CliRun run = CliRun.plain("init", "--arch", "s4d", "--d-input", "1", "--d-state", "5",
                "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("even d_state"), run::toString);
        CliRun negative = CliRun.plain("init", "--arch", "lru", "--d-input", "0",
                "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, negative.exitCode(), negative::toString);
        assertTrue(negative.err().contains("d_input must be positive"), negative::toString);
        CliRun belowZero = CliRun.main("init", "--arch", "s4d", "--d-input", "-1",
                "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, belowZero.exitCode(), belowZero::toString);
        assertTrue(belowZero.err().contains("d_input must be positive"), belowZero::toString);
        CliRun huge = CliRun.main("init", "--arch", "mamba", "--d-input", "1", "--d-model", "65536",
                "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, huge.exitCode(), huge::toString);
        assertTrue(huge.err().contains("the model is too large"), huge::toString);
        assertFalse(Files.exists(dir.resolve("m.safetensors")));
    }

    @Test
    void unknownArchIsOneLineWithExitTwo() {
        CliRun run = CliRun.main("init", "--arch", "transformer", "--d-input", "1",
                "--out", dir.resolve("m.safetensors").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().toLowerCase(Locale.ROOT).contains("unknown arch \"transformer\""), run::toString);
    }

    @Test
    void existingFileIsKeptUnlessForced() throws IOException {
        Path out = dir.resolve("m.safetensors");
        Files.writeString(out, "trained model");
        CliRun refused = CliRun.plain("init", "--arch", "lru", "--d-input", "1", "--out", out.toString());
        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("--force"), refused::toString);
        assertEquals("trained model", Files.readString(out));
        CliRun forced = CliRun.plain("init", "--arch", "lru", "--d-input", "1", "--out", out.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced::toString);
        assertEquals(Arch.LRU, SsmModel.load(out).config().arch());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
