package io.ssmstream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors of {@code audio-send} and {@code run --audio}: one line, exit code 2, before any broker is needed. */
class AudioCommandsTest {

    @Test
    void audioSendWithAMissingOrNonAudioFileIsOneLine(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.main("audio-send", "--bootstrap-servers", "localhost:1", "--topic", "a", "--stream",
                "m", "--file", dir.resolve("none.ogg").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertEquals(List.of("ssm-stream: error: " + dir.resolve("none.ogg") + ": no such file"), missing.errLines());
        Path text = Files.writeString(dir.resolve("notes.wav"), "hello");
        CliRun notAudio = CliRun.main("audio-send", "--bootstrap-servers", "localhost:1", "--topic", "a", "--stream",
                "m", "--file", text.toString());
        assertEquals(2, notAudio.exitCode());
        assertEquals(List.of("ssm-stream: error: " + text + ": not a supported audio file (WAV or Ogg Vorbis)"),
                notAudio.errLines());
    }

    @Test
    void audioSendRejectsBadOptionsByName() {
        CliRun encoding = CliRun.main("audio-send", "--bootstrap-servers", "localhost:1", "--topic", "a", "--stream",
                "m", "--file", "x.wav", "--encoding", "mp3");
        assertEquals(2, encoding.exitCode());
        assertEquals(List.of("ssm-stream: error: --encoding must be s16le or f32le, got mp3"), encoding.errLines());
        CliRun chunk = CliRun.main("audio-send", "--bootstrap-servers", "localhost:1", "--topic", "a", "--stream",
                "m", "--file", "x.wav", "--chunk-ms", "0");
        assertEquals(List.of("ssm-stream: error: --chunk-ms must be in [1, 60000], got 0.0"), chunk.errLines());
    }

    @Test
    void runAudioRefusesAModelWithoutAudioSettings() {
        CliRun run = CliRun.main("run", "--audio", "--bootstrap-servers", "localhost:1", "--input-topic", "a",
                "--output-topic", "b", "--dlq-topic", "c", "--model", "../examples/model-mamba.safetensors");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of("ssm-stream: error: ../examples/model-mamba.safetensors: not an audio model (no"
                + " __metadata__[\"ssm_stream.audio\"]; train it with 'ssm-stream train --audio ...')"), run.errLines());
    }

    @Test
    void pcmIsLittleEndianRoundedAndClipped() {
        float[] s = {0.5f, -1f, 1.5f, -0.25f};
        ByteBuffer b = ByteBuffer.wrap(AudioSendCommand.pcm(s, 0, 4, 2)).order(ByteOrder.LITTLE_ENDIAN);
        short[] got = {b.getShort(), b.getShort(), b.getShort(), b.getShort()};
        assertArrayEquals(new short[] {16384, -32768, 32767, -8192}, got);
        ByteBuffer f = ByteBuffer.wrap(AudioSendCommand.pcm(s, 1, 2, 4)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(-1f, f.getFloat());
        assertEquals(1.5f, f.getFloat());
    }
}
