package io.ssmstream.kernels.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: an 8-byte little-endian header length, a JSON header
 * {@code {name: {"dtype", "shape", "data_offsets"}, "__metadata__": {string: string}}}, then the raw
 * little-endian tensor data. Reads F32, F16, BF16 and F64 (converted to float); writes F32.
 *
 * <p>Reading validates everything a hand-made or truncated file can get wrong and reports it as a
 * {@link ModelFormatException} naming the source and the tensor.
 */
public final class SafetensorsFile {
    static final String METADATA_KEY = "__metadata__";
    /** Headers beyond this are not model files: refuse before allocating. */
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    public SafetensorsFile(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Tensors in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public static SafetensorsFile read(Path path) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path + ": no such file");
        } catch (IOException e) {
            throw new ModelFormatException(path + ": cannot read: " + e.getMessage(), e);
        }
        return read(bytes, path.toString());
    }

    /**
     * Parses a whole safetensors file held in memory.
     *
     * @param source named in error messages (a path or URI)
     */
    public static SafetensorsFile read(byte[] bytes, String source) {
        if (bytes.length < 8) {
            throw new ModelFormatException(source + ": truncated: " + bytes.length
                    + " bytes, a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(source + ": not a safetensors file (header length " + headerLength + ")");
        }
        if (8 + headerLength > bytes.length) {
            throw new ModelFormatException(source + ": truncated: header says " + headerLength
                    + " bytes of JSON but the file has only " + (bytes.length - 8) + " after the length");
        }
        int dataStart = (int) (8 + headerLength);
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(source + ": header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(source + ": header must be a JSON object");
        }
        Map<String, String> metadata = readMetadata(header.get(METADATA_KEY), source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long dataLength = bytes.length - (long) dataStart;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getKey().equals(METADATA_KEY)) {
                tensors.put(entry.getKey(), readTensor(entry.getKey(), entry.getValue(), buf, dataStart, dataLength, source));
            }
        }
        return new SafetensorsFile(tensors, metadata);
    }

    private static Map<String, String> readMetadata(JsonNode node, String source) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new ModelFormatException(source + ": " + METADATA_KEY + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelFormatException(source + ": " + METADATA_KEY + "." + e.getKey() + " must be a string");
            }
            metadata.put(e.getKey(), e.getValue().asText());
        }
        return metadata;
    }

    private static Tensor readTensor(String name, JsonNode info, ByteBuffer buf, int dataStart, long dataLength,
                                     String source) {
        String where = source + ": tensor " + name;
        if (!info.isObject()) {
            throw new ModelFormatException(where + ": header entry must be an object");
        }
        JsonNode dtypeNode = info.get("dtype");
        DType dtype = dtypeNode == null ? null : DType.fromName(dtypeNode.asText());
        if (dtype == null) {
            throw new ModelFormatException(where + ": unsupported dtype " + dtypeNode + " (supported: F32, F16, BF16, F64)");
        }
        int[] shape = readShape(info.get("shape"), where);
        JsonNode offsets = info.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
            throw new ModelFormatException(where + ": data_offsets must be [begin, end]");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        long count = Tensor.elementCount(shape);
        if (begin < 0 || end < begin) {
            throw new ModelFormatException(where + ": bad data_offsets [" + begin + ", " + end + "]");
        }
        if (end - begin != count * dtype.bytes()) {
            throw new ModelFormatException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes but shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + count * dtype.bytes());
        }
        if (end > dataLength) {
            throw new ModelFormatException(where + ": truncated: data ends at byte " + end
                    + " but the file's data section has only " + dataLength + " bytes");
        }
        ByteBuffer slice = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        slice.position((int) (dataStart + begin));
        return new Tensor(name, shape, dtype.decode(slice.slice().order(ByteOrder.LITTLE_ENDIAN), (int) count));
    }

    private static int[] readShape(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw new ModelFormatException(where + ": shape must be an array of non-negative integers");
        }
        int[] shape = new int[node.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.canConvertToInt() || d.asInt() < 0) {
                throw new ModelFormatException(where + ": shape must be an array of non-negative integers, got " + node);
            }
            shape[i] = d.asInt();
            count *= shape[i];
            if (count > Integer.MAX_VALUE / 8) {
                throw new ModelFormatException(where + ": shape " + node + " is too large");
            }
        }
        return shape;
    }

    /**
     * Writes all tensors as F32 in insertion order, header padded with spaces to an 8-byte boundary; through a
     * temporary file in the same directory, so that readers never see half a model.
     */
    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        // Not Files.createTempFile: that makes the file owner-only, and a model is meant to be shared.
        Path tmp = dir.resolve("." + path.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writeTo(out);
            }
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public void writeTo(OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        List<Tensor> order = new ArrayList<>(tensors.values());
        for (Tensor t : order) {
            ObjectNode info = header.putObject(t.name());
            info.put("dtype", DType.F32.name());
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.data().length;
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : order) {
            ByteBuffer data = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(t.data());
            out.write(data.array());
        }
    }
}
