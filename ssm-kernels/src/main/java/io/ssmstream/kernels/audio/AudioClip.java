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

    /** More channels than any microphone array this is for: a header claiming more is corrupt. */
    static final int MAX_CHANNELS = 64;
    static final float MAX_SAMPLE_RATE = 768_000;
    private static final int MAX_IDLE_READS = 1000;

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
        } catch (RuntimeException e) {
            // the Vorbis decoder fails on corrupt data with whatever it meets (a null packet, an index out of
            // bounds): the file is bad, not the program (found by AudioClipFuzzTest)
            throw new AudioFileException(path + ": cannot decode, corrupt or truncated audio data (" + e + ")", e);
        }
    }

    private static AudioClip decode(AudioInputStream encoded, String source) throws IOException {
        AudioFormat base = encoded.getFormat();
        int channels = base.getChannels();
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new AudioFileException(source + ": the header says " + channels + " channels (1.." + MAX_CHANNELS
                    + " supported): a corrupt file?");
        }
        if (!(base.getSampleRate() >= 1 && base.getSampleRate() <= MAX_SAMPLE_RATE)) {
            throw new AudioFileException(source + ": the header says a sample rate of " + base.getSampleRate()
                    + " Hz (1.." + MAX_SAMPLE_RATE + " supported): a corrupt file?");
        }
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, base.getSampleRate(), 16, channels,
                channels * 2, base.getSampleRate(), false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AudioInputStream decoded = AudioSystem.getAudioInputStream(pcm, encoded)) {
            copy(decoded, bytes, source);
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

    /**
     * Reads to the end. A converter given a header that contradicts its data (e.g. a frame size that does not fit
     * the channels) can return 0 bytes forever instead of the end (found by AudioClipFuzzTest): that is an error.
     */
    private static void copy(AudioInputStream in, ByteArrayOutputStream out, String source) throws IOException {
        byte[] buffer = new byte[1 << 14];
        int idle = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            if (n == 0 && ++idle > MAX_IDLE_READS) {
                throw new AudioFileException(source + ": the decoder makes no progress (a header that does not match"
                        + " the data?)");
            }
            if (n > 0) {
                idle = 0;
                out.write(buffer, 0, n);
            }
        }
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
