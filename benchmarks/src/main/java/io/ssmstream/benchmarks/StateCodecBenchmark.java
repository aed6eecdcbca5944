package io.ssmstream.benchmarks;

import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.CodecBuffer;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds to write ({@code write}) or read ({@code read}) one stream's {@link ForecasterState} with
 * {@link ForecasterStateCodec}, what Flink's state serializer does per key in a checkpoint. The state is the
 * pipeline benchmark's: Mamba, d_model 16, 2 layers, d_state 16, one input, {@link LikelihoodScorer}, with a
 * full input window of 64 events (the job's default), after 2048 events of the benchmarks' noisy sine.
 * Written to a {@link DataOutputStream} over a reused {@link ByteArrayOutputStream}; read from a
 * {@link DataInputStream} over the saved bytes; both through one reused {@link CodecBuffer}, as Flink's serializer
 * of the state does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class StateCodecBenchmark {
    private static final int WINDOW = 64;

    private ForecasterState state;
    private byte[] saved;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 14);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private final CodecBuffer buffer = new CodecBuffer();

    @Setup
    public void setUp() {
        SsmModel model = ModelInitializer.initialize(ModelConfig.builder(Arch.MAMBA, 1)
                .dModel(16).nLayers(2).dState(16).build(), BenchModels.SEED);
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.scalar(), new LikelihoodScorer());
        state = forecaster.newState("bench", WINDOW);
        float[] series = BenchModels.series();
        float[] values = new float[1];
        for (int t = 0; t < BenchModels.PRIME_EVENTS; t++) {
            values[0] = series[t];
            forecaster.step(state, t * 1_000_000L, values);
        }
        saved = ForecasterStateCodec.toBytes(state);
    }

    @Benchmark
    public int write() throws IOException {
        bytes.reset();
        ForecasterStateCodec.write(state, out, buffer);
        return bytes.size();
    }

    @Benchmark
    public ForecasterState read() throws IOException {
        return ForecasterStateCodec.read(new DataInputStream(new ByteArrayInputStream(saved)), buffer);
    }
}
