package io.ssmstream.connectors.audio;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/**
 * Decodes one audio record ({@link AudioHeaders}) into an {@link AudioChunk}, mixing channels down to mono, or
 * into a dead letter naming what was wrong: no key ({@code missing_stream}), a required header absent
 * ({@code missing_header}), a header out of range or an unknown encoding ({@code bad_header}), a value that is
 * empty or not a whole number of sample frames ({@code bad_audio_length}), a NaN or infinite float32 sample
 * ({@code non_finite_value}). Never throws on a record's content.
 */
public final class AudioChunkParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * @param headers the record's last header of each name, null when absent
     */
    public ParsedAudioChunk parse(byte[] key, byte[] value, Function<String, byte[]> headers, String topic,
                                  int partition, long offset) {
        String stream = key == null || key.length == 0 ? null : new String(key, StandardCharsets.UTF_8);
        Rejecter reject = (reason, detail) -> ParsedAudioChunk.of(
                new DeadLetter(reason, detail, topic, partition, offset, stream, key, value));
        if (stream == null || stream.isBlank()) {
            return reject.with(DeadLetterReason.MISSING_STREAM, "audio record without a key (the stream id)");
        }
        String rateText = text(headers, AudioHeaders.SAMPLE_RATE);
        String channelsText = text(headers, AudioHeaders.CHANNELS);
        String startText = text(headers, AudioHeaders.START_TIME_US);
        for (String[] h : new String[][] {{AudioHeaders.SAMPLE_RATE, rateText}, {AudioHeaders.CHANNELS, channelsText},
            {AudioHeaders.START_TIME_US, startText}}) {
            if (h[1] == null) {
                return reject.with(DeadLetterReason.MISSING_HEADER, "missing header " + h[0]);
            }
        }
        long rate = number(rateText);
        if (rate < AudioHeaders.MIN_RATE || rate > AudioHeaders.MAX_RATE) {
            return reject.with(DeadLetterReason.BAD_HEADER, "header " + AudioHeaders.SAMPLE_RATE
                    + " must be an integer in [" + AudioHeaders.MIN_RATE + ", " + AudioHeaders.MAX_RATE + "], got '"
                    + rateText + "'");
        }
        long channels = number(channelsText);
        if (channels < 1 || channels > AudioHeaders.MAX_CHANNELS) {
            return reject.with(DeadLetterReason.BAD_HEADER, "header " + AudioHeaders.CHANNELS
                    + " must be an integer in [1, " + AudioHeaders.MAX_CHANNELS + "], got '" + channelsText + "'");
        }
        long start = number(startText);
        if (start == Long.MIN_VALUE) {
            return reject.with(DeadLetterReason.BAD_HEADER, "header " + AudioHeaders.START_TIME_US
                    + " must be an integer (epoch microseconds), got '" + startText + "'");
        }
        String encodingText = text(headers, AudioHeaders.ENCODING);
        String encoding = encodingText == null ? AudioHeaders.S16LE : encodingText.strip().toLowerCase(Locale.ROOT);
        int width = AudioHeaders.bytesPerSample(encoding);
        if (width < 0) {
            return reject.with(DeadLetterReason.BAD_HEADER, "header " + AudioHeaders.ENCODING + " must be "
                    + AudioHeaders.S16LE + " or " + AudioHeaders.F32LE + ", got '" + encodingText + "'");
        }
        int frameBytes = width * (int) channels;
        if (value == null || value.length == 0 || value.length % frameBytes != 0) {
            return reject.with(DeadLetterReason.BAD_AUDIO_LENGTH, (value == null ? 0 : value.length) + " bytes is not a"
                    + " whole, non-zero number of " + frameBytes + "-byte sample frames (" + encoding + ", " + channels
                    + " channels)");
        }
        float[] mono = new float[value.length / frameBytes];
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < mono.length; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                float v = width == 2 ? in.getShort() / 32768f : in.getFloat();
                if (!Float.isFinite(v)) {
                    return reject.with(DeadLetterReason.NON_FINITE_VALUE, "sample " + i + " channel " + c + " is " + v);
                }
                sum += v;
            }
            mono[i] = sum / channels;
        }
        AudioChunk chunk = new AudioChunk(stream, start, (int) rate, (int) channels, mono);
        chunk.topic = topic;
        chunk.partition = partition;
        chunk.offset = offset;
        return ParsedAudioChunk.of(chunk);
    }

    private static String text(Function<String, byte[]> headers, String name) {
        byte[] v = headers.apply(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** The integer, or Long.MIN_VALUE when it is not one. */
    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    @FunctionalInterface
    private interface Rejecter {
        ParsedAudioChunk with(DeadLetterReason reason, String detail);
    }
}
