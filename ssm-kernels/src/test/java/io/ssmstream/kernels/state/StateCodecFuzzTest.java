package io.ssmstream.kernels.state;

import io.ssmstream.kernels.testing.Fuzz;
import io.ssmstream.kernels.testing.Mutations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Corrupted saved states (the fixtures of every codec version and arch, mutated): decoding either gives a state
 * or a {@link StreamStateCodec.StateFormatException}, never another exception: a checkpoint or savepoint that
 * was damaged fails its restore with a message, not with an array index error deep in a codec.
 */
class StateCodecFuzzTest {

    @Test
    void aCorruptStreamStateIsAStateFormatErrorOrAState() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(fixture("state-v1.bin"));
        for (String arch : List.of("mamba", "s4d", "s4", "lssl", "lru", "s5", "mamba2", "spacetime")) {
            seeds.add(fixture("reference/" + arch + "-F32.state-v1.bin"));
        }
        decodeOrRefuse(seeds, StreamStateCodec::fromBytes);
    }

    @Test
    void aCorruptForecasterStateIsAStateFormatErrorOrAState() {
        decodeOrRefuse(List.of(fixture("forecaster-state-v1.bin"), fixture("forecaster-state-v2.bin")),
                ForecasterStateCodec::fromBytes);
    }

    @Test
    void aCorruptAudioFrontEndStateIsAStateFormatErrorOrAState() {
        decodeOrRefuse(List.of(fixture("audio-frontend-state-v1.bin")), AudioFrontEndStateCodec::fromBytes);
    }

    private static void decodeOrRefuse(List<byte[]> seeds, Function<byte[], ?> decoder) {
        Fuzz.check(20261207, Fuzz.DEFAULT_TRIES, r -> Mutations.of(seeds, r), bytes -> {
            try {
                decoder.apply(bytes);
            } catch (StreamStateCodec.StateFormatException expected) {
                // the one allowed failure
            }
        });
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
