package io.ssmstream.kernels.audio;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A decoded audio file, mixed down to mono float samples in [-1, 1]. WAV (PCM) comes from the JDK's
 * {@code javax.sound}; Ogg Vorbis from the VorbisSPI/JOrbis service provider on the class path.
 *
 * @param source      the file, for messages
 * @param sampleRate  samples per second
 * @param channels    channels of the file before the mix-down
 * @param samples     mono samples, (frames)
 */
public record AudioClip(String source, int sampleRate, int channels, float[] samples) {

    /** Duration in seconds. */
    public double seconds() {
        return (double) samples.length / sampleRate;
    }

    /**
     * Decodes a WAV or Ogg Vorbis file.
     *
     * @throws AudioFileException naming the file when it is missing, unreadable or not a supported audio format
     */
    public static AudioClip read(Path path) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            return decode(AudioSystem.getAudioInputStream(in), path.toString());
        } catch (NoSuchFileException e) {
            throw new AudioFileException(path + ": no such file");
        } catch (UnsupportedAudioFileException e) {
            throw new AudioFileException(path + ": not a supported audio file (WAV or Ogg Vorbis)");
        } catch (IOException | IllegalArgumentException e) {
            throw new AudioFileException(path + ": cannot decode: " + e.getMessage(), e);
        }
    }

    private static AudioClip decode(AudioInputStream encoded, String source) throws IOException {
        AudioFormat base = encoded.getFormat();
        int channels = base.getChannels();
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, base.getSampleRate(), 16, channels,
                channels * 2, base.getSampleRate(), false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm, encoded)) {
            decoded.transferTo(bytes);
        }
        byte[] b = bytes.toByteArray();
        int frames = b.length / (2 * channels);
        float[] mono = new float[frames];
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                int at = 2 * (i * channels + c);
                sum += (short) ((b[at] & 0xff) | (b[at + 1] << 8)) / 32768f;
            }
            mono[i] = sum / channels;
        }
        return new AudioClip(source, Math.round(base.getSampleRate()), channels, mono);
    }

    /** An audio file that cannot be used: the message names the file and the problem. */
    public static final class AudioFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public AudioFileException(String message) {
            super(message);
        }

        public AudioFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
