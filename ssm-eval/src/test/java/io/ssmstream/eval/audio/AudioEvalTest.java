package io.ssmstream.eval.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ssmstream.eval.EvalCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
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
            if (f.length == 5 && f[1].matches("\\d+")) { // class, clips, AUC score, tail, NLL
                auc.put(f[0], new double[] {Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4])});
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

    /** 0.5 s of 16 kHz mono 16-bit PCM: a 220 Hz hum, or clicks every 40 ms. */
    private static void writeClip(Path file, boolean clicks, long seed) throws Exception {
        Random random = new Random(seed);
        int n = 8000;
        byte[] pcm = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            double v = clicks ? (i % 640 < 8 ? 0.8 : 0) : 0.4 * Math.sin(2 * Math.PI * 220 * i / 16000.0);
            short q = (short) Math.round((v + 0.01 * random.nextGaussian()) * Short.MAX_VALUE);
            pcm[2 * i] = (byte) q;
            pcm[2 * i + 1] = (byte) (q >> 8);
        }
        AudioFormat format = new AudioFormat(16000, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, n)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    @Test
    void anUnreadableClipIsReportedAndTheOthersAreScored(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("hum"));
        Files.createDirectories(dir.resolve("click"));
        StringBuilder labels = new StringBuilder("path,category_id,category,fold\n");
        for (int k = 0; k < 4; k++) {
            int fold = k < 2 ? 1 : 2;
            writeClip(dir.resolve("hum/" + k + ".wav"), false, k);
            writeClip(dir.resolve("click/" + k + ".wav"), true, 10 + k);
            labels.append("hum/").append(k).append(".wav,0,Hum,").append(fold).append('\n');
            labels.append("click/").append(k).append(".wav,1,Click,").append(fold).append('\n');
        }
        Files.writeString(dir.resolve("hum/broken.wav"), "not audio at all");
        labels.append("hum/broken.wav,0,Hum,2\n");
        Files.writeString(dir.resolve("labels.csv"), labels);

        Run r = run("eval", "audio", "--data", dir.toString(), "--normal", "hum", "--train-folds", "1", "--bands", "8",
                "--d-model", "4", "--n-layers", "1", "--d-state", "4", "--epochs", "2", "--threads", "1");

        assertEquals(EvalCli.EXIT_FILES_FAILED, r.code(), r.err());
        assertTrue(r.err().contains("ssm-stream: " + dir.resolve("hum/broken.wav") + ": "), r.err());
        assertTrue(r.err().contains("1 of 7 clips failed"), r.err());
        assertTrue(r.out().contains("Hum                   2   (held-out normal clips)"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("Click") && l.contains(" 2 ")), r.out());
    }
}
