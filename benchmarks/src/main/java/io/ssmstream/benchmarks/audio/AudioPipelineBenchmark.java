package io.ssmstream.benchmarks.audio;

import io.ssmstream.connectors.audio.AudioChunk;
import io.ssmstream.connectors.audio.AudioScoreRecord;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.audio.AudioScoreFunction;
import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Audio streams that the Flink audio function keeps up with in real time (embedded MiniCluster, no Kafka): a
 * generator task makes 100 ms PCM chunks of {@code --streams} streams, round robin, as {@link AudioChunk}s (mono
 * floats, as the Kafka deserializer makes them), keyBy(stream) ships them over Flink's network stack to the
 * {@link AudioScoreFunction} (front end, default audio model per frame, per-second reduction, HashMap state),
 * whose records are discarded. One discarded warm-up run precedes each rate's runs.
 *
 * <p>Two figures per run: audio seconds per wall-clock second of the job, and audio seconds per CPU second of
 * the whole process (every thread: generator, serialization, network, keyed function, Flink), less the CPU
 * of a job with 0.1 s of audio per stream (start-up; median of 3). The second is streams per core and does not
 * depend on what else runs on the machine; the first does. The report goes to stdout.
 */
@Command(name = "AudioPipelineBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Audio streams per keyed subtask sustained in real time through the Flink audio function.")
public final class AudioPipelineBenchmark implements Callable<Integer> {
    private static final long T0_MICROS = 1_700_000_000_000_000L;

    @Option(names = "--rates", split = ",", description = "Sample rates (default: 16000,44100).")
    List<Integer> rates = List.of(16000, 44100);

    @Option(names = "--streams", description = "Streams (keys) (default: ${DEFAULT-VALUE}).")
    int streams = 200;

    @Option(names = "--seconds", description = "Audio seconds per stream (default: ${DEFAULT-VALUE}).")
    int seconds = 30;

    @Option(names = "--runs", description = "Runs per rate; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--parallelism", description = "Parallelism of the keyed function (default: ${DEFAULT-VALUE}).")
    int parallelism = 1;

    public static void main(String[] args) {
        System.exit(new CommandLine(new AudioPipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ModelArtifact model = model();
        System.out.printf(Locale.ROOT, "| rate (Hz) | streams x audio s | job s (median-CPU run) | process CPU s (less start-up)"
                + " | audio s per CPU s = real-time streams per core | audio s per job s | runs (CPU s) |%n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | --- |%n");
        for (int rate : rates) {
            run(model, rate, seconds * 10); // warm-up: class loading and JIT of the first job
            List<Double> small = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                small.add(run(model, rate, 1)[1]);
            }
            small.sort(null);
            double startup = small.get(1);
            List<double[]> results = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                double[] wallCpu = run(model, rate, seconds * 10);
                wallCpu[1] -= startup;
                results.add(wallCpu);
                System.err.printf(Locale.ROOT, "rate %d run %d: job %.2f s, CPU %.2f s (start-up %.2f s)%n", rate,
                        r + 1, wallCpu[0], wallCpu[1], startup);
            }
            List<double[]> byCpu = new ArrayList<>(results);
            byCpu.sort((a, b) -> Double.compare(a[1], b[1]));
            double[] median = byCpu.get(byCpu.size() / 2);
            double audio = (double) streams * seconds;
            System.out.printf(Locale.ROOT, "| %d | %d x %d | %.2f | %.2f | %.0f | %.0f | %s |%n", rate, streams, seconds,
                    median[0], median[1], audio / median[1], audio / median[0],
                    results.stream().map(x -> String.format(Locale.ROOT, "%.2f", x[1])).toList());
        }
        return 0;
    }

    /** The default audio model (Mamba, 32 bands, d_model 16, 2 layers, d_state 16) with its front-end settings. */
    static ModelArtifact model() throws Exception {
        AudioFeatures features = AudioFeatures.defaults();
        ModelConfig config = AudioBenchInputs.modelConfig();
        SsmModel init = ModelInitializer.initialize(config, AudioBenchInputs.MODEL_SEED);
        SsmModel model = SsmModel.of(config, init.tensors(), Map.of(AudioFeatures.METADATA_KEY, features.toJson(),
                ModelArtifact.VERSION_METADATA_KEY, "bench-audio"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model.toFile().writeTo(bytes);
        return ModelArtifact.fromBytes(bytes.toByteArray(), "bench-audio");
    }

    /** @return job seconds (net runtime) and process CPU seconds over the whole execute() */
    private double[] run(ModelArtifact model, int rate, int chunksPerStream) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        long chunks = (long) streams * chunksPerStream;
        env.fromSequence(0, chunks - 1).setParallelism(1)
                .map(new ChunkGenerator(streams, rate)).setParallelism(1)
                .keyBy(c -> c.stream)
                .process(new AudioScoreFunction(model, AudioFeatures.defaults(), Duration.ofSeconds(1),
                        Duration.ofDays(1)))
                .returns(AudioScoreRecord.class)
                .sinkTo(new DiscardingSink<>());
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        JobExecutionResult result = env.execute("audio pipeline benchmark " + rate);
        return new double[] {result.getNetRuntime() / 1000.0, (os.getProcessCpuTime() - cpuBefore) / 1e9};
    }

    /** Chunk i: stream i mod N, the (i / N)-th 100 ms of a cycled 1 s noisy sweep. */
    static final class ChunkGenerator extends RichMapFunction<Long, AudioChunk> {
        private static final long serialVersionUID = 1L;
        private final int streams;
        private final int rate;
        private transient float[] signal;
        private transient String[] names;

        ChunkGenerator(int streams, int rate) {
            this.streams = streams;
            this.rate = rate;
        }

        @Override
        public void open(OpenContext openContext) {
            signal = AudioBenchInputs.sweep(rate, 7);
            names = new String[streams];
            for (int s = 0; s < streams; s++) {
                names[s] = "mic-" + s;
            }
        }

        @Override
        public AudioChunk map(Long i) {
            long k = i / streams;
            int chunk = rate / 10;
            int at = (int) (k % 10) * chunk;
            return new AudioChunk(names[(int) (i % streams)], T0_MICROS + k * 100_000L, rate, 1,
                    Arrays.copyOfRange(signal, at, at + chunk));
        }
    }
}
