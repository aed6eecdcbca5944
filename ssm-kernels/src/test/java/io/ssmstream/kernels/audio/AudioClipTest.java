package io.ssmstream.kernels.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioClipTest {
    static final Path ESC10 = Path.of("../../shared/data/audio-esc10");

    /** Writes a 16-bit stereo WAV whose left channel is {@code left} and right channel {@code right}. */
    static Path writeWav(Path file, int rate, short[] left, short[] right) throws Exception {
        byte[] b = new byte[left.length * 4];
        for (int i = 0; i < left.length; i++) {
            b[4 * i] = (byte) left[i];
            b[4 * i + 1] = (byte) (left[i] >> 8);
            b[4 * i + 2] = (byte) right[i];
            b[4 * i + 3] = (byte) (right[i] >> 8);
        }
        AudioFormat f = new AudioFormat(rate, 16, 2, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b), f, left.length),
                AudioFileFormat.Type.WAVE, file.toFile());
        return file;
    }

    @Test
    void wavIsDecodedAndMixedDownToMono(@TempDir Path dir) throws Exception {
        Path wav = writeWav(dir.resolve("a.wav"), 8000, new short[] {16384, -32768, 0}, new short[] {0, -32768, 8192});
        AudioClip clip = AudioClip.read(wav);
        assertEquals(8000, clip.sampleRate());
        assertEquals(2, clip.channels());
        assertEquals(3, clip.samples().length);
        assertEquals(0.25f, clip.samples()[0], 1e-6f);
        assertEquals(-1f, clip.samples()[1], 1e-6f);
        assertEquals(0.125f, clip.samples()[2], 1e-6f);
    }

    @Test
    void oggVorbisClipIsDecoded() {
        Path ogg = ESC10.resolve("008_chainsaw/1-19898-A.ogg");
        assumeTrue(Files.exists(ogg), "ESC-10 data absent (" + ESC10.toAbsolutePath() + "): Ogg decoding not checked");
        AudioClip clip = AudioClip.read(ogg);
        assertEquals(44100, clip.sampleRate());
        assertEquals(5.0, clip.seconds(), 0.05);
        double energy = 0;
        for (float v : clip.samples()) {
            assertTrue(v >= -1 && v <= 1);
            energy += v * v;
        }
        assertTrue(energy / clip.samples().length > 1e-4, "a chainsaw is not silent");
    }

    @Test
    void notAudioIsAOneLineErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.ogg"), "hello");
        String message = assertThrows(AudioClip.AudioFileException.class, () -> AudioClip.read(text)).getMessage();
        assertTrue(message.startsWith(text.toString()) && message.contains("not a supported audio file"), message);
        String missing = assertThrows(AudioClip.AudioFileException.class,
                () -> AudioClip.read(dir.resolve("none.wav"))).getMessage();
        assertTrue(missing.endsWith("no such file"), missing);
    }
}
