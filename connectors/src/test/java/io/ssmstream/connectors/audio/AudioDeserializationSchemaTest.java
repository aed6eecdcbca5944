package io.ssmstream.connectors.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.json.AudioScoreJson;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class AudioDeserializationSchemaTest {
    private final AudioDeserializationSchema schema = new AudioDeserializationSchema();

    static ConsumerRecord<byte[], byte[]> record(String key, byte[] value, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("audio", 3, 42L, ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                -1, -1, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, h, Optional.empty());
    }

    static byte[] s16(short... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) {
            b.putShort(s);
        }
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    static final String[] MONO_16K = {"sample-rate", "16000", "channels", "1", "start-time-us", "1700000000000000"};

    @Test
    void s16leMonoChunkIsDecodedWithItsHeaders() {
        ParsedAudioChunk p = schema.parse(record("mic-1", s16((short) 16384, (short) -32768, (short) 0), MONO_16K));
        assertNull(p.deadLetter);
        AudioChunk c = p.chunk;
        assertEquals("mic-1", c.stream);
        assertEquals(16000, c.sampleRate);
        assertEquals(1_700_000_000_000_000L, c.startMicros);
        assertEquals(1_700_000_000_000L, c.startMillis());
        assertArrayEquals(new float[] {0.5f, -1f, 0f}, c.samples, 0f);
        assertEquals("audio", c.topic);
        assertEquals(42L, c.offset);
    }

    @Test
    void f32leStereoIsMixedDownToMono() {
        ParsedAudioChunk p = schema.parse(record("mic-2", f32(0.5f, 0.25f, -1f, 1f),
                "sample-rate", "44100", "channels", "2", "start-time-us", "5", "encoding", "F32LE"));
        assertArrayEquals(new float[] {0.375f, 0f}, p.chunk.samples, 0f);
        assertEquals(2, p.chunk.channels);
    }

    private DeadLetter dead(ConsumerRecord<byte[], byte[]> r) {
        ParsedAudioChunk p = schema.parse(r);
        assertNull(p.chunk);
        assertNotNull(p.deadLetter);
        assertArrayEquals(r.value() == null ? new byte[0] : r.value(), p.deadLetter.value, "original bytes kept");
        assertEquals(42L, p.deadLetter.offset);
        return p.deadLetter;
    }

    @Test
    void badChunksBecomeDeadLettersNamingTheProblem() {
        byte[] pcm = s16((short) 1, (short) 2);
        DeadLetter noKey = dead(record(null, pcm, MONO_16K));
        assertEquals(DeadLetterReason.MISSING_STREAM, noKey.reason);

        DeadLetter noRate = dead(record("m", pcm, "channels", "1", "start-time-us", "0"));
        assertEquals(DeadLetterReason.MISSING_HEADER, noRate.reason);
        assertEquals("missing header sample-rate", noRate.detail);
        DeadLetter noStart = dead(record("m", pcm, "sample-rate", "16000", "channels", "1"));
        assertEquals("missing header start-time-us", noStart.detail);

        DeadLetter badRate = dead(record("m", pcm, "sample-rate", "16k", "channels", "1", "start-time-us", "0"));
        assertEquals(DeadLetterReason.BAD_HEADER, badRate.reason);
        assertTrue(badRate.detail.contains("'16k'"), badRate.detail);
        DeadLetter badChannels = dead(record("m", pcm, "sample-rate", "16000", "channels", "0", "start-time-us", "0"));
        assertEquals(DeadLetterReason.BAD_HEADER, badChannels.reason);
        DeadLetter badEncoding = dead(record("m", pcm, "sample-rate", "16000", "channels", "1", "start-time-us", "0",
                "encoding", "mp3"));
        assertTrue(badEncoding.detail.contains("s16le or f32le"), badEncoding.detail);

        DeadLetter odd = dead(record("m", new byte[] {1, 2, 3}, MONO_16K));
        assertEquals(DeadLetterReason.BAD_AUDIO_LENGTH, odd.reason);
        assertTrue(odd.detail.startsWith("3 bytes"), odd.detail);
        DeadLetter stereoHalfFrame = dead(record("m", s16((short) 1, (short) 2, (short) 3),
                "sample-rate", "16000", "channels", "2", "start-time-us", "0"));
        assertEquals(DeadLetterReason.BAD_AUDIO_LENGTH, stereoHalfFrame.reason);
        assertEquals(DeadLetterReason.BAD_AUDIO_LENGTH, dead(record("m", null, MONO_16K)).reason);

        DeadLetter nan = dead(record("m", f32(0f, Float.NaN), "sample-rate", "16000", "channels", "1",
                "start-time-us", "0", "encoding", "f32le"));
        assertEquals(DeadLetterReason.NON_FINITE_VALUE, nan.reason);
    }

    @Test
    void audioScoreJsonRoundTrips() {
        AudioScoreRecord r = new AudioScoreRecord("mic-1", 1000, 2000, 100, 0.25, 0.999, 1, 0, 50_000, "v1");
        String json = AudioScoreJson.toJson(r);
        assertTrue(json.contains("\"discontinuous\":true") && json.contains("\"score_max\":0.999"), json);
        assertEquals(r, AudioScoreJson.parse(json.getBytes(StandardCharsets.UTF_8)));
    }
}
