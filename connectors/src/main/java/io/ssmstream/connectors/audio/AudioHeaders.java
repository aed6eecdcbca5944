package io.ssmstream.connectors.audio;

import java.util.Locale;

/**
 * The audio topic's record format. Key: the stream id (UTF-8). Value: raw PCM, channels interleaved. Headers,
 * each value a UTF-8 string:
 * <ul>
 *   <li>{@value #SAMPLE_RATE}: samples per second per channel, an integer in [1000, 384000]; required</li>
 *   <li>{@value #CHANNELS}: an integer in [1, 32]; required (the job mixes channels down to mono)</li>
 *   <li>{@value #START_TIME_US}: the time of the chunk's first sample, epoch microseconds; required</li>
 *   <li>{@value #ENCODING}: {@value #S16LE} (signed 16-bit little-endian, the default when absent) or
 *       {@value #F32LE} (IEEE float32 little-endian, nominally in [-1, 1])</li>
 * </ul>
 */
public final class AudioHeaders {
    public static final String SAMPLE_RATE = "sample-rate";
    public static final String CHANNELS = "channels";
    public static final String START_TIME_US = "start-time-us";
    public static final String ENCODING = "encoding";
    public static final String S16LE = "s16le";
    public static final String F32LE = "f32le";
    public static final int MIN_RATE = 1000;
    public static final int MAX_RATE = 384_000;
    public static final int MAX_CHANNELS = 32;

    private AudioHeaders() {
    }

    /** Bytes per sample of one channel in {@code encoding}, or -1 when the encoding is unknown. */
    public static int bytesPerSample(String encoding) {
        return switch (encoding.toLowerCase(Locale.ROOT)) {
            case S16LE -> 2;
            case F32LE -> 4;
            default -> -1;
        };
    }
}
