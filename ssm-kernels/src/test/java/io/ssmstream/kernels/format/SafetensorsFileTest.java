package io.ssmstream.kernels.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    /** A file built by hand, byte by byte, the way another writer (PyTorch's safetensors) lays it out. */
    private static byte[] handMade(String headerJson, byte[] data) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header).put(data);
        return b.array();
    }

    private static byte[] littleEndian(int bytesPerElement, long... raw) {
        ByteBuffer b = ByteBuffer.allocate(bytesPerElement * raw.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : raw) {
            switch (bytesPerElement) {
                case 2:
                    b.putShort((short) v);
                    break;
                case 4:
                    b.putInt((int) v);
                    break;
                default:
                    b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void writtenFileReadsBackIdentically(@TempDir Path dir) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", new Tensor("a", new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 1e30f, -0f}));
        tensors.put("b.c", new Tensor("b.c", new int[] {1}, new float[] {42}));
        tensors.put("empty", new Tensor("empty", new int[] {0}, new float[0]));
        SafetensorsFile file = new SafetensorsFile(tensors, Map.of("k", "v"));
        Path path = dir.resolve("m.safetensors");
        file.write(path);

        SafetensorsFile back = SafetensorsFile.read(path);
        assertEquals(tensors, back.tensors());
        assertEquals(Map.of("k", "v"), back.metadata());
        byte[] bytes = Files.readAllBytes(path);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header is padded to 8 bytes so that data is aligned");
    }

    @Test
    void readsF16Bf16AndF64AsFloat() {
        // F16: 1.0 = 0x3C00, -2.0 = 0xC000, 65504 = 0x7BFF, smallest subnormal 0x0001 = 2^-24
        // BF16: 1.0 = 0x3F80, -3.0 = 0xC040
        // F64: 0.1
        byte[] f16 = littleEndian(2, 0x3C00, 0xC000, 0x7BFF, 0x0001);
        byte[] bf16 = littleEndian(2, 0x3F80, 0xC040);
        byte[] f64 = littleEndian(8, Double.doubleToLongBits(0.1));
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[12,20]}}";
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(f16);
        data.writeBytes(bf16);
        data.writeBytes(f64);
        SafetensorsFile file = SafetensorsFile.read(handMade(header, data.toByteArray()), "mixed.safetensors");
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f}, file.tensors().get("h").data());
        assertArrayEquals(new float[] {1f, -3f}, file.tensors().get("b").data());
        assertArrayEquals(new float[] {0.1f}, file.tensors().get("d").data());
        assertArrayEquals(new int[] {1, 1}, file.tensors().get("d").shape());
    }

    private static String failure(byte[] bytes) {
        return assertThrows(ModelFormatException.class, () -> SafetensorsFile.read(bytes, "bad.safetensors")).getMessage();
    }

    @Test
    void truncatedFilesAreRefusedWithTheReason() {
        assertTrue(failure(new byte[3]).contains("truncated"));
        byte[] good = handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        String message = failure(Arrays.copyOf(good, good.length - 1));
        assertTrue(message.contains("bad.safetensors") && message.contains("tensor a") && message.contains("truncated"),
                message);
        assertTrue(failure(Arrays.copyOf(good, 20)).contains("truncated"));
    }

    @Test
    void malformedHeadersNameTheProblem() {
        assertTrue(failure(handMade("{not json", new byte[0])).contains("not valid JSON"));
        assertTrue(failure(handMade("[1,2]", new byte[0])).contains("JSON object"));
        assertTrue(failure(handMade("{\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]))
                .contains("unsupported dtype"));
        assertTrue(failure(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]))
                .contains("needs 12"));
        assertTrue(failure(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", new byte[8]))
                .contains("non-negative"));
        assertTrue(failure(handMade("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4])).contains("data_offsets"));
        assertTrue(failure(handMade("{\"__metadata__\":{\"k\":1}}", new byte[0])).contains("must be a string"));
        byte[] hugeHeader = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertTrue(failure(hugeHeader).contains("not a safetensors file"));
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.safetensors");
        String message = assertThrows(ModelFormatException.class, () -> SafetensorsFile.read(missing)).getMessage();
        assertTrue(message.contains("nope.safetensors") && message.contains("no such file"), message);
    }
}
