package io.ssmstream.app;

import io.ssmstream.connectors.audio.AudioHeaders;
import io.ssmstream.kernels.audio.AudioClip;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream audio-send}: decodes a WAV or Ogg Vorbis file and publishes it to the audio topic as chunks
 * of one stream (mono; record format in {@link AudioHeaders}), in real time or faster.
 */
@Command(name = "audio-send", sortOptions = false,
        description = {"Decode a WAV or Ogg Vorbis file and publish it to an audio topic as PCM chunks of one stream",
            "(key = stream id; headers sample-rate, channels, start-time-us, encoding), in real time or faster."})
final class AudioSendCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--topic", required = true, description = "Audio topic to write the chunks to.")
    String topic;

    @Option(names = "--stream", required = true, description = "Stream id (the Kafka key), e.g. the microphone.")
    String stream;

    @Option(names = "--file", required = true, paramLabel = "CLIP.wav|CLIP.ogg", description = "Audio file to send.")
    Path file;

    @Option(names = "--chunk-ms", defaultValue = "100",
            description = "Audio per record in ms (default: ${DEFAULT-VALUE}).")
    double chunkMs;

    @Option(names = "--speedup", defaultValue = "1",
            description = "1 sends in real time, N N times faster, 0 as fast as possible (default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(names = "--encoding", defaultValue = "s16le",
            description = "s16le or f32le (default: ${DEFAULT-VALUE}).")
    String encoding;

    @Option(names = "--start-time-us", paramLabel = "EPOCH_US",
            description = "Time of the first sample, epoch µs (default: now).")
    Long startTimeUs;

    private long sent;

    /** Chunks sent by the last run. */
    long sent() {
        return sent;
    }

    @Override
    protected int run() throws Exception {
        PacedSender.requireSpeedup(speedup);
        if (!(chunkMs >= 1 && chunkMs <= 60_000)) {
            throw new UserException("--chunk-ms must be in [1, 60000], got " + chunkMs);
        }
        String enc = encoding.toLowerCase(Locale.ROOT);
        int width = AudioHeaders.bytesPerSample(enc);
        if (width < 0) {
            throw new UserException("--encoding must be " + AudioHeaders.S16LE + " or " + AudioHeaders.F32LE + ", got "
                    + encoding);
        }
        AudioClip clip = AudioClip.read(file);
        int rate = clip.sampleRate();
        int chunk = Math.max(1, (int) Math.round(chunkMs * rate / 1000.0));
        long origin = startTimeUs != null ? startTimeUs
                : TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        float[] s = clip.samples();
        sent = 0;
        long start = System.nanoTime();
        try (PacedSender sender = PacedSender.connect(kafka, speedup)) {
            byte[] key = stream.getBytes(StandardCharsets.UTF_8);
            for (int at = 0; at < s.length; at += chunk) {
                int n = Math.min(chunk, s.length - at);
                long offsetMicros = (long) at * 1_000_000L / rate;
                RecordHeaders headers = new RecordHeaders();
                headers.add(AudioHeaders.SAMPLE_RATE, ascii(rate));
                headers.add(AudioHeaders.CHANNELS, ascii(1));
                headers.add(AudioHeaders.START_TIME_US, ascii(origin + offsetMicros));
                headers.add(AudioHeaders.ENCODING, enc.getBytes(StandardCharsets.UTF_8));
                sender.send(offsetMicros, new ProducerRecord<>(topic, null, key, pcm(s, at, n, width), headers));
                sent++;
            }
            sender.flush();
            if (sender.failures() > 0) {
                throw new UserException(sender.failures() + " of " + sent + " chunks could not be written to "
                        + topic + ": " + sender.firstFailure());
            }
        }
        err().printf(Locale.ROOT, "sent %s (%.2f s at %d Hz) as %d chunks of stream %s to %s in %.1f s%n", file,
                clip.seconds(), rate, sent, stream, topic, (System.nanoTime() - start) / 1e9);
        err().flush();
        return SsmStreamCli.EXIT_OK;
    }

    private static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** Samples [at, at + n) as little-endian s16 (rounded, clipped) or f32. */
    static byte[] pcm(float[] s, int at, int n, int width) {
        ByteBuffer b = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = at; i < at + n; i++) {
            if (width == 2) {
                b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s[i] * 32768f))));
            } else {
                b.putFloat(s[i]);
            }
        }
        return b.array();
    }
}
