package io.ssmstream.kernels.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.StreamState;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamStateCodecTest {

    /** The state saved in {@code fixtures/state-v1.bin} by release 0.1 (codec version 1). */
    static StreamState v1FixtureState() {
        float[] first = new float[10];
        for (int i = 0; i < first.length; i++) {
            first[i] = (float) Math.sin(i) * 100;
        }
        float[] second = {Float.MIN_VALUE, -0f, Float.MAX_VALUE, 1e-30f};
        return StreamState.ofLayers(new float[][] {first, second, new float[0]}, 12_345L);
    }

    @Test
    void roundTripKeepsEveryBitAndTheEventCount() {
        StreamState state = v1FixtureState();
        StreamState back = StreamStateCodec.fromBytes(StreamStateCodec.toBytes(state));
        assertEquals(state, back);
        assertEquals(12_345L, back.events());
    }

    @Test
    void version1FixtureStaysReadable() throws Exception {
        byte[] saved;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/state-v1.bin")) {
            saved = in.readAllBytes();
        }
        StreamState state = StreamStateCodec.fromBytes(saved);
        assertEquals(v1FixtureState(), state);
        assertArrayEquals(saved, StreamStateCodec.toBytes(state), "version 1 is still what this release writes");
    }

    @Test
    void foreignOrDamagedBytesAreRefusedWithAReason() {
        byte[] good = StreamStateCodec.toBytes(v1FixtureState());
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> StreamStateCodec.fromBytes(badMagic)).getMessage().contains("not an ssm-stream state"));
        byte[] future = good.clone();
        future[4] = 9;
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> StreamStateCodec.fromBytes(future)).getMessage().contains("version 9 is newer"));
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> StreamStateCodec.fromBytes(truncated)).getMessage().contains("truncated"));
        byte[] hugeLayer = good.clone();
        hugeLayer[17] = 0x7f; // first layer length's high byte
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> StreamStateCodec.fromBytes(hugeLayer)).getMessage().contains("corrupt"));
    }
}
