package io.ssmstream.kernels.state;

import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.stream.ForecasterState;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Versioned byte format of a {@link ForecasterState}; Flink's state serializer delegates here.
 *
 * <p>Version 1:
 * <pre>
 *   int   magic 0x53534D46 ("SSMF")
 *   byte  version = 1
 *   long  last event time, epoch µs (Long.MIN_VALUE: none)
 *   int   d; d × float forecast mean; d × float forecast std
 *   int   s; s × float scorer state
 *   the SSM state in {@link StreamStateCodec} format
 * </pre>
 */
public final class ForecasterStateCodec {
    public static final int MAGIC = 0x53534D46;
    public static final byte CURRENT_VERSION = 1;
    private static final int MAX_ARRAY = 1 << 24;

    private ForecasterStateCodec() {
    }

    public static void write(ForecasterState state, DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeByte(CURRENT_VERSION);
        out.writeLong(state.lastTsMicros());
        writeFloats(out, state.forecastMean());
        for (float v : state.forecastStd()) {
            out.writeFloat(v);
        }
        writeFloats(out, state.scorerState());
        StreamStateCodec.write(state.ssm(), out);
    }

    public static ForecasterState read(DataInput in) throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new StreamStateCodec.StateFormatException(
                    String.format("not an ssm-stream forecaster state (magic 0x%08X)", magic));
        }
        byte version = in.readByte();
        if (version != 1) {
            throw new StreamStateCodec.StateFormatException("forecaster state version " + version
                    + " is newer than this release reads (up to " + CURRENT_VERSION + ")");
        }
        long last = in.readLong();
        float[] mean = readFloats(in);
        float[] std = new float[mean.length];
        for (int i = 0; i < std.length; i++) {
            std[i] = in.readFloat();
        }
        float[] scorer = readFloats(in);
        StreamState ssm = StreamStateCodec.read(in);
        return new ForecasterState(ssm, last, mean, std, scorer);
    }

    private static void writeFloats(DataOutput out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARRAY) {
            throw new StreamStateCodec.StateFormatException("corrupt forecaster state: array length " + n);
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    public static byte[] toBytes(ForecasterState state) {
        return CodecBytes.toBytes(state, ForecasterStateCodec::write);
    }

    public static ForecasterState fromBytes(byte[] bytes) {
        return CodecBytes.fromBytes(bytes, ForecasterStateCodec::read, "forecaster state");
    }
}
