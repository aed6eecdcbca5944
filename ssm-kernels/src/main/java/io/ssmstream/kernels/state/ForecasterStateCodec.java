package io.ssmstream.kernels.state;

import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.InputWindow;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;

/**
 * Versioned byte format of a {@link ForecasterState}; Flink's state serializer delegates here. Writes the
 * current version, reads every version.
 *
 * <p>Version 2 (current): version 1's fields, then the model version and the input window, then the SSM state:
 * <pre>
 *   int   magic 0x53534D46 ("SSMF")
 *   byte  version = 2
 *   long  last event time, epoch µs (Long.MIN_VALUE: none)
 *   int   d; d × float forecast mean; d × float forecast std
 *   int   s; s × float scorer state
 *   bool  has model version; if true: UTF model version (DataOutput.writeUTF)
 *   int   window capacity W (0: no window); int window size n ≤ W; n × { long ts µs; d × float values }, oldest first
 *   the SSM state in {@link StreamStateCodec} format
 * </pre>
 * Version 1: the same without the model version and the window; read as a state of unknown model version with
 * no window.
 */
public final class ForecasterStateCodec {
    public static final int MAGIC = 0x53534D46;
    public static final byte CURRENT_VERSION = 2;
    private static final int MAX_ARRAY = 1 << 24;

    private ForecasterStateCodec() {
    }

    /** Writes {@code state} in the current version (one {@code write} of a buffer made for this call). */
    public static void write(ForecasterState state, DataOutput out) throws IOException {
        write(state, out, new CodecBuffer());
    }

    /**
     * Writes {@code state} in the current version, encoded in {@code buffer} and handed to {@code out} in one
     * {@code write}.
     *
     * @param buffer this thread's, reused from state to state
     */
    public static void write(ForecasterState state, DataOutput out, CodecBuffer buffer) throws IOException {
        buffer.clear();
        buffer.putInt(MAGIC);
        buffer.putByte(CURRENT_VERSION);
        buffer.putLong(state.lastTsMicros());
        putFloats(buffer, state.forecastMean());
        float[] std = state.forecastStd();
        buffer.putFloats(std, 0, std.length);
        putFloats(buffer, state.scorerState());
        buffer.putBoolean(state.modelVersion() != null);
        if (state.modelVersion() != null) {
            buffer.putUtf(state.modelVersion());
        }
        putWindow(buffer, state.window());
        StreamStateCodec.put(state.ssm(), buffer);
        buffer.writeTo(out);
    }

    /**
     * Reads a state written by this or any earlier version.
     *
     * @throws StreamStateCodec.StateFormatException when the bytes are not a forecaster state, are corrupt, or
     *                                               come from a newer version
     */
    public static ForecasterState read(DataInput in) throws IOException {
        return read(in, new CodecBuffer());
    }

    /**
     * As {@link #read(DataInput)}, decoding through {@code buffer}.
     *
     * @param buffer this thread's, reused from state to state
     */
    public static ForecasterState read(DataInput in, CodecBuffer buffer) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new StreamStateCodec.StateFormatException(
                    String.format("not an ssm-stream forecaster state (magic 0x%08X)", magic));
        }
        byte version = in.readByte();
        if (version != 1 && version != 2) {
            throw new StreamStateCodec.StateFormatException("forecaster state version " + version
                    + " is newer than this release reads (up to " + CURRENT_VERSION + ")");
        }
        long last = in.readLong();
        float[] mean = readFloats(in, buffer);
        float[] std = new float[mean.length];
        buffer.readFloats(in, std, 0, std.length);
        float[] scorer = readFloats(in, buffer);
        String modelVersion = null;
        InputWindow window = InputWindow.NONE;
        if (version == 2) {
            modelVersion = in.readBoolean() ? readModelVersion(in) : null;
            window = readWindow(in, mean.length, buffer);
        }
        StreamState ssm = StreamStateCodec.read(in, buffer);
        return new ForecasterState(ssm, last, mean, std, scorer, modelVersion, window);
    }

    private static String readModelVersion(DataInput in) throws IOException {
        try {
            return in.readUTF();
        } catch (UTFDataFormatException e) {
            throw new StreamStateCodec.StateFormatException("corrupt forecaster state: the model version is not"
                    + " modified UTF-8 (" + e.getMessage() + ")");
        }
    }

    private static void putWindow(CodecBuffer buffer, InputWindow window) {
        buffer.putInt(window.capacity());
        buffer.putInt(window.size());
        float[] values = new float[window.dInput()];
        for (int i = 0; i < window.size(); i++) {
            buffer.putLong(window.tsMicros(i));
            window.values(i, values);
            buffer.putFloats(values, 0, values.length);
        }
    }

    private static InputWindow readWindow(DataInput in, int dInput, CodecBuffer buffer) throws IOException {
        int capacity = in.readInt();
        int size = in.readInt();
        if (capacity < 0 || size < 0 || size > capacity || (long) capacity * Math.max(1, dInput) > MAX_ARRAY) {
            throw new StreamStateCodec.StateFormatException("corrupt forecaster state: window of " + size
                    + " events in capacity " + capacity);
        }
        if (capacity == 0) {
            return InputWindow.NONE;
        }
        InputWindow window = new InputWindow(capacity, dInput);
        float[] values = new float[dInput];
        int eventBytes = Long.BYTES + dInput * Float.BYTES;
        for (int i = 0; i < size; i++) {
            byte[] event = buffer.readFully(in, eventBytes);
            CodecBuffer.getFloats(event, Long.BYTES, values, 0, dInput);
            window.add(CodecBuffer.getLong(event, 0), values);
        }
        return window;
    }

    private static void putFloats(CodecBuffer buffer, float[] a) {
        buffer.putInt(a.length);
        buffer.putFloats(a, 0, a.length);
    }

    private static float[] readFloats(DataInput in, CodecBuffer buffer) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARRAY) {
            throw new StreamStateCodec.StateFormatException("corrupt forecaster state: array length " + n);
        }
        float[] a = new float[n];
        buffer.readFloats(in, a, 0, n);
        return a;
    }

    public static byte[] toBytes(ForecasterState state) {
        return CodecBytes.toBytes(state, ForecasterStateCodec::write);
    }

    public static ForecasterState fromBytes(byte[] bytes) {
        return CodecBytes.fromBytes(bytes, ForecasterStateCodec::read, "forecaster state");
    }
}
