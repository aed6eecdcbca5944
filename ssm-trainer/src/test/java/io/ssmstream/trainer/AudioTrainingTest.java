package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.audio.AudioClip;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.stream.NllQuantileScorer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --audio}: clips through the job's front end, the model carrying the front-end settings. */
class AudioTrainingTest {
    @TempDir
    Path dir;

    static Path wav(Path file, int rate, double seconds, double hz, long seed) throws Exception {
        Random r = new Random(seed);
        int n = (int) (rate * seconds);
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            short v = (short) (6000 * Math.sin(2 * Math.PI * hz * i / rate) + 800 * r.nextGaussian());
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b), new AudioFormat(rate, 16, 1, true, false),
                n), AudioFileFormat.Type.WAVE, file.toFile());
        return file;
    }

    @Test
    void framesOfAClipAreTheFrontEndsFramesOneHopApart() throws Exception {
        AudioFeatures f = AudioFeatures.builder().bands(6).build();
        AudioClip clip = AudioClip.read(wav(dir.resolve("a.wav"), 16000, 0.5, 300, 1));
        EventSeries s = AudioSeries.frames(clip, f);
        assertEquals((8000 - 400) / 160 + 1, s.size());
        assertEquals(6, s.channels());
        assertEquals(10_000, s.micros()[1] - s.micros()[0]);
        AudioFrontEnd fe = new AudioFrontEnd(f, 16000);
        List<float[]> direct = new ArrayList<>();
        fe.process(fe.newState(), 0, clip.samples(), 0, clip.samples().length, (ts, b) -> direct.add(b.clone()));
        for (int k = 0; k < s.size(); k++) {
            float[] row = new float[6];
            for (int c = 0; c < 6; c++) {
                row[c] = s.value(k, c);
            }
            assertArrayEquals(direct.get(k), row, 0f);
        }
    }

    private static int train(String... args) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        return TrainerCli.run(args, new PrintStream(sink, true, StandardCharsets.UTF_8),
                new PrintStream(sink, true, StandardCharsets.UTF_8));
    }

    @Test
    void trainAudioWritesAModelWithTheFrontEndSettings() throws Exception {
        Path clips = Files.createDirectories(dir.resolve("normal/sub"));
        wav(clips.resolve("one.wav"), 16000, 1.5, 300, 2);
        wav(clips.resolve("two.wav"), 16000, 1.5, 320, 3);
        Files.writeString(clips.resolve("labels.csv"), "not audio, not picked up");
        Path out = dir.resolve("audio.safetensors");
        assertEquals(0, train("train", "--audio", dir.resolve("normal").toString(), "--bands", "8", "--d-model", "8",
                "--d-state", "4", "--n-layers", "1", "--epochs", "2", "--window", "64", "--batch-size", "8",
                "--out", out.toString(), "--device", "cpu"));
        SsmModel model = SsmModel.load(out);
        assertEquals(8, model.config().dInput());
        assertEquals(10.0, model.config().dtUnitMs(), 1e-9, "one hop is one time unit");
        AudioFeatures stored = AudioFeatures.fromMetadata(model.metadata(), out.toString());
        assertEquals(AudioFeatures.builder().bands(8).build(), stored);
        assertInstanceOf(NllQuantileScorer.class, NllQuantileScorer.forModel(model, out.toString()),
                "the job scores with the model's likelihood quantiles of its training frames");
        assertTrue(model.metadata().get(NllQuantileScorer.METADATA_KEY).split(",").length
                == NllQuantileScorer.DEFAULT_QUANTILES);
    }

    @Test
    void audioInputErrorsAreOneLineWithExitCodeTwo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.wav"), "hello");
        Path out = dir.resolve("m.safetensors");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainerCli.run(new String[] {"train", "--audio", text.toString(), "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        String message = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(message.startsWith("ssm-stream: error: " + text) && !message.contains("\n"), message);
        assertEquals(2, train("train", "--audio", dir.toString(), "--input", text.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out));
    }
}
