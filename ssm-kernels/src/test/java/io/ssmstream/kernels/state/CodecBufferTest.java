package io.ssmstream.kernels.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodecBufferTest {

    private static float[] randomFloats(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian() * 100;
        }
        return a;
    }

    /** What the codecs wrote before they encoded into a buffer: one {@code writeFloat} per element. */
    private static byte[] writeFloatLoop(float[] a) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (float v : a) {
                out.writeFloat(v);
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] blocks(float[] a, int off, int len) throws IOException {
        return encoded(new CodecBuffer(), buffer -> buffer.putFloats(a, off, len));
    }

    private static byte[] encoded(CodecBuffer buffer, Consumer<CodecBuffer> puts) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            buffer.clear();
            puts.accept(buffer);
            buffer.writeTo(out);
        }
        return bytes.toByteArray();
    }

    private static float[] readBlocks(byte[] bytes, int len) throws IOException {
        float[] a = new float[len];
        new CodecBuffer().readFloats(new DataInputStream(new ByteArrayInputStream(bytes)), a, 0, len);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1023, 1024, 1025, 5000})
    void writesTheBytesOfAWriteFloatLoop(int n) throws IOException {
        float[] a = randomFloats(n);
        assertArrayEquals(writeFloatLoop(a), blocks(a, 0, n));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 1023, 1024, 1025, 5000})
    void readsBackWhatItWrote(int n) throws IOException {
        float[] a = randomFloats(n);
        assertArrayEquals(a, readBlocks(blocks(a, 0, n), n));
    }

    @Test
    void specialValuesKeepWriteFloatBitsWithNanPayloadsCanonical() throws IOException {
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffbfffff), -0f, 0f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
                Float.intBitsToFloat(0x007fffff), Float.MIN_NORMAL, Float.MAX_VALUE};
        byte[] bytes = blocks(special, 0, special.length);
        assertArrayEquals(writeFloatLoop(special), bytes);
        float[] back = readBlocks(bytes, special.length);
        for (int i = 0; i < special.length; i++) {
            assertEquals(Float.floatToIntBits(special[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
    }

    @Test
    void writesAndReadsTheGivenRangeOnly() throws IOException {
        float[] a = randomFloats(3000);
        byte[] bytes = blocks(a, 500, 2000);
        assertArrayEquals(writeFloatLoop(Arrays.copyOfRange(a, 500, 2500)), bytes);
        float[] into = new float[3000];
        new CodecBuffer().readFloats(new DataInputStream(new ByteArrayInputStream(bytes)), into, 700, 2000);
        assertArrayEquals(Arrays.copyOfRange(a, 500, 2500), Arrays.copyOfRange(into, 700, 2700));
        assertArrayEquals(new float[700], Arrays.copyOfRange(into, 0, 700));
        assertArrayEquals(new float[300], Arrays.copyOfRange(into, 2700, 3000));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4097})
    void truncatedInputThrowsEofLikeReadFloat(int missingBytes) throws IOException {
        float[] a = randomFloats(1500);
        byte[] bytes = blocks(a, 0, a.length);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - missingBytes);
        assertThrows(EOFException.class, () -> readBlocks(truncated, a.length));
    }

    @Test
    void putsTheBytesOfDataOutputCallsAcrossGrowthAndReuse() throws IOException {
        String version = "model-\u00e9-\u4e2d-v3";
        float[] a = randomFloats(3000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeInt(0x53534D46);
            out.writeByte(2);
            out.writeLong(Long.MIN_VALUE + 7);
            out.writeBoolean(true);
            out.writeUTF(version);
            out.writeUTF("other");
            out.writeUTF(version);
            for (float v : a) {
                out.writeFloat(v);
            }
        }
        CodecBuffer buffer = new CodecBuffer();
        for (int round = 0; round < 2; round++) {
            byte[] bytes = encoded(buffer, b -> {
                b.putInt(0x53534D46);
                b.putByte(2);
                b.putLong(Long.MIN_VALUE + 7);
                b.putBoolean(true);
                b.putUtf(version);
                b.putUtf("other");
                b.putUtf(version);
                b.putFloats(a, 0, a.length);
            });
            assertArrayEquals(expected.toByteArray(), bytes, "round " + round);
        }
    }

    @Test
    void aStringTooLongForWriteUtfIsRefusedAsThere() {
        String tooLong = "x".repeat(65_536);
        CodecBuffer buffer = new CodecBuffer();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> buffer.putUtf(tooLong));
        assertInstanceOf(UTFDataFormatException.class, e.getCause());
    }
}
