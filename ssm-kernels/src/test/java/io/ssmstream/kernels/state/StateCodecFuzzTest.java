package io.ssmstream.kernels.state;

import io.ssmstream.kernels.testing.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Corrupted saved states (the fixtures of every codec version and arch, mutated): decoding either gives a state
 * or a {@link StreamStateCodec.StateFormatException}, never another exception: a checkpoint or savepoint that
 * was damaged fails its restore with a message, not with an array index error deep in a codec.
 */
class StateCodecFuzzTest {

    @Provide
    Arbitrary<byte[]> corruptStreamStates() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(fixture("state-v1.bin"));
        for (String arch : List.of("mamba", "s4d", "lru", "s5", "mamba2")) {
            seeds.add(fixture("reference/" + arch + "-F32.state-v1.bin"));
        }
        return Mutations.of(seeds);
    }

    @Provide
    Arbitrary<byte[]> corruptForecasterStates() {
        return Mutations.of(List.of(fixture("forecaster-state-v1.bin"), fixture("forecaster-state-v2.bin")));
    }

    @Provide
    Arbitrary<byte[]> corruptAudioStates() {
        return Mutations.of(List.of(fixture("audio-frontend-state-v1.bin")));
    }

    @Property(seed = "20261207")
    void aCorruptStreamStateIsAStateFormatErrorOrAState(@ForAll("corruptStreamStates") byte[] bytes) {
        try {
            StreamStateCodec.fromBytes(bytes);
        } catch (StreamStateCodec.StateFormatException expected) {
            // the one allowed failure
        }
    }

    @Property(seed = "20261207")
    void aCorruptForecasterStateIsAStateFormatErrorOrAState(@ForAll("corruptForecasterStates") byte[] bytes) {
        try {
            ForecasterStateCodec.fromBytes(bytes);
        } catch (StreamStateCodec.StateFormatException expected) {
            // the one allowed failure
        }
    }

    @Property(seed = "20261207")
    void aCorruptAudioFrontEndStateIsAStateFormatErrorOrAState(@ForAll("corruptAudioStates") byte[] bytes) {
        try {
            AudioFrontEndStateCodec.fromBytes(bytes);
        } catch (StreamStateCodec.StateFormatException expected) {
            // the one allowed failure
        }
    }

    private static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Path.of(StateCodecFuzzTest.class.getResource("/fixtures/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
