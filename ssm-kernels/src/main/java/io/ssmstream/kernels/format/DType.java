package io.ssmstream.kernels.format;

import java.nio.ByteBuffer;

/** The safetensors element types a model file may use. Everything is converted to float on load. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses a safetensors dtype name, or returns null when it is not one of ours. */
    static DType fromName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Reads {@code count} little-endian elements starting at the buffer's position into floats. */
    float[] decode(ByteBuffer little, int count) {
        float[] out = new float[count];
        switch (this) {
            case F32:
                little.asFloatBuffer().get(out);
                break;
            case F64:
                for (int i = 0; i < count; i++) {
                    out[i] = (float) little.getDouble(little.position() + 8 * i);
                }
                break;
            case BF16:
                for (int i = 0; i < count; i++) {
                    out[i] = Float.intBitsToFloat((little.getShort(little.position() + 2 * i) & 0xffff) << 16);
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    out[i] = HalfFloat.toFloat(little.getShort(little.position() + 2 * i));
                }
                break;
            default:
                throw new AssertionError(this);
        }
        return out;
    }
}
