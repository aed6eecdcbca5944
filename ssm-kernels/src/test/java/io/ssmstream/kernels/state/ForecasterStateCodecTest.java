package io.ssmstream.kernels.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.InputWindow;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ForecasterStateCodecTest {

    private static StreamState fixtureSsm() {
        float[] layer = new float[6];
        for (int i = 0; i < layer.length; i++) {
            layer[i] = (float) Math.cos(i) * 10;
        }
        return StreamState.ofLayers(new float[][] {layer, {-0f, Float.MIN_VALUE}}, 42L);
    }

    /** The state saved in {@code fixtures/forecaster-state-v1.bin} (codec version 1: no model version, no window). */
    static ForecasterState v1FixtureState() {
        return new ForecasterState(fixtureSsm(), 1_700_000_000_123_456L, new float[] {1.5f, -2.25f},
                new float[] {0.5f, 3f}, new float[] {7f, 8f, 9f});
    }

    /** The state saved in {@code fixtures/forecaster-state-v2.bin}: a wrapped window of 3 after 5 events. */
    static ForecasterState v2FixtureState() {
        InputWindow window = new InputWindow(3, 2);
        for (int i = 0; i < 5; i++) {
            window.add(1_700_000_000_000_000L + i * 1_000_000L, new float[] {i, -0.5f * i});
        }
        return new ForecasterState(fixtureSsm(), 1_700_000_004_000_000L, new float[] {1.5f, -2.25f},
                new float[] {0.5f, 3f}, new float[] {7f, 8f, 9f}, "nyc-taxi-v2", window);
    }

    private byte[] fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void version1FixtureReadsAsAStateOfUnknownModelWithoutWindow() throws Exception {
        ForecasterState state = ForecasterStateCodec.fromBytes(fixture("forecaster-state-v1.bin"));
        assertEquals(v1FixtureState(), state);
        assertNull(state.modelVersion());
        assertEquals(0, state.window().capacity());
        // Written back in the current version, it reads the same.
        byte[] v2 = ForecasterStateCodec.toBytes(state);
        assertEquals(ForecasterStateCodec.CURRENT_VERSION, v2[4]);
        assertEquals(state, ForecasterStateCodec.fromBytes(v2));
    }

    @Test
    void version2FixtureStaysReadableAndIsWhatThisReleaseWrites() throws Exception {
        byte[] saved = fixture("forecaster-state-v2.bin");
        ForecasterState state = ForecasterStateCodec.fromBytes(saved);
        assertEquals(v2FixtureState(), state);
        assertEquals("nyc-taxi-v2", state.modelVersion());
        assertEquals(1_700_000_002_000_000L, state.window().tsMicros(0));
        assertArrayEquals(saved, ForecasterStateCodec.toBytes(state));
    }

    @Test
    void roundTripsWithAndWithoutVersionAndWindow() {
        for (ForecasterState s : new ForecasterState[] {v1FixtureState(), v2FixtureState(),
                v1FixtureState().withWindowCapacity(64)}) {
            assertEquals(s, ForecasterStateCodec.fromBytes(ForecasterStateCodec.toBytes(s)));
        }
    }

    /** Windows written in several pieces: events that straddle a chunk, events larger than a chunk. */
    @Test
    void windowsLargerThanOneWriteRoundTrip() {
        for (int dInput : new int[] {1, 1500}) {
            InputWindow window = new InputWindow(1000, dInput);
            float[] values = new float[dInput];
            for (int i = 0; i < 1100; i++) {
                values[i % dInput] = i * 0.25f;
                window.add(1_700_000_000_000_000L + i, values);
            }
            float[] mean = new float[dInput];
            ForecasterState state = new ForecasterState(fixtureSsm(), 1_700_000_000_001_099L, mean, mean.clone(),
                    new float[] {1f}, "wide", window);
            assertEquals(state, ForecasterStateCodec.fromBytes(ForecasterStateCodec.toBytes(state)),
                    "d_input " + dInput);
        }
    }

    @Test
    void corruptWindowOrFutureVersionIsRefusedWithAReason() throws Exception {
        byte[] good = fixture("forecaster-state-v2.bin");
        byte[] future = good.clone();
        future[4] = 3;
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> ForecasterStateCodec.fromBytes(future)).getMessage().contains("version 3 is newer"));
        byte[] oversized = good.clone();
        int windowSize = 0x43; // after the 11-byte UTF version: capacity at 0x3f, size at 0x43
        oversized[windowSize + 3] = 9;
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> ForecasterStateCodec.fromBytes(oversized)).getMessage().contains("window of 9 events"));
    }
}
