package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.SsmModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssm-stream retrain} on CSV input: per-stream models, the --every loop, user errors. */
class RetrainCommandTest {
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

    private static String[] tiny(String... more) {
        List<String> a = new ArrayList<>(Arrays.asList("retrain", "--d-model", "8", "--d-state", "4", "--epochs", "2",
                "--window", "64", "--batch-size", "8"));
        a.addAll(Arrays.asList(more));
        return a.toArray(new String[0]);
    }

    private static List<String> files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everyLoopRunsTwoRoundsAndTheSecondFineTunesTheFirst() throws Exception {
        Path input = dir.resolve("ar2.csv");
        Files.writeString(input, Ar2.csv(Ar2.series(300, 0.5, 1)));
        Path store = dir.resolve("store");

        Run r = run(tiny("--input", input.toString(), "--store", "file://" + store.toAbsolutePath(), "--every", "1s",
                "--max-rounds", "2", "--init-from", "latest", "--model-name", "ar2"));

        assertEquals(0, r.code(), r.err());
        List<String> versions = files(store.resolve("ar2"));
        assertEquals(2, versions.size(), versions.toString());
        String first = versions.get(0).replace(".safetensors", "");
        SsmModel second = SsmModel.load(store.resolve("ar2").resolve(versions.get(1)));
        assertEquals(first, second.metadata().get(Trainer.PARENT_VERSION));
        assertTrue(r.err().contains("retraining every PT1S, 2 rounds"), r.err());
        assertTrue(r.err().contains("retrain round 2 done"), r.err());
        assertTrue(r.err().contains("retraining stopped: 2 rounds succeeded, 0 failed"), r.err());
        assertEquals(2, r.out().strip().lines().count(), r.out());
        assertTrue(r.err().contains("not published (no --model-updates-topic)"), r.err());
    }

    @Test
    void perStreamTrainsOneModelPerStreamNamedAfterIt() throws Exception {
        Path in = Files.createDirectory(dir.resolve("streams"));
        Files.writeString(in.resolve("pump-1.csv"), Ar2.csv(Ar2.series(200, 0.5, 1)));
        Files.writeString(in.resolve("pump-2.csv"), Ar2.csv(Ar2.series(200, 0.5, 2)));
        Path store = dir.resolve("store");

        Run r = run(tiny("--input", in.toString(), "--store", store.toString(), "--per-stream", "--arch", "s4d"));

        assertEquals(0, r.code(), r.err());
        assertEquals(1, files(store.resolve("pump-1")).size());
        assertEquals(1, files(store.resolve("pump-2")).size());
        assertEquals(List.of("pump-1", "pump-2"), r.out().lines().map(l -> l.split(" ")[0]).toList());
    }

    @Test
    void aBadFileOfTheInputFolderIsLeftOutOfTheRoundAndSaid() throws Exception {
        Path in = Files.createDirectory(dir.resolve("streams"));
        Files.writeString(in.resolve("pump-1.csv"), Ar2.csv(Ar2.series(200, 0.5, 1)));
        Files.writeString(in.resolve("pump-2.csv"), "t,v\n1000,1\n2000,NaN\n");
        Path store = dir.resolve("store");

        Run r = run(tiny("--input", in.toString(), "--store", store.toString(), "--per-stream"));

        assertEquals(0, r.code(), r.err());
        assertEquals(1, files(store.resolve("pump-1")).size());
        assertFalse(Files.exists(store.resolve("pump-2")));
        assertTrue(r.err().contains("ssm-stream: " + in.resolve("pump-2.csv") + ":3:")
                && r.err().contains("(left out of this round)"), r.err());
    }

    @Test
    void aBrokerThatDoesNotAnswerIsOneLineBeforeAnyRound() {
        Run r = run("retrain", "--bootstrap-servers", "localhost:1", "--kafka-property", "default.api.timeout.ms=2000",
                "--input-topic", "t", "--store", dir.resolve("store").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("ssm-stream: error: no answer from Kafka at localhost:1 within 2 s with security.protocol="
                + "PLAINTEXT: check the address, and that the listener expects PLAINTEXT (a SASL or TLS listener drops"
                + " clients that speak another protocol)", r.err().strip());
        assertFalse(Files.exists(dir.resolve("store")), "no round ran");
    }

    @Test
    void userMistakesAreOneLineErrorsWithExitCode2() throws Exception {
        Path input = dir.resolve("ar2.csv");
        Files.writeString(input, Ar2.csv(Ar2.series(100, 0.5, 1)));
        String store = dir.resolve("store").toString();
        Run noBroker = run("retrain", "--input-topic", "t", "--store", store);
        assertEquals(2, noBroker.code());
        assertEquals("ssm-stream: error: --input-topic and --model-updates-topic need --bootstrap-servers",
                noBroker.err().strip());
        Run badEvery = run("retrain", "--input", input.toString(), "--store", store, "--every", "soon");
        assertEquals(2, badEvery.code());
        assertTrue(badEvery.err().startsWith("ssm-stream: error: --every must be a positive duration")
                && badEvery.err().strip().lines().count() == 1, badEvery.err());
        Run both = run("retrain", "--input", input.toString(), "--input-topic", "t", "--store", store);
        assertEquals(2, both.code(), both.err());
        Run rounds = run("retrain", "--input", input.toString(), "--store", store, "--max-rounds", "2");
        assertEquals(2, rounds.code());
        assertTrue(rounds.err().contains("--max-rounds needs --every"), rounds.err());
    }
}
