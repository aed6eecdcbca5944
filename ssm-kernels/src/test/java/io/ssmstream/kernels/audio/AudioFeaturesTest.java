package io.ssmstream.kernels.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.format.ModelFormatException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AudioFeaturesTest {

    @Test
    void settingsRoundTripThroughModelMetadata() {
        AudioFeatures f = AudioFeatures.builder().bands(40).windowMs(32).hopMs(16).fMinHz(50).fMaxHz(7000).build();
        assertEquals(f, AudioFeatures.fromMetadata(Map.of(AudioFeatures.METADATA_KEY, f.toJson()), "m"));
        assertEquals(512, f.windowSamples(16000));
        assertEquals(256, f.hopSamples(16000));
        assertEquals(1103, AudioFeatures.defaults().windowSamples(44100));
        assertEquals(441, AudioFeatures.defaults().hopSamples(44100));
    }

    @Test
    void aModelWithoutOrWithBadSettingsIsNamed() {
        String none = assertThrows(ModelFormatException.class,
                () -> AudioFeatures.fromMetadata(Map.of(), "m.safetensors")).getMessage();
        assertTrue(none.startsWith("m.safetensors: not an audio model"), none);
        String bad = assertThrows(ModelFormatException.class, () -> AudioFeatures.fromMetadata(
                Map.of(AudioFeatures.METADATA_KEY, "{\"bands\": 0}"), "m.safetensors")).getMessage();
        assertTrue(bad.contains("bands must be in [1, 512], got 0"), bad);
    }

    @Test
    void contradictorySettingsAreRefusedByName() {
        assertEquals("hop (30.0 ms) must not exceed the window (25.0 ms)", assertThrows(IllegalArgumentException.class,
                () -> AudioFeatures.builder().hopMs(30).build()).getMessage());
        assertEquals("f_min (9000.0 Hz) must be below f_max (8000.0 Hz)", assertThrows(IllegalArgumentException.class,
                () -> AudioFeatures.builder().fMinHz(9000).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new AudioFrontEnd(
                AudioFeatures.builder().fMinHz(5000).build(), 8000)).getMessage().contains("at 8000 Hz"));
    }
}
