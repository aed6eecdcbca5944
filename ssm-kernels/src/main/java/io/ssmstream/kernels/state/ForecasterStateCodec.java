package io.ssmstream.kernels.state;

import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.InputWindow;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private ForecasterStateCodec() {
    }

    public static void write(ForecasterState state, DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(CURRENT_VERSION);
        out.writeLong(state.lastTsMicros());
        writeFloats(out, state.forecastMean());
        float[] std = state.forecastStd();
        FloatBlocks.write(out, std, 0, std.length);
        writeFloats(out, state.scorerState());
        out.writeBoolean(state.modelVersion() != null);
        if (state.modelVersion() != null) {
            out.writeUTF(state.modelVersion());
        }
        writeWindow(out, state.window());
        StreamStateCodec.write(state.ssm(), out);
    }

    /**
     * Reads a state written by this or any earlier version.
     *
     * @throws StreamStateCodec.StateFormatException when the bytes are not a forecaster state, are corrupt, or
     *                                               come from a newer version
     */
    public static ForecasterState read(DataInput in) throws IOException {
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
        float[] mean = readFloats(in);
        float[] std = new float[mean.length];
        FloatBlocks.readFully(in, std, 0, std.length);
        float[] scorer = readFloats(in);
        String modelVersion = null;
        InputWindow window = InputWindow.NONE;
        if (version == 2) {
            modelVersion = in.readBoolean() ? in.readUTF() : null;
            window = readWindow(in, mean.length);
        }
        StreamState ssm = StreamStateCodec.read(in);
        return new ForecasterState(ssm, last, mean, std, scorer, modelVersion, window);
    }

    /** Writes the window's events packed into this thread's buffer, as many per {@code write} as fit. */
    private static void writeWindow(DataOutput out, InputWindow window) throws IOException {
        out.writeInt(window.capacity());
        out.writeInt(window.size());
        int eventBytes = eventBytes(window.dInput());
        byte[] buf = FloatBlocks.buffer(eventBytes);
        float[] values = new float[window.dInput()];
        int filled = 0;
        for (int i = 0; i < window.size(); i++) {
            if (filled + eventBytes > buf.length) {
                out.write(buf, 0, filled);
                filled = 0;
            }
            LONGS.set(buf, filled, window.tsMicros(i));
            window.values(i, values);
            FloatBlocks.encode(values, 0, values.length, buf, filled + Long.BYTES);
            filled += eventBytes;
        }
        out.write(buf, 0, filled);
    }

    private static InputWindow readWindow(DataInput in, int dInput) throws IOException {
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
        byte[] event = new byte[eventBytes(dInput)];
        for (int i = 0; i < size; i++) {
            in.readFully(event);
            FloatBlocks.decode(event, Long.BYTES, values, 0, dInput);
            window.add((long) LONGS.get(event, 0), values);
        }
        return window;
    }

    /** One window event on the wire, written in one piece: {@code long ts; dInput × float values}. */
    private static int eventBytes(int dInput) {
        return Long.BYTES + dInput * Float.BYTES;
    }

    private static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a.length);
        FloatBlocks.write(out, a, 0, a.length);
    }

    private static float[] readFloats(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARRAY) {
            throw new StreamStateCodec.StateFormatException("corrupt forecaster state: array length " + n);
        }
        float[] a = new float[n];
        FloatBlocks.readFully(in, a, 0, n);
        return a;
    }

    public static byte[] toBytes(ForecasterState state) {
        return CodecBytes.toBytes(state, ForecasterStateCodec::write);
    }

    public static ForecasterState fromBytes(byte[] bytes) {
        return CodecBytes.fromBytes(bytes, ForecasterStateCodec::read, "forecaster state");
    }
}
