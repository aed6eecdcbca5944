package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerCliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainerCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path csv(int n) throws IOException {
        Path f = dir.resolve("ar2.csv");
        Files.writeString(f, Ar2.csv(Ar2.series(n, 0.5, 9)));
        return f;
    }

    private static String[] small(String... more) {
        List<String> a = new ArrayList<>(Arrays.asList("train", "--d-model", "8", "--d-state", "4", "--epochs", "2",
                "--window", "64", "--batch-size", "8"));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    @Test
    void trainWritesAModelWithProvenanceMetadataAndFineTuningRecordsItsParent() throws IOException {
        Path input = csv(600);
        Path model = dir.resolve("m.safetensors");
        Run r = run(small("--input", input.toString(), "--arch", "lru", "--out", model.toString(), "--version", "v1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("device: cpu()"), r.err());
        assertTrue(r.err().contains("epoch 1/2") && r.err().contains("epoch 2/2") && r.err().contains("events/s")
                && r.err().contains("ETA"), r.err());
        String last = r.out().strip();
        assertFalse(last.contains("\n"), "one result line: " + r.out());
        assertTrue(last.startsWith("train loss ") && last.contains("validation loss") && last.contains("on cpu()"), last);

        SsmModel m = SsmModel.load(model);
        assertEquals(Arch.LRU, m.config().arch());
        assertEquals(1000.0, m.config().dtUnitMs(), 1e-9, "the median gap of the data");
        assertEquals(20f, m.config().inputMean()[0], 1f);
        assertEquals("v1", m.metadata().get("ssm_stream.version"));
        Instant.parse(m.metadata().get("trained_at"));
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), Instant.parse(m.metadata().get("data_from")));
        assertEquals(Instant.ofEpochSecond(1_700_000_000L + 539), Instant.parse(m.metadata().get("data_to")),
                "the last training event: the last 10% are held out for validation");
        assertTrue(Double.isFinite(Double.parseDouble(m.metadata().get("validation_loss"))));
        assertFalse(m.metadata().containsKey("parent_version"));

        Path tuned = dir.resolve("tuned.safetensors");
        Run t = run("train", "--input", input.toString(), "--init-from", model.toString(), "--epochs", "1",
                "--window", "64", "--out", tuned.toString());
        assertEquals(0, t.code(), t.err());
        SsmModel tm = SsmModel.load(tuned);
        assertEquals("v1", tm.metadata().get("parent_version"));
        assertTrue(tm.metadata().get("ssm_stream.version").matches("v\\d{8}T\\d{6}Z"), tm.metadata().toString());
        assertEquals(m.config().toJson(), tm.config().toJson(), "fine-tuning keeps the parent's config");
    }

    @Test
    void horizonGivesTheModelADirectHeadThatFineTuningRefits() throws IOException {
        Path input = csv(600);
        Path model = dir.resolve("h.safetensors");
        Run r = run(small("--input", input.toString(), "--arch", "s4d", "--out", model.toString(), "--horizon", "24",
                "--horizon-season", "12"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("direct head: 24 modes, 48 features, 316 equations"), r.err());
        SsmModel m = SsmModel.load(model);
        assertEquals(24, m.config().horizon());
        assertEquals(24, m.config().horizonModes(), "3 time scales × harmonics 0..6 of 12, and 3 decays");

        Path tuned = dir.resolve("h-tuned.safetensors");
        Run t = run("train", "--input", input.toString(), "--init-from", model.toString(), "--epochs", "1",
                "--window", "64", "--out", tuned.toString());
        assertEquals(0, t.code(), t.err());
        SsmModel tm = SsmModel.load(tuned);
        assertEquals(m.config().toJson(), tm.config().toJson());
        assertEquals(m.tensors().get("horizon.frequency"), tm.tensors().get("horizon.frequency"));
        assertTrue(t.err().contains("direct head: 24 modes"), t.err());

        Run bad = run(small("--input", input.toString(), "--out", dir.resolve("x.safetensors").toString(),
                "--horizon-season", "1"));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().strip().endsWith("\nssm-stream: error: --horizon-season must be 0 (none) or at least 2"
                + " steps, got 1"), bad.err());
    }

    @Test
    void userErrorsExitWithCodeTwoAndOneLine() throws IOException {
        Path input = csv(200);
        Path model = dir.resolve("m.safetensors");
        Files.writeString(model, "x");
        Run exists = run(small("--input", input.toString(), "--out", model.toString()));
        assertEquals(2, exists.code());
        assertTrue(exists.err().startsWith("ssm-stream: error: ") && exists.err().contains("--force"), exists.err());

        Path out = dir.resolve("new.safetensors");
        Run gpu = run(small("--input", input.toString(), "--out", out.toString(), "--device", "gpu"));
        assertEquals(2, gpu.code(), gpu.err());
        assertTrue(gpu.err().contains("no CUDA GPU"), gpu.err());

        Run arch = run(small("--input", input.toString(), "--out", out.toString(), "--arch", "rnn"));
        assertEquals(2, arch.code());
        assertTrue(arch.err().contains("--arch must be mamba, s4d, s4, lssl, lru, s5, mamba2 or spacetime"), arch.err());

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "t,v\n2000,1\n1000,2\n");
        Run back = run(small("--input", bad.toString(), "--out", out.toString()));
        assertEquals(2, back.code());
        assertTrue(back.err().contains("bad.csv:3"), back.err());

        Run huge = run("train", "--input", input.toString(), "--out", out.toString(), "--d-state", "100000",
                "--batch-size", "64", "--window", "1024", "--epochs", "1");
        assertEquals(2, huge.code(), huge.err());
        assertTrue(huge.err().contains("GB of recurrent state") && huge.err().contains("--d-state"), huge.err());

        Run missing = run("train", "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--input"), missing.err());
        assertFalse(Files.exists(out), "no model written on errors");
    }

    @Test
    void oneBadFileOfAFolderIsReportedAndTheModelIsTrainedOnTheOthers() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("streams"));
        Files.writeString(folder.resolve("a.csv"), Ar2.csv(Ar2.series(400, 0.5, 9)));
        Files.writeString(folder.resolve("b.csv"), "t,v\n1000,1\n2000,oops\n3000,2\n");
        Files.writeString(folder.resolve("c.csv"), Ar2.csv(Ar2.series(400, 0.5, 10)));
        Path model = dir.resolve("m.safetensors");
        Run r = run(small("--input", folder.toString(), "--out", model.toString()));
        assertEquals(TrainerCli.EXIT_FILES_FAILED, r.code(), r.err());
        assertTrue(r.err().contains("ssm-stream: " + folder.resolve("b.csv") + ":3:"), r.err());
        assertTrue(r.err().contains("1 of 3 files failed"), r.err());
        assertTrue(r.out().startsWith("train loss "), r.out());
        assertEquals(1, SsmModel.load(model).config().dInput());
    }

    @Test
    void aFolderWithNoReadableFileIsAUserErrorListingEveryFile() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("broken"));
        Files.writeString(folder.resolve("a.csv"), "t,v\n1000,x\n");
        Files.writeString(folder.resolve("b.csv"), "1000,2\n");
        Run r = run(small("--input", folder.toString(), "--out", dir.resolve("m.safetensors").toString()));
        assertEquals(TrainerCli.EXIT_USER_ERROR, r.code(), r.err());
        assertTrue(r.err().contains("none of its 2 .csv files can be read") && r.err().contains("a.csv:2:")
                && r.err().contains("b.csv:1:"), r.err());
        assertFalse(Files.exists(dir.resolve("m.safetensors")));
    }
}
