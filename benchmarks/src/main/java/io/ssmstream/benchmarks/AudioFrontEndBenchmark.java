package io.ssmstream.benchmarks;

import io.ssmstream.benchmarks.audio.AudioBenchInputs;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Microseconds per 100 ms chunk of one stream through the audio front end alone (default features: 25 ms Hann
 * windows, 10 ms hop, 32 log-mel bands; FFT of 512 at 16 kHz, 2048 at 44.1 kHz): 10 frames per op. Samples per
 * second = rate / 10 / (µs per op · 1e-6). The signal is 1 s of a tone sweep with noise, cycled; chunk start
 * times advance by 100 ms so every chunk continues the segment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class AudioFrontEndBenchmark {
    @Param({"16000", "44100"})
    public int rate;

    private AudioFrontEnd frontEnd;
    private AudioFrontEndState state;
    private float[] signal;
    private int chunk;
    private int at;
    private long startMicros;
    private float sink;
    private AudioFrontEnd.FrameListener onFrame;

    @Setup
    public void setUp() {
        frontEnd = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        state = frontEnd.newState();
        signal = AudioBenchInputs.sweep(rate, BenchModels.SEED);
        chunk = rate / 10;
        at = 0;
        startMicros = 0;
        onFrame = (ts, bands) -> sink += bands[0];
    }

    @Benchmark
    public float chunk() {
        frontEnd.process(state, startMicros, signal, at, chunk, onFrame);
        startMicros += 100_000;
        at = at + chunk >= signal.length ? 0 : at + chunk;
        return sink;
    }
}
