package io.ssmstream.kernels.state;

import io.ssmstream.kernels.model.StreamState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Versioned byte format of a {@link StreamState}, independent of any Flink serializer (which delegates here),
 * so that state written by an older release stays readable. Big-endian, as {@link DataOutput} writes.
 *
 * <p>Version 1:
 * <pre>
 *   int   magic 0x53534D53 ("SSMS")
 *   byte  version = 1
 *   long  events applied
 *   int   layer count L
 *   L × { int length n; n × float }
 * </pre>
 * A new version adds a branch to {@link #read(DataInput)} and keeps the old ones; saved files of each version
 * are test fixtures.
 */
public final class StreamStateCodec {
    public static final int MAGIC = 0x53534D53;
    public static final byte CURRENT_VERSION = 1;
    /** No model has layers this large; a larger length means corrupt bytes, refused before allocating. */
    private static final int MAX_LAYER_FLOATS = 1 << 26;
    private static final int MAX_LAYERS = 1024;
    private static final int MAX_STATE_FLOATS = 1 << 28;

    private StreamStateCodec() {
    }

    public static void write(StreamState state, DataOutput out) throws IOException {
        CodecBuffer buffer = new CodecBuffer();
        put(state, buffer);
        buffer.writeTo(out);
    }

    /** Appends {@code state}'s bytes to the encoding in {@code buffer}. */
    static void put(StreamState state, CodecBuffer buffer) {
        buffer.putInt(MAGIC);
        buffer.putByte(CURRENT_VERSION);
        buffer.putLong(state.events());
        buffer.putInt(state.layerCount());
        for (int i = 0; i < state.layerCount(); i++) {
            buffer.putInt(state.layerSize(i));
            buffer.putFloats(state.floats(), state.offset(i), state.layerSize(i));
        }
    }

    /**
     * Reads a state written by this or any earlier version.
     *
     * @throws StateFormatException when the bytes are not a state or come from a newer version
     */
    public static StreamState read(DataInput in) throws IOException {
        return read(in, new CodecBuffer());
    }

    /** As {@link #read(DataInput)}, decoding through {@code buffer}. */
    static StreamState read(DataInput in, CodecBuffer buffer) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new StateFormatException(String.format("not an ssm-stream state (magic 0x%08X)", magic));
        }
        byte version = in.readByte();
        if (version == 1) {
            return readV1(in, buffer);
        }
        throw new StateFormatException("state version " + version + " is newer than this release reads (up to "
                + CURRENT_VERSION + ")");
    }

    private static StreamState readV1(DataInput in, CodecBuffer buffer) throws IOException {
        long events = in.readLong();
        int count = in.readInt();
        if (count < 0 || count > MAX_LAYERS) {
            throw new StateFormatException("corrupt state: " + count + " layers");
        }
        int[] sizes = new int[count];
        float[] floats = new float[0];
        int total = 0;
        for (int i = 0; i < count; i++) {
            int n = in.readInt();
            if (n < 0 || n > MAX_LAYER_FLOATS) {
                throw new StateFormatException("corrupt state: layer " + i + " has length " + n);
            }
            if ((long) total + n > MAX_STATE_FLOATS) {
                throw new StateFormatException("corrupt state: more than " + MAX_STATE_FLOATS + " floats");
            }
            if (total + n > floats.length) {
                // Sized at the first layer for all of them (a model's layers are alike): one array, no copy. Not
                // beyond one layer's limit before the bytes are there: a corrupt count allocates no more than before.
                int guess = (int) Math.min((long) n * count, MAX_LAYER_FLOATS);
                floats = Arrays.copyOf(floats, Math.max(total + n, i == 0 ? guess : 0));
            }
            buffer.readFloats(in, floats, total, n);
            sizes[i] = n;
            total += n;
        }
        return StreamState.of(total == floats.length ? floats : Arrays.copyOf(floats, total), sizes, events);
    }

    public static byte[] toBytes(StreamState state) {
        return CodecBytes.toBytes(state, StreamStateCodec::write);
    }

    public static StreamState fromBytes(byte[] bytes) {
        return CodecBytes.fromBytes(bytes, StreamStateCodec::read, "state");
    }

    /** Bytes that are not a readable stream state. */
    public static final class StateFormatException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public StateFormatException(String message) {
            super(message);
        }
    }
}
