package io.ssmstream.kernels.state;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reusable bytes for the state codecs: a write builds one encoded state here and hands it to its output in a
 * single {@code write}; a read decodes float arrays through it in chunks. The bytes are those of the
 * {@link DataOutput} calls the formats document (big-endian; floats as {@link DataOutput#writeFloat} writes them,
 * NaN canonical; strings as {@link DataOutput#writeUTF}).
 *
 * <p>Why: checkpoints of a million streams write every stream's state. {@code DataOutputStream} passes each
 * byte of a {@code writeInt} or {@code writeFloat} to its stream in a call of its own; a buffer allocated per
 * call was most of what those checkpoints allocated; and one buffer per thread, looked up in a
 * {@code ThreadLocal}, cost an eighth of the pipeline benchmark's CPU samples at a million streams (the lookups
 * of Flink's checkpoint threads missed their first slot).
 *
 * <p>Not thread-safe: each thread needs its own (Flink's serializer of the forecaster state keeps one per
 * instance and makes a new instance in {@code duplicate()}, which Flink calls for every thread that serializes).
 */
public final class CodecBuffer {
    /** Reads decode float arrays in chunks of this many floats, so a large array needs no buffer of its size. */
    static final int CHUNK_FLOATS = 1024;
    /**
     * An int view, not a float one: a float view stores {@code Float.floatToRawIntBits} and would keep NaN
     * payloads, while {@link DataOutput#writeFloat} writes {@code Float.floatToIntBits} (one canonical NaN).
     */
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes = new byte[256];
    /** Bytes of the state being encoded, at the start of {@link #bytes}. */
    private int size;
    /** The last string {@link #putUtf} encoded, and its bytes: every stream's state names the same model version. */
    private String lastUtf;
    private byte[] lastUtfBytes;

    /** Starts a new encoding. */
    void clear() {
        size = 0;
    }

    /** Writes what was put since {@link #clear} in one {@code write}. */
    void writeTo(DataOutput out) throws IOException {
        out.write(bytes, 0, size);
    }

    void putByte(int v) {
        ensureRoom(1);
        bytes[size++] = (byte) v;
    }

    void putBoolean(boolean v) {
        putByte(v ? 1 : 0);
    }

    void putInt(int v) {
        ensureRoom(Integer.BYTES);
        INTS.set(bytes, size, v);
        size += Integer.BYTES;
    }

    void putLong(long v) {
        ensureRoom(Long.BYTES);
        LONGS.set(bytes, size, v);
        size += Long.BYTES;
    }

    /** {@code a[off, off + len)} as {@code len} × {@link DataOutput#writeFloat}. */
    void putFloats(float[] a, int off, int len) {
        ensureRoom((long) len * Float.BYTES);
        for (int i = 0; i < len; i++) {
            INTS.set(bytes, size + i * Float.BYTES, Float.floatToIntBits(a[off + i]));
        }
        size += len * Float.BYTES;
    }

    /**
     * {@code s} as {@link DataOutput#writeUTF} writes it.
     *
     * @throws java.io.UTFDataFormatException (unchecked, wrapped) when its encoding exceeds 65,535 bytes, as there
     */
    void putUtf(String s) {
        if (!s.equals(lastUtf)) {
            ByteArrayOutputStream utf = new ByteArrayOutputStream(s.length() + 2);
            try (DataOutputStream out = new DataOutputStream(utf)) {
                out.writeUTF(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            lastUtfBytes = utf.toByteArray();
            lastUtf = s;
        }
        ensureRoom(lastUtfBytes.length);
        System.arraycopy(lastUtfBytes, 0, bytes, size, lastUtfBytes.length);
        size += lastUtfBytes.length;
    }

    private void ensureRoom(long more) {
        long needed = size + more;
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("an encoded state of " + needed + " bytes is too large");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(2L * bytes.length, Integer.MAX_VALUE - 8)));
        }
    }

    /**
     * Reads {@code len} floats written as by {@link DataOutput#writeFloat} into {@code a[off, off + len)}.
     *
     * @throws java.io.EOFException when the input ends first, as {@link DataInput#readFloat} would
     */
    void readFloats(DataInput in, float[] a, int off, int len) throws IOException {
        for (int done = 0; done < len; ) {
            int n = Math.min(len - done, CHUNK_FLOATS);
            getFloats(readFully(in, n * Float.BYTES), 0, a, off + done, n);
            done += n;
        }
    }

    /**
     * Reads the next {@code n} bytes of {@code in} into this buffer's array, from index 0, and returns the array
     * (valid until this buffer is used again).
     */
    byte[] readFully(DataInput in, int n) throws IOException {
        if (n > bytes.length) {
            bytes = new byte[n];
        }
        in.readFully(bytes, 0, n);
        return bytes;
    }

    static long getLong(byte[] b, int at) {
        return (long) LONGS.get(b, at);
    }

    /** Decodes {@code len} big-endian floats from {@code b} at byte {@code at} into {@code a[off, off + len)}. */
    static void getFloats(byte[] b, int at, float[] a, int off, int len) {
        for (int i = 0; i < len; i++) {
            a[off + i] = Float.intBitsToFloat((int) INTS.get(b, at + i * Float.BYTES));
        }
    }
}
