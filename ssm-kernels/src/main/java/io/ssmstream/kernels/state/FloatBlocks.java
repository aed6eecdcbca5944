package io.ssmstream.kernels.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Float arrays in the bytes of a {@link DataOutput#writeFloat} loop (big-endian IEEE 754, NaN canonical), moved
 * in chunks of up to {@value #CHUNK_FLOATS} floats with one {@code write}/{@code readFully} each instead of four
 * single-byte writes per float (what {@code DataOutputStream.writeInt} does), which dominated checkpoints of
 * large keyed state.
 *
 * <p>Each thread has its own chunk buffer ({@link #buffer}): the codecs run on several threads at once (task and
 * async checkpoint threads), and a buffer allocated per call was most of what checkpoints of a million streams
 * allocated (two per stream and checkpoint: 14 of the 47 GB the pipeline benchmark's job allocated in a minute).
 */
final class FloatBlocks {
    static final int CHUNK_FLOATS = 1024;
    /**
     * An int view, not a float one: a float view stores {@code Float.floatToRawIntBits} and would keep NaN
     * payloads, while {@link DataOutput#writeFloat} writes {@code Float.floatToIntBits} (one canonical NaN).
     */
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    /** Holds a plain byte[] only, so that it keeps no class of this jar's loader alive in pooled threads. */
    private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>();

    private FloatBlocks() {
    }

    /** Writes {@code a[off, off + len)} as {@code len} × {@link DataOutput#writeFloat} would. */
    static void write(DataOutput out, float[] a, int off, int len) throws IOException {
        byte[] buf = buffer(Math.min(len, CHUNK_FLOATS) * Float.BYTES);
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, CHUNK_FLOATS);
            encode(a, off + done, n, buf, 0);
            out.write(buf, 0, n * Float.BYTES);
            done += n;
        }
    }

    /**
     * Reads {@code len} floats written as by {@link DataOutput#writeFloat} into {@code a[off, off + len)}.
     *
     * @throws java.io.EOFException when the input ends first, as {@link DataInput#readFloat} would
     */
    static void readFully(DataInput in, float[] a, int off, int len) throws IOException {
        byte[] buf = buffer(Math.min(len, CHUNK_FLOATS) * Float.BYTES);
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, CHUNK_FLOATS);
            in.readFully(buf, 0, n * Float.BYTES);
            decode(buf, 0, a, off + done, n);
            done += n;
        }
    }

    /**
     * This thread's scratch buffer, at least {@code minBytes} long (at least a chunk). Its content is garbage; a
     * caller must be done with it before it calls anything that may use it again.
     */
    static byte[] buffer(int minBytes) {
        byte[] buf = BUFFER.get();
        if (buf == null || buf.length < minBytes) {
            buf = new byte[Math.max(minBytes, CHUNK_FLOATS * Float.BYTES)];
            BUFFER.set(buf);
        }
        return buf;
    }

    /** Encodes {@code a[off, off + len)} into {@code buf} from byte {@code at}, big-endian, NaN canonical. */
    static void encode(float[] a, int off, int len, byte[] buf, int at) {
        for (int i = 0; i < len; i++) {
            INTS.set(buf, at + i * Float.BYTES, Float.floatToIntBits(a[off + i]));
        }
    }

    /** Decodes {@code len} big-endian floats from {@code buf} at byte {@code at} into {@code a[off, off + len)}. */
    static void decode(byte[] buf, int at, float[] a, int off, int len) {
        for (int i = 0; i < len; i++) {
            a[off + i] = Float.intBitsToFloat((int) INTS.get(buf, at + i * Float.BYTES));
        }
    }
}
