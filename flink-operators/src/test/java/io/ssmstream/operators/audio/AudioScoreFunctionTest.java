package io.ssmstream.operators.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.audio.AudioChunk;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.NllQuantileScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The keyed audio scorer in Flink's operator test harness: per-interval output, gaps, timers. */
class AudioScoreFunctionTest {
    private static final int RATE = 16000;
    private static final long T0_MS = 1_700_000_000_000L;
    private static final AudioFeatures FEATURES = AudioFeatures.builder().bands(8).build();
    private static final SsmModel MODEL = RandomModels.create(Arch.MAMBA, 8, 8, 1, 4, true, 5);
    private static final ModelArtifact ARTIFACT = artifact(MODEL);

    private static ModelArtifact artifact(SsmModel model) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.toFile().writeTo(bytes);
            return ModelArtifact.fromBytes(bytes.toByteArray(), "test-model");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, AudioScoreRecord> harness()
            throws Exception {
        return harness(ARTIFACT);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AudioChunk, AudioScoreRecord> harness(
            ModelArtifact artifact) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new AudioScoreFunction(artifact, FEATURES, Duration.ofSeconds(1),
                        Duration.ofHours(1))), c -> c.stream, Types.STRING);
    }

    static float[] signal(double seconds, long seed) {
        Random r = new Random(seed);
        float[] s = new float[(int) (RATE * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE) + 0.05 * r.nextGaussian());
        }
        return s;
    }

    /** Chunks of {@code chunk} samples stamped with their first sample's time; {@code skip} chunks left out. */
    static List<AudioChunk> chunks(String stream, float[] s, int chunk, int... skip) {
        List<AudioChunk> out = new ArrayList<>();
        for (int at = 0, i = 0; at < s.length; at += chunk, i++) {
            int index = i;
            if (Arrays.stream(skip).anyMatch(k -> k == index)) {
                continue;
            }
            float[] part = Arrays.copyOfRange(s, at, Math.min(s.length, at + chunk));
            out.add(new AudioChunk(stream, T0_MS * 1000 + (long) at * 1_000_000L / RATE, RATE, 1, part));
        }
        return out;
    }

    static List<AudioScoreRecord> run(List<AudioChunk> chunks) throws Exception {
        try (var h = harness()) {
            h.open();
            for (AudioChunk c : chunks) {
                h.processElement(c, c.startMillis());
            }
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(0, h.numEventTimeTimers(), "no timer is left once every interval is out");
            return new ArrayList<>(h.extractOutputValues());
        }
    }

    @Test
    void scoresAreReducedToOneRecordPerSecondMatchingTheKernels() throws Exception {
        float[] s = signal(2.5, 1);
        List<AudioScoreRecord> records = run(chunks("mic", s, 1600));
        assertEquals(3, records.size());
        // the same frames straight through the kernels
        AudioFrontEnd fe = new AudioFrontEnd(FEATURES, RATE);
        StreamForecaster f = new StreamForecaster(MODEL, KernelOpsProvider.get(), new GaussianTailScorer());
        ForecasterState state = f.newState();
        List<double[]> perSecond = new ArrayList<>();
        fe.process(fe.newState(), T0_MS * 1000, s, 0, s.length, (ts, bands) -> {
            int second = (int) ((ts / 1000 - T0_MS) / 1000);
            while (perSecond.size() <= second) {
                perSecond.add(new double[] {0, 0, 0});
            }
            double score = f.step(state, ts, bands);
            double[] acc = perSecond.get(second);
            acc[0]++;
            acc[1] += score;
            acc[2] = Math.max(acc[2], score);
        });
        for (int k = 0; k < 3; k++) {
            AudioScoreRecord r = records.get(k);
            assertEquals("mic", r.stream);
            assertEquals(T0_MS + 1000L * k, r.start);
            assertEquals(T0_MS + 1000L * (k + 1), r.end);
            assertEquals((int) perSecond.get(k)[0], r.frames);
            assertEquals(perSecond.get(k)[1] / r.frames, r.meanScore, 1e-12);
            assertEquals(perSecond.get(k)[2], r.maxScore, 0.0);
            assertFalse(r.discontinuous());
            assertEquals(ARTIFACT.version(), r.modelVersion);
        }
        assertEquals(100, records.get(0).frames, "100 frames per second at a 10 ms hop");
    }

    @Test
    void aModelCarryingItsLikelihoodQuantilesIsScoredWithThem() throws Exception {
        float[] s = signal(1.2, 2);
        // quantiles of this very signal's likelihoods, so that its frames score across (0, 1)
        List<Double> nlls = new ArrayList<>();
        StreamForecaster plain = new StreamForecaster(MODEL, KernelOpsProvider.get(), new GaussianTailScorer());
        ForecasterState before = plain.newState();
        AudioFrontEnd calibration = new AudioFrontEnd(FEATURES, RATE);
        calibration.process(calibration.newState(), T0_MS * 1000, s, 0, s.length, (ts, bands) -> {
            if (before.hasEvents()) {
                nlls.add(NllQuantileScorer.nll(bands, before.forecastMean(), before.forecastStd()));
            }
            plain.step(before, ts, bands);
        });
        float[] quantiles = NllQuantileScorer.quantilesOf(nlls.stream().mapToDouble(Double::doubleValue).toArray(), 10);
        SsmModel calibrated = SsmModel.of(MODEL.config(), MODEL.tensors(),
                Map.of(NllQuantileScorer.METADATA_KEY, NllQuantileScorer.toJson(quantiles)));
        List<AudioScoreRecord> records;
        try (var h = harness(artifact(calibrated))) {
            h.open();
            for (AudioChunk c : chunks("mic", s, 1600)) {
                h.processElement(c, c.startMillis());
            }
            h.processWatermark(Long.MAX_VALUE);
            records = new ArrayList<>(h.extractOutputValues());
        }
        AudioFrontEnd fe = new AudioFrontEnd(FEATURES, RATE);
        StreamForecaster f = new StreamForecaster(calibrated, KernelOpsProvider.get(),
                NllQuantileScorer.forModel(calibrated, "test"));
        ForecasterState state = f.newState();
        double[] firstSecond = {0, 0};
        fe.process(fe.newState(), T0_MS * 1000, s, 0, s.length, (ts, bands) -> {
            double score = f.step(state, ts, bands);
            if (ts / 1000 < T0_MS + 1000) {
                firstSecond[0] += score;
                firstSecond[1]++;
            }
        });
        assertEquals(firstSecond[1], records.get(0).frames);
        assertEquals(firstSecond[0] / firstSecond[1], records.get(0).meanScore, 1e-12);
        assertNotEquals(run(chunks("mic", s, 1600)).get(0).meanScore, records.get(0).meanScore,
                "the same model without quantiles is scored by the Gaussian tail");
    }

    @Test
    void recordsDoNotDependOnChunkSizes() throws Exception {
        float[] s = signal(2.2, 2);
        List<AudioScoreRecord> big = run(chunks("mic", s, 4410));
        assertEquals(big, run(chunks("mic", s, 160)));
        assertEquals(big, run(chunks("mic", s, 999)));
    }

    @Test
    void aMissingChunkIsReportedAsAGap() throws Exception {
        float[] s = signal(2.5, 3);
        List<AudioScoreRecord> records = run(chunks("mic", s, 1600, 12)); // 1.2 s .. 1.3 s never sent
        AudioScoreRecord second = records.get(1);
        assertEquals(1, second.gaps);
        assertEquals(100_000, second.gapMicros);
        assertTrue(second.discontinuous());
        assertEquals(0, records.get(0).gaps + records.get(2).gaps);
    }

    @Test
    void resentAudioIsReportedAsAnOverlapAndNotScoredTwice() throws Exception {
        float[] s = signal(2.5, 6);
        List<AudioChunk> plain = chunks("mic", s, 1600);
        List<AudioChunk> withResend = new ArrayList<>(plain);
        withResend.add(8, plain.get(7)); // 0.7 s .. 0.8 s sent twice
        List<AudioScoreRecord> expected = run(plain);
        List<AudioScoreRecord> got = run(withResend);
        assertEquals(1, got.get(0).overlaps);
        assertEquals(expected.get(0).frames, got.get(0).frames);
        assertEquals(expected.get(0).meanScore, got.get(0).meanScore, 0.0);
        assertEquals(expected.subList(1, 3), got.subList(1, 3));
    }

    @Test
    void aSampleRateChangeRestartsTheFrontEndAndCountsAsAGap() throws Exception {
        float[] s = signal(1.0, 7);
        List<AudioChunk> in = new ArrayList<>(chunks("mic", s, 1600));
        float[] at8k = new float[800];
        long next = T0_MS * 1000 + 1_000_000L;
        in.add(new AudioChunk("mic", next, 8000, 1, at8k));
        in.add(new AudioChunk("mic", next + 100_000, 8000, 1, at8k));
        List<AudioScoreRecord> out = run(in);
        assertEquals(2, out.size());
        assertEquals(1, out.get(1).gaps);
        assertEquals((1600 - 200) / 80 + 1, out.get(1).frames, "0.2 s at 8 kHz framed from the change on");
    }

    @Test
    void streamsAreScoredIndependently() throws Exception {
        float[] s = signal(1.5, 4);
        List<AudioChunk> mixed = new ArrayList<>();
        List<AudioChunk> a = chunks("a", s, 1600);
        List<AudioChunk> b = chunks("b", s, 800);
        for (int i = 0; i < b.size(); i++) {
            if (i < a.size()) {
                mixed.add(a.get(i));
            }
            mixed.add(b.get(i));
        }
        List<AudioScoreRecord> out = run(mixed);
        List<AudioScoreRecord> onlyA = out.stream().filter(r -> r.stream.equals("a")).toList();
        List<AudioScoreRecord> onlyB = out.stream().filter(r -> r.stream.equals("b")).toList();
        assertEquals(2, onlyA.size());
        assertEquals(onlyA.get(0).meanScore, onlyB.get(0).meanScore, 0.0, "same audio, same scores");
    }

    @Test
    void theLastIntervalWaitsForTheWatermark() throws Exception {
        try (var h = harness()) {
            h.open();
            for (AudioChunk c : chunks("mic", signal(1.5, 5), 1600)) {
                h.processElement(c, c.startMillis());
            }
            assertEquals(1, h.extractOutputValues().size(), "the first second is out, the second is still open");
            h.processWatermark(T0_MS + 1500);
            assertEquals(1, h.extractOutputValues().size());
            h.processWatermark(T0_MS + 2000 + 25);
            assertEquals(2, h.extractOutputValues().size(), "the watermark past its end and a window closes it");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void aModelOfAnotherWidthIsRefused() {
        AudioFeatures twelve = AudioFeatures.builder().bands(12).build();
        String message = assertThrows(IllegalArgumentException.class, () -> new AudioScoreFunction(ARTIFACT, twelve,
                Duration.ofSeconds(1), Duration.ofHours(1))).getMessage();
        assertEquals("the model's d_input is 8 but the front end makes 12 bands", message);
    }

    @Test
    void frontEndStateSerializerRoundTrips() throws Exception {
        AudioFrontEndState state = new AudioFrontEndState(RATE, 5, 100, 2, new float[400], 50);
        var out = new org.apache.flink.core.memory.DataOutputSerializer(64);
        io.ssmstream.operators.state.AudioFrontEndStateSerializer.INSTANCE.serialize(state, out);
        var in = new org.apache.flink.core.memory.DataInputDeserializer(out.getCopyOfBuffer());
        assertEquals(state, io.ssmstream.operators.state.AudioFrontEndStateSerializer.INSTANCE.deserialize(in));
    }
}
