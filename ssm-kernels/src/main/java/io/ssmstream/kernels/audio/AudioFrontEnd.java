package io.ssmstream.kernels.audio;

import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * The streaming audio front end: mono samples in, one log-mel frame per hop out, with the partial frame kept in
 * an {@link AudioFrontEndState} between chunks, so the frames do not depend on how the audio was chunked.
 *
 * <p>Frame k of a segment covers samples [k·H, k·H + W) of it (W window, H hop, in samples):
 * <pre>
 *   x_k[n]  = s[k·H + n] · w[n],              w[n] = 0.5 − 0.5·cos(2πn / W)   (periodic Hann), n &lt; W
 *   X_k     = FFT_N(x_k zero-padded to N)      N = the next power of two ≥ W   (JTransforms, real input)
 *   P_k[j]  = |X_k[j]|² / Σ_n w[n]²            j = 0 .. N/2
 *   e_k[b]  = ln(max(Σ_j M[b][j] · P_k[j], 1e-10))    M: {@link MelFilterBank}, rows summing to 1
 * </pre>
 * and carries the time of its first sample: segment start + k·H / rate.
 *
 * <p>Continuity: a chunk that starts within {@value #TOLERANCE_MICROS} µs of where the previous one ended
 * continues the segment. A later start is a <em>gap</em>: the partial frame is dropped and a new segment starts
 * at the chunk. An earlier start is an <em>overlap</em>: the samples already seen are dropped (a chunk entirely
 * in the past adds nothing). {@link #process} returns the discontinuity so the caller can report it.
 *
 * <p>One instance per thread and sample rate; allocates nothing per chunk or frame.
 */
public final class AudioFrontEnd {
    /** Start-time mismatches up to this are rounding, not gaps or overlaps: 1 ms. */
    public static final long TOLERANCE_MICROS = 1000;
    private static final float LOG_FLOOR = 1e-10f;

    /** Receives each frame; {@code bands} is reused and valid only during the call. */
    @FunctionalInterface
    public interface FrameListener {
        void frame(long tsMicros, float[] bands);
    }

    private final AudioFeatures features;
    private final int sampleRate;
    private final int window;      // W
    private final int hop;         // H
    private final int fftSize;     // N
    private final float[] hann;    // (W)
    private final float windowEnergy;
    private final FloatFFT_1D fft;
    private final MelFilterBank mel;
    private final float[] spectrum; // (N): the FFT's in-place buffer
    private final float[] power;    // (N/2 + 1)
    private final float[] bands;    // (bands)

    public AudioFrontEnd(AudioFeatures features, int sampleRate) {
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw new IllegalArgumentException("sample rate must be in [1000, 384000] Hz, got " + sampleRate);
        }
        this.features = features;
        this.sampleRate = sampleRate;
        this.window = features.windowSamples(sampleRate);
        this.hop = features.hopSamples(sampleRate);
        if (hop < 1 || window < 2) {
            throw new IllegalArgumentException("at " + sampleRate + " Hz the window (" + window + ") or hop (" + hop
                    + ") has too few samples");
        }
        this.fftSize = Integer.highestOneBit(window - 1) << 1;
        this.hann = new float[window];
        double energy = 0;
        for (int n = 0; n < window; n++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / window);
            hann[n] = (float) w;
            energy += w * w;
        }
        this.windowEnergy = (float) energy;
        this.fft = new FloatFFT_1D(fftSize);
        this.mel = new MelFilterBank(features.bands(), fftSize, sampleRate, features.fMinHz(), features.fMaxHz());
        this.spectrum = new float[fftSize];
        this.power = new float[fftSize / 2 + 1];
        this.bands = new float[features.bands()];
    }

    public AudioFeatures features() {
        return features;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int windowSamples() {
        return window;
    }

    public int hopSamples() {
        return hop;
    }

    public int fftSize() {
        return fftSize;
    }

    /** A new stream's state for this front end. */
    public AudioFrontEndState newState() {
        return AudioFrontEndState.empty(window);
    }

    /** Whether {@code state} can continue here: same window length (a different rate just restarts it). */
    public boolean fits(AudioFrontEndState state) {
        return state.capacity() == window;
    }

    /**
     * Takes one chunk of a stream.
     *
     * @param startMicros the chunk's first sample's time, epoch µs
     * @param samples     mono samples, nominally in [-1, 1]; {@code samples[offset, offset + length)} are used
     * @return the discontinuity before this chunk in µs: 0 when it continues the segment (or is the stream's
     *         first, or the state was at another sample rate), positive for a gap, negative for an overlap
     */
    public long process(AudioFrontEndState state, long startMicros, float[] samples, int offset, int length,
                        FrameListener listener) {
        long discontinuity = 0;
        if (!state.started() || state.sampleRate != sampleRate) {
            state.startSegment(sampleRate, startMicros);
        } else {
            long mismatch = startMicros - state.expectedNextMicros();
            if (mismatch > TOLERANCE_MICROS) {
                discontinuity = mismatch;
                state.startSegment(sampleRate, startMicros);
            } else if (mismatch < -TOLERANCE_MICROS) {
                discontinuity = mismatch;
                long seen = Math.min(length, Math.round(-mismatch * (double) sampleRate / 1e6));
                offset += (int) seen;
                length -= (int) seen;
            }
        }
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            int n = Math.min(window - state.filled, end - pos);
            System.arraycopy(samples, pos, state.buffer, state.filled, n);
            state.filled += n;
            pos += n;
            if (state.filled == window) {
                long frameStart = state.segmentFrames * hop;
                long ts = state.originMicros + frameStart * 1_000_000L / sampleRate;
                frame(state.buffer, bands);
                listener.frame(ts, bands);
                state.segmentFrames++;
                System.arraycopy(state.buffer, hop, state.buffer, 0, window - hop);
                state.filled = window - hop;
            }
        }
        state.segmentSamples += length;
        return discontinuity;
    }

    /** The log-mel bands of one window of samples (class comment); {@code out} has {@code bands} entries. */
    public void frame(float[] windowSamples, float[] out) {
        for (int n = 0; n < window; n++) {
            spectrum[n] = windowSamples[n] * hann[n];
        }
        Arrays.fill(spectrum, window, fftSize, 0f);
        fft.realForward(spectrum);
        // JTransforms' packed layout: [Re0, Re(N/2), Re1, Im1, Re2, Im2, ...]
        float scale = 1f / windowEnergy;
        power[0] = spectrum[0] * spectrum[0] * scale;
        power[fftSize / 2] = spectrum[1] * spectrum[1] * scale;
        for (int j = 1; j < fftSize / 2; j++) {
            float re = spectrum[2 * j];
            float im = spectrum[2 * j + 1];
            power[j] = (re * re + im * im) * scale;
        }
        mel.apply(power, out);
        for (int b = 0; b < out.length; b++) {
            out[b] = (float) Math.log(Math.max(out[b], LOG_FLOOR));
        }
    }

    /** Frames per second of audio: rate / hop. */
    public double framesPerSecond() {
        return (double) sampleRate / hop;
    }
}
