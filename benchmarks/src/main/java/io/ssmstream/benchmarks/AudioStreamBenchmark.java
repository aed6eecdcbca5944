package io.ssmstream.benchmarks;

import io.ssmstream.benchmarks.audio.AudioBenchInputs;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
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
 * Microseconds per 100 ms chunk of one audio stream through everything the keyed function computes, without
 * Flink: the front end and, for each of the chunk's 10 frames, one {@link StreamForecaster#step} (score against
 * the previous forecast, SSM step, new forecast) of the default audio model (Mamba, d_input 32 bands, d_model
 * 16, 2 layers, d_state 16, time-aware; the papers' initialisation: a trained model costs the same).
 * Streams one core keeps up with in real time = 100 000 / (µs per op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class AudioStreamBenchmark {
    @Param({"16000", "44100"})
    public int rate;

    @Param({"scalar", "vector"})
    public String impl;

    private AudioFrontEnd frontEnd;
    private AudioFrontEndState feState;
    private StreamForecaster forecaster;
    private ForecasterState state;
    private float[] signal;
    private int chunk;
    private int at;
    private long startMicros;
    private double sink;
    private AudioFrontEnd.FrameListener onFrame;

    @Setup
    public void setUp() {
        frontEnd = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        feState = frontEnd.newState();
        forecaster = new StreamForecaster(ModelInitializer.initialize(AudioBenchInputs.modelConfig(), BenchModels.SEED),
                BenchModels.ops(impl), new GaussianTailScorer());
        state = forecaster.newState();
        signal = AudioBenchInputs.sweep(rate, BenchModels.SEED);
        chunk = rate / 10;
        at = 0;
        startMicros = 0;
        onFrame = (ts, bands) -> sink += forecaster.step(state, ts, bands);
        for (int i = 0; i < 50; i++) {
            chunk();
        }
    }

    @Benchmark
    public double chunk() {
        frontEnd.process(feState, startMicros, signal, at, chunk, onFrame);
        startMicros += 100_000;
        at = at + chunk >= signal.length ? 0 : at + chunk;
        return sink;
    }
}
