package io.ssmstream.kernels.audio;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.Fuzz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAV and Ogg Vorbis decoder ({@code train --audio}, {@code audio-send}, {@code eval audio}) over corrupted
 * copies of a WAV written here and of the head of an ESC-10 Ogg clip (when {@code ../shared/data} is there): a
 * clip of finite samples in [-1, 1] or an {@link AudioClip.AudioFileException} naming the file, never another
 * exception and never a decoder that does not return (each try is cut off after 10 s, far above the
 * milliseconds one takes: a guard against a hang, not a timing).
 */
class AudioClipFuzzTest {
    private static final int TRIES = 300; // each try writes and decodes a file
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void aCorruptAudioFileIsAClipOrAnAudioFileErrorNamingIt() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        short[] left = new short[400];
        short[] right = new short[400];
        for (int i = 0; i < left.length; i++) {
            left[i] = (short) (8000 * Math.sin(i / 7.0));
            right[i] = (short) (i * 80 - 16000);
        }
        seeds.add(Files.readAllBytes(AudioClipTest.writeWav(dir.resolve("seed.wav"), 8000, left, right)));
        Path esc10 = AudioClipTest.ESC10.resolve("005_clock_tick");
        if (Files.isDirectory(esc10)) {
            try (Stream<Path> clips = Files.list(esc10)) {
                Path ogg = clips.filter(p -> p.toString().endsWith(".ogg")).sorted().findFirst().orElseThrow();
                byte[] all = Files.readAllBytes(ogg);
                seeds.add(Arrays.copyOf(all, Math.min(all.length, 16_384)));
            }
        }
        Fuzz.checkFiles(20261207, TRIES, seeds, dir.resolve("fuzzed.audio"),
                file -> assertTimeoutPreemptively(HANG_GUARD, () -> decodeOrRefuse(file)));
    }

    private static void decodeOrRefuse(Path file) {
        AudioClip clip;
        try {
            clip = AudioClip.read(file);
        } catch (AudioClip.AudioFileException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
            return;
        }
        for (float s : clip.samples()) {
            assertTrue(Float.isFinite(s) && Math.abs(s) <= 1f, "a sample outside [-1, 1]: " + s);
        }
    }
}
