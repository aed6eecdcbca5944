package io.ssmstream.kernels.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Byte-array entry points shared by the state codecs: in-memory I/O cannot fail, so every read error is a format
 * error.
 */
final class CodecBytes {
    interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private CodecBytes() {
    }

    static <T> byte[] toBytes(T value, Writer<T> writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @param what names the format in the truncation message, e.g. {@code "state"} */
    static <T> T fromBytes(byte[] bytes, Reader<T> reader, String what) {
        try {
            return reader.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (EOFException e) {
            throw new StreamStateCodec.StateFormatException("truncated " + what + ": " + bytes.length + " bytes");
        } catch (IOException e) {
            // reading a byte array fails only on what the bytes say (e.g. malformed UTF-8)
            throw new StreamStateCodec.StateFormatException("corrupt " + what + ": " + e.getMessage());
        }
    }
}
