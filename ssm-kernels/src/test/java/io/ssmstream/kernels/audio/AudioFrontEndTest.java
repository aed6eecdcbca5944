package io.ssmstream.kernels.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioFrontEndTest {
    private static final long T0 = 1_700_000_000_000_000L;

    record Frame(long ts, float[] bands) {
    }

    /** A tone sweep plus noise: every band sees changing energy. */
    static float[] signal(int rate, double seconds, long seed) {
        Random r = new Random(seed);
        float[] s = new float[(int) Math.round(rate * seconds)];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            double f = 100 + 3000.0 * i / s.length;
            phase += 2 * Math.PI * f / rate;
            s[i] = (float) (0.5 * Math.sin(phase) + 0.05 * r.nextGaussian());
        }
        return s;
    }

    /** Sends {@code s} in chunks of the given sizes (cycled), each stamped with its first sample's time. */
    static List<Frame> stream(AudioFrontEnd fe, float[] s, int... chunkSizes) {
        List<Frame> frames = new ArrayList<>();
        AudioFrontEndState state = fe.newState();
        int at = 0;
        for (int c = 0; at < s.length; c++) {
            int n = Math.min(chunkSizes[c % chunkSizes.length], s.length - at);
            long start = T0 + (long) at * 1_000_000L / fe.sampleRate();
            long gap = fe.process(state, start, s, at, n, (ts, bands) -> frames.add(new Frame(ts, bands.clone())));
            assertEquals(0, gap, "contiguous chunks are not a gap");
            at += n;
        }
        return frames;
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 22050, 44100})
    void framesDoNotDependOnChunking(int rate) {
        AudioFrontEnd fe = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        float[] s = signal(rate, 0.73, 1);
        List<Frame> whole = stream(fe, s, s.length);
        int expected = (s.length - fe.windowSamples()) / fe.hopSamples() + 1;
        assertEquals(expected, whole.size());
        for (int[] sizes : new int[][] {{1}, {7}, {fe.hopSamples()}, {fe.windowSamples() + 1}, {997, 13, 4410, 2}}) {
            List<Frame> chunked = stream(fe, s, sizes);
            assertEquals(whole.size(), chunked.size());
            for (int k = 0; k < whole.size(); k++) {
                assertEquals(whole.get(k).ts, chunked.get(k).ts);
                assertArrayEquals(whole.get(k).bands, chunked.get(k).bands, 0f, "frame " + k + " chunks " + sizes[0]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 44100})
    void framesMatchADirectDftOfEachWindow(int rate) {
        AudioFeatures features = AudioFeatures.builder().bands(24).build();
        AudioFrontEnd fe = new AudioFrontEnd(features, rate);
        float[] s = signal(rate, 0.2, 2);
        List<Frame> frames = stream(fe, s, 333);
        int w = fe.windowSamples();
        int h = fe.hopSamples();
        int n = fe.fftSize();
        MelFilterBank mel = new MelFilterBank(24, n, rate, 0, 8000);
        double energy = 0;
        for (int i = 0; i < w; i++) {
            double hann = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / w);
            energy += hann * hann;
        }
        for (int k = 0; k < frames.size(); k += 5) {
            float[] power = new float[n / 2 + 1];
            for (int j = 0; j <= n / 2; j++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < w; i++) {
                    double x = s[k * h + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / w));
                    re += x * Math.cos(2 * Math.PI * j * i / n);
                    im -= x * Math.sin(2 * Math.PI * j * i / n);
                }
                power[j] = (float) ((re * re + im * im) / energy);
            }
            float[] expected = new float[24];
            mel.apply(power, expected);
            for (int b = 0; b < 24; b++) {
                expected[b] = (float) Math.log(Math.max(expected[b], 1e-10));
            }
            assertArrayEquals(expected, frames.get(k).bands, 2e-3f, "frame " + k);
            assertEquals(T0 + (long) k * h * 1_000_000L / rate, frames.get(k).ts);
        }
    }

    @Test
    void aToneLightsTheBandHoldingItsFrequency() {
        int rate = 16000;
        AudioFeatures features = AudioFeatures.defaults();
        AudioFrontEnd fe = new AudioFrontEnd(features, rate);
        float[] s = new float[rate / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) Math.sin(2 * Math.PI * 1000 * i / rate);
        }
        float[] bands = stream(fe, s, 512).get(10).bands;
        int loudest = 0;
        for (int b = 1; b < bands.length; b++) {
            loudest = bands[b] > bands[loudest] ? b : loudest;
        }
        double step = (MelFilterBank.mel(8000) - 0) / (features.bands() + 1);
        double centre = MelFilterBank.hz(step * (loudest + 1));
        assertEquals(1000, centre, 150, "band " + loudest + " centred at " + centre + " Hz");
    }

    @Test
    void whiteNoiseGivesTheSameLevelsAt16And44Khz() {
        for (int rate : new int[] {16000, 44100}) {
            AudioFrontEnd fe = new AudioFrontEnd(AudioFeatures.defaults(), rate);
            Random r = new Random(3);
            float[] s = new float[rate];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (0.1 * r.nextGaussian());
            }
            double mean = 0;
            List<Frame> frames = stream(fe, s, 1000);
            for (Frame f : frames) {
                for (float v : f.bands) {
                    mean += v;
                }
            }
            mean /= frames.size() * 32.0;
            // ln(σ²) = ln(0.01) = -4.6; the log of a chi-square mean sits a little below it
            assertEquals(Math.log(0.01), mean, 0.6, rate + " Hz");
        }
    }

    @Test
    void aGapRestartsTheFrameAndIsReported() {
        int rate = 16000;
        AudioFrontEnd fe = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        float[] s = signal(rate, 0.5, 4);
        AudioFrontEndState state = fe.newState();
        List<Frame> frames = new ArrayList<>();
        fe.process(state, T0, s, 0, 1000, (ts, b) -> frames.add(new Frame(ts, b.clone())));
        int before = frames.size();
        long late = T0 + 1000 * 1_000_000L / rate + 50_000;
        long gap = fe.process(state, late, s, 1000, 2000, (ts, b) -> frames.add(new Frame(ts, b.clone())));
        assertEquals(50_000, gap);
        Frame firstAfter = frames.get(before);
        assertEquals(late, firstAfter.ts, "the new segment's first frame starts at the late chunk");
        float[] window = java.util.Arrays.copyOfRange(s, 1000, 1000 + fe.windowSamples());
        float[] expected = new float[32];
        fe.frame(window, expected);
        assertArrayEquals(expected, firstAfter.bands, 0f, "the partial frame from before the gap was dropped");
    }

    @Test
    void anOverlapDropsTheSamplesAlreadySeen() {
        int rate = 16000;
        AudioFrontEnd fe = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        float[] s = signal(rate, 0.5, 5);
        List<Frame> plain = stream(fe, s, 1600);
        AudioFrontEndState state = fe.newState();
        List<Frame> frames = new ArrayList<>();
        fe.process(state, T0, s, 0, 3200, (ts, b) -> frames.add(new Frame(ts, b.clone())));
        // the next chunk repeats the last 480 samples (30 ms) before going on
        long start = T0 + 2720 * 1_000_000L / rate;
        long overlap = fe.process(state, start, s, 2720, s.length - 2720,
                (ts, b) -> frames.add(new Frame(ts, b.clone())));
        assertEquals(-30_000, overlap);
        assertEquals(plain.size(), frames.size());
        for (int k = 0; k < plain.size(); k++) {
            assertArrayEquals(plain.get(k).bands, frames.get(k).bands, 0f);
            assertEquals(plain.get(k).ts, frames.get(k).ts);
        }
        long again = fe.process(state, T0, s, 0, 100, (ts, b) -> frames.add(new Frame(ts, b.clone())));
        assertTrue(again < 0, "a chunk entirely in the past is an overlap");
        assertEquals(plain.size(), frames.size(), "and adds no frame");
    }
}
