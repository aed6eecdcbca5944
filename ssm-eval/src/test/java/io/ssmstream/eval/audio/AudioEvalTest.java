package io.ssmstream.eval.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ssmstream.eval.EvalCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssm-stream eval audio} on the real ESC-10 clips, with a tiny model and few clips to keep CI short. */
class AudioEvalTest {
    static final Path ESC10 = Path.of("../../shared/data/audio-esc10");

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = EvalCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Tag("slow")
    void clockTickAsNormalSeparatesChainsawAndHelicopter() {
        assumeTrue(Files.isDirectory(ESC10), "ESC-10 data absent (" + ESC10.toAbsolutePath() + "): audio eval not run");
        Run r = run("eval", "audio", "--data", ESC10.toString(), "--normal", "clock_tick", "--bands", "16",
                "--d-model", "8", "--n-layers", "1", "--d-state", "8", "--epochs", "8", "--max-clips", "8");
        assertEquals(0, r.code(), r.err());
        Map<String, double[]> auc = new HashMap<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4 && f[1].matches("\\d+")) {
                auc.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3])});
            }
        }
        assertEquals(2, auc.size(), r.out());
        for (String anomaly : new String[] {"Chainsaw", "Helicopter"}) {
            assertTrue(auc.get(anomaly)[0] >= 0.75, anomaly + " AUC(score) " + auc.get(anomaly)[0] + "\n" + r.out());
        }
        assertTrue(r.out().contains("Clock tick            8   (held-out normal clips)"), r.out());
    }

    @Test
    void badDataOrClassIsAOneLineUserError(@TempDir Path dir) throws Exception {
        Run noLabels = run("eval", "audio", "--data", dir.toString(), "--normal", "x");
        assertEquals(2, noLabels.code());
        assertEquals("ssm-stream: error: " + dir.resolve("labels.csv") + ": no such file (--data must be a directory"
                + " with labels.csv)", noLabels.err().strip());
        Files.writeString(dir.resolve("labels.csv"), "path,category_id,category,fold\na/1.ogg,1,Pump,1\n");
        Run unknown = run("eval", "audio", "--data", dir.toString(), "--normal", "fan");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().strip().endsWith("--normal fan: no such class in " + dir.resolve("labels.csv")
                + " (classes: Pump)"), unknown.err());
        Files.writeString(dir.resolve("labels.csv"), "path,category_id,category,fold\na/1.ogg,1,Pump,one\n");
        Run badFold = run("eval", "audio", "--data", dir.toString(), "--normal", "pump");
        assertEquals(2, badFold.code());
        assertTrue(badFold.err().contains("labels.csv:2: fold 'one' is not an integer"), badFold.err());
    }
}
