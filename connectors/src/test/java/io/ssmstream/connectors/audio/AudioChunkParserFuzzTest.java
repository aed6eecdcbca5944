package io.ssmstream.connectors.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The audio topic's parser over random PCM payloads of any length with header values valid, absent or broken:
 * every record is one chunk of finite samples or one dead letter with a reason and the original bytes.
 */
class AudioChunkParserFuzzTest {
    private static final String[] RATES = {"16000", "44100", "0", "-1", "7999", "999999999", "abc", "", " 16000",
        "1e4", null};
    private static final String[] CHANNELS = {"1", "2", "3", "0", "-2", "65", "x", null};
    private static final String[] STARTS = {"1700000000000000", "0", "-1", "9223372036854775807",
        "99999999999999999999", "t", null};
    private static final String[] ENCODINGS = {"s16le", "f32le", "S16LE", "mp3", "", null};

    private final AudioChunkParser parser = new AudioChunkParser();

    /** A record: payload and headers (name to value, a null value meaning absent). */
    record AudioRecord(byte[] value, Map<String, String> headers) {
        @Override
        public String toString() {
            return value.length + " bytes, headers " + headers;
        }
    }

    @Test
    void everyAudioRecordIsOneChunkOfFiniteSamplesOrOneDeadLetter() {
        Fuzz.check(20261207, Fuzz.DEFAULT_TRIES, AudioChunkParserFuzzTest::record, this::check);
    }

    private static AudioRecord record(Random r) {
        byte[] payload = new byte[r.nextInt(300)];
        r.nextBytes(payload);
        Map<String, String> h = new HashMap<>();
        h.put(AudioHeaders.SAMPLE_RATE, RATES[r.nextInt(RATES.length)]);
        h.put(AudioHeaders.CHANNELS, CHANNELS[r.nextInt(CHANNELS.length)]);
        h.put(AudioHeaders.START_TIME_US, STARTS[r.nextInt(STARTS.length)]);
        h.put(AudioHeaders.ENCODING, ENCODINGS[r.nextInt(ENCODINGS.length)]);
        return new AudioRecord(payload, h);
    }

    private void check(AudioRecord r) {
        byte[] key = "mic-7".getBytes(StandardCharsets.UTF_8);
        ParsedAudioChunk parsed = parser.parse(key, r.value(), name -> {
            String v = r.headers().get(name);
            return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
        }, "audio", 1, 9);
        assertTrue((parsed.chunk == null) != (parsed.deadLetter == null), "exactly one of chunk and dead letter");
        if (parsed.chunk != null) {
            for (float s : parsed.chunk.samples) {
                assertTrue(Float.isFinite(s), "a non-finite sample was let through: " + s);
            }
        } else {
            assertNotNull(parsed.deadLetter.reason);
            assertArrayEquals(r.value(), parsed.deadLetter.value, "the original payload is kept: "
                    + Arrays.toString(Arrays.copyOf(parsed.deadLetter.value, 4)));
        }
    }
}
