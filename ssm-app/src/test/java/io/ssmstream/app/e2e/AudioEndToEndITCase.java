package io.ssmstream.app.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ssmstream.app.SsmStreamCli;
import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.json.AudioScoreJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.audio.AudioClip;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The audio job end to end: audio-send publishes a WAV as PCM chunks, the job writes per-second scores. */
class AudioEndToEndITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final int RATE = 16000;
    private static final long T0_US = 1_700_000_000_000_000L;
    private static final AudioFeatures FEATURES = AudioFeatures.builder().bands(8).build();
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static Path writeWav(Path file, double seconds, long seed) throws Exception {
        Random r = new Random(seed);
        int n = (int) (RATE * seconds);
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 300 * i / RATE) + 500 * r.nextGaussian());
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >> 8);
        }
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(b), new AudioFormat(RATE, 16, 1, true, false),
                n), AudioFileFormat.Type.WAVE, file.toFile());
        return file;
    }

    /** The per-second records the kernels give for the clip. */
    static List<AudioScoreRecord> expected(SsmModel model, String stream, AudioClip clip, String version) {
        AudioFrontEnd fe = new AudioFrontEnd(FEATURES, RATE);
        StreamForecaster f = new StreamForecaster(model, KernelOpsProvider.get(), new GaussianTailScorer());
        ForecasterState state = f.newState();
        Map<Long, double[]> perSecond = new HashMap<>();
        fe.process(fe.newState(), T0_US, clip.samples(), 0, clip.samples().length, (ts, bands) -> {
            double score = f.step(state, ts, bands);
            double[] acc = perSecond.computeIfAbsent(Math.floorDiv(ts / 1000, 1000) * 1000, k -> new double[3]);
            acc[0]++;
            acc[1] += score;
            acc[2] = Math.max(acc[2], score);
        });
        List<AudioScoreRecord> out = new ArrayList<>();
        perSecond.forEach((start, acc) -> out.add(new AudioScoreRecord(stream, start, start + 1000, (int) acc[0],
                acc[1] / acc[0], acc[2], 0, 0, 0, version)));
        out.sort(Comparator.comparingLong(r -> r.start));
        return out;
    }

    @Test
    void chunksInPerSecondScoresOutAndBadChunksDeadLettered(@TempDir Path dir) throws Exception {
        SsmModel random = RandomModels.create(Arch.MAMBA, 8, 8, 1, 4, true, 9);
        Map<String, String> meta = new HashMap<>(random.metadata());
        meta.put(AudioFeatures.METADATA_KEY, FEATURES.toJson());
        meta.put("ssm_stream.version", "audio-e2e");
        SsmModel model = SsmModel.of(random.config(), random.tensors(), meta);
        Path modelFile = dir.resolve("audio.safetensors");
        model.save(modelFile);
        String bootstrap = kafka.bootstrapServers();
        kafka.createTopics(2, "audio-in", "audio-out", "audio-dead");
        Path wav1 = writeWav(dir.resolve("one.wav"), 2.5, 1);
        Path wav2 = writeWav(dir.resolve("two.wav"), 2.5, 2);
        assertEquals(0, SsmStreamCli.newCommandLine().execute("audio-send", "--bootstrap-servers", bootstrap,
                "--topic", "audio-in", "--stream", "mic-1", "--file", wav1.toString(), "--speedup", "0",
                "--start-time-us", Long.toString(T0_US)));
        assertEquals(0, SsmStreamCli.newCommandLine().execute("audio-send", "--bootstrap-servers", bootstrap,
                "--topic", "audio-in", "--stream", "mic-2", "--file", wav2.toString(), "--speedup", "0",
                "--chunk-ms", "37", "--encoding", "f32le", "--start-time-us", Long.toString(T0_US)));
        EndToEndScenario.produce(bootstrap, "audio-in", List.of("not audio, no key, no headers"));

        KafkaJobSpec spec = new KafkaJobSpec(bootstrap, "audio-in", "audio-out", "audio-dead", modelFile, "audio-e2e",
                "earliest", true, true, null, null, 2, "hashmap", null, Duration.ofMillis(200),
                JobSettings.builder().idlePartitionTimeout(Duration.ofMinutes(5)).build());
        StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
        KafkaForecastJob.wireAudio(env, spec, Duration.ofSeconds(1));
        env.execute("audio e2e");

        List<AudioScoreRecord> out = new ArrayList<>();
        for (byte[] v : EndToEndScenario.readCommitted(bootstrap, "audio-out", 6)) {
            out.add(AudioScoreJson.parse(v));
        }
        out.sort(Comparator.comparing((AudioScoreRecord r) -> r.stream).thenComparingLong(r -> r.start));
        List<AudioScoreRecord> want = new ArrayList<>(expected(model, "mic-1", AudioClip.read(wav1), "audio-e2e"));
        want.addAll(expected(model, "mic-2", AudioClip.read(wav2), "audio-e2e"));
        assertEquals(6, want.size());
        assertEquals(want, out);
        assertFalse(out.stream().anyMatch(AudioScoreRecord::discontinuous));

        List<DeadLetter> dead = EndToEndScenario.deadLetters(bootstrap, "audio-dead", 1);
        assertEquals(List.of(DeadLetterReason.MISSING_STREAM), dead.stream().map(d -> d.reason).toList());
    }
}
