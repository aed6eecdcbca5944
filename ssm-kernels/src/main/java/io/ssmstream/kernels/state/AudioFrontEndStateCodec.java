package io.ssmstream.kernels.state;

import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.state.StreamStateCodec.StateFormatException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned byte format of an {@link AudioFrontEndState}, independent of any Flink serializer. Big-endian.
 *
 * <p>Version 1:
 * <pre>
 *   int   magic 0x53534D41 ("SSMA")
 *   byte  version = 1
 *   int   sample rate (0 before the first chunk)
 *   long  segment origin, epoch µs (Long.MIN_VALUE before the first chunk)
 *   long  samples taken into the segment
 *   long  frames emitted in the segment
 *   int   window samples (buffer capacity) W
 *   int   pending samples p ≤ W
 *   p × float
 * </pre>
 * A new version adds a branch to {@link #read(DataInput)} and keeps the old ones; saved files of each version
 * are test fixtures.
 */
public final class AudioFrontEndStateCodec {
    public static final int MAGIC = 0x53534D41;
    public static final byte CURRENT_VERSION = 1;
    /** A 1 s window at 384 kHz; a larger capacity means corrupt bytes, refused before allocating. */
    private static final int MAX_WINDOW = 384_000;

    private AudioFrontEndStateCodec() {
    }

    /** Writes {@code state} in the current version, in one {@code write}. */
    public static void write(AudioFrontEndState state, DataOutput out) throws IOException {
        CodecBuffer buffer = new CodecBuffer();
        buffer.putInt(MAGIC);
        buffer.putByte(CURRENT_VERSION);
        buffer.putInt(state.sampleRate());
        buffer.putLong(state.originMicros());
        buffer.putLong(state.segmentSamples());
        buffer.putLong(state.segmentFrames());
        buffer.putInt(state.capacity());
        float[] pending = state.pendingSamples();
        buffer.putInt(pending.length);
        buffer.putFloats(pending, 0, pending.length);
        buffer.writeTo(out);
    }

    /**
     * Reads a state written by this or any earlier version.
     *
     * @throws StateFormatException when the bytes are not an audio front-end state or come from a newer version
     */
    public static AudioFrontEndState read(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new StateFormatException(String.format("not an ssm-stream audio front-end state (magic 0x%08X)",
                    magic));
        }
        byte version = in.readByte();
        if (version == 1) {
            return readV1(in);
        }
        throw new StateFormatException("audio front-end state version " + version
                + " is newer than this release reads (up to " + CURRENT_VERSION + ")");
    }

    private static AudioFrontEndState readV1(DataInput in) throws IOException {
        int rate = in.readInt();
        long origin = in.readLong();
        long samples = in.readLong();
        long frames = in.readLong();
        int capacity = in.readInt();
        if (capacity < 0 || capacity > MAX_WINDOW) {
            throw new StateFormatException("corrupt audio front-end state: window of " + capacity + " samples");
        }
        int filled = in.readInt();
        if (filled < 0 || filled > capacity) {
            throw new StateFormatException("corrupt audio front-end state: " + filled
                    + " pending samples in a window of " + capacity);
        }
        float[] buffer = new float[capacity];
        new CodecBuffer().readFloats(in, buffer, 0, filled);
        return new AudioFrontEndState(rate, origin, samples, frames, buffer, filled);
    }

    public static byte[] toBytes(AudioFrontEndState state) {
        return CodecBytes.toBytes(state, AudioFrontEndStateCodec::write);
    }

    public static AudioFrontEndState fromBytes(byte[] bytes) {
        return CodecBytes.fromBytes(bytes, AudioFrontEndStateCodec::read, "audio front-end state");
    }
}
