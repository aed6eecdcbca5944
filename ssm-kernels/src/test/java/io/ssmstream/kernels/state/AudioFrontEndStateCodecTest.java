package io.ssmstream.kernels.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.audio.AudioFrontEndState;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioFrontEndStateCodecTest {

    /** The state saved in {@code fixtures/audio-frontend-state-v1.bin} (codec version 1). */
    static AudioFrontEndState v1FixtureState() {
        float[] buffer = new float[400];
        for (int i = 0; i < 250; i++) {
            buffer[i] = (float) Math.sin(i * 0.1);
        }
        return new AudioFrontEndState(16000, 1_700_000_000_123_456L, 48_250L, 300L, buffer, 250);
    }

    @Test
    void roundTripKeepsThePartialFrameAndCounters() {
        AudioFrontEndState state = v1FixtureState();
        AudioFrontEndState back = AudioFrontEndStateCodec.fromBytes(AudioFrontEndStateCodec.toBytes(state));
        assertEquals(state, back);
        assertEquals(400, back.capacity());
        assertArrayEquals(state.pendingSamples(), back.pendingSamples(), 0f);
        assertEquals(state.expectedNextMicros(), back.expectedNextMicros());
    }

    @Test
    void aNewStreamsStateRoundTrips() {
        AudioFrontEndState empty = AudioFrontEndState.empty(1103);
        assertEquals(empty, AudioFrontEndStateCodec.fromBytes(AudioFrontEndStateCodec.toBytes(empty)));
    }

    @Test
    void version1FixtureStaysReadable() throws Exception {
        byte[] saved;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/audio-frontend-state-v1.bin")) {
            saved = in.readAllBytes();
        }
        AudioFrontEndState state = AudioFrontEndStateCodec.fromBytes(saved);
        assertEquals(v1FixtureState(), state);
        assertArrayEquals(saved, AudioFrontEndStateCodec.toBytes(state), "version 1 is still what this release writes");
    }

    @Test
    void foreignOrDamagedBytesAreRefusedWithAReason() {
        byte[] good = AudioFrontEndStateCodec.toBytes(v1FixtureState());
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> AudioFrontEndStateCodec.fromBytes(badMagic)).getMessage().contains("not an ssm-stream audio"));
        byte[] future = good.clone();
        future[4] = 7;
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> AudioFrontEndStateCodec.fromBytes(future)).getMessage().contains("version 7 is newer"));
        byte[] truncated = Arrays.copyOf(good, good.length - 5);
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> AudioFrontEndStateCodec.fromBytes(truncated)).getMessage().contains("truncated"));
        byte[] overfull = good.clone();
        overfull[37] = 0x7f; // pending count's high byte
        assertTrue(assertThrows(StreamStateCodec.StateFormatException.class,
                () -> AudioFrontEndStateCodec.fromBytes(overfull)).getMessage().contains("pending samples"));
    }
}
