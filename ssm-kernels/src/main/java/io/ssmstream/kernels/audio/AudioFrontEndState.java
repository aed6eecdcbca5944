package io.ssmstream.kernels.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * One audio stream's front-end state between chunks: the samples of the frame being filled (the partial frame
 * that a chunk boundary cut), and where the current continuous segment started. A <em>segment</em> is a run of
 * chunks without gaps; frame times are counted in samples from its start, so they do not drift or depend on how
 * the audio was chunked. Mutable, owned by the stream's owner; its versioned bytes are
 * {@link io.ssmstream.kernels.state.AudioFrontEndStateCodec}.
 */
public final class AudioFrontEndState {
    /** {@link #originMicros} before the first chunk. */
    public static final long NO_SEGMENT = Long.MIN_VALUE;

    int sampleRate;
    long originMicros;    // time of the segment's first sample, epoch µs
    long segmentSamples;  // samples taken into the segment (after dropping overlaps)
    long segmentFrames;   // frames emitted in the segment
    final float[] buffer; // (window samples): buffer[0, filled) are the current frame's first samples
    int filled;

    public AudioFrontEndState(int sampleRate, long originMicros, long segmentSamples, long segmentFrames,
                              float[] buffer, int filled) {
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        if (filled < 0 || filled > buffer.length) {
            throw new IllegalArgumentException("filled " + filled + " outside [0, " + buffer.length + "]");
        }
        this.sampleRate = sampleRate;
        this.originMicros = originMicros;
        this.segmentSamples = segmentSamples;
        this.segmentFrames = segmentFrames;
        this.filled = filled;
    }

    /** A new stream's state, for frames of {@code windowSamples} samples. */
    public static AudioFrontEndState empty(int windowSamples) {
        return new AudioFrontEndState(0, NO_SEGMENT, 0, 0, new float[windowSamples], 0);
    }

    public boolean started() {
        return originMicros != NO_SEGMENT;
    }

    /** Starts a new segment at {@code startMicros}: the partial frame is dropped. */
    void startSegment(int rate, long startMicros) {
        sampleRate = rate;
        originMicros = startMicros;
        segmentSamples = 0;
        segmentFrames = 0;
        filled = 0;
    }

    /** When the next chunk should start if it continues the segment, epoch µs. */
    public long expectedNextMicros() {
        return originMicros + segmentSamples * 1_000_000L / sampleRate;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public long originMicros() {
        return originMicros;
    }

    public long segmentSamples() {
        return segmentSamples;
    }

    public long segmentFrames() {
        return segmentFrames;
    }

    /** The partial frame's samples, (filled). */
    public float[] pendingSamples() {
        return Arrays.copyOf(buffer, filled);
    }

    public int capacity() {
        return buffer.length;
    }

    public AudioFrontEndState copy() {
        return new AudioFrontEndState(sampleRate, originMicros, segmentSamples, segmentFrames, buffer.clone(), filled);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFrontEndState s && sampleRate == s.sampleRate && originMicros == s.originMicros
                && segmentSamples == s.segmentSamples && segmentFrames == s.segmentFrames && filled == s.filled
                && buffer.length == s.buffer.length
                && Arrays.equals(buffer, 0, filled, s.buffer, 0, s.filled);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, originMicros, segmentSamples, segmentFrames, filled);
    }
}
