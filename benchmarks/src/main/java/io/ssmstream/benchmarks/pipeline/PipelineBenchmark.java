package io.ssmstream.benchmarks.pipeline;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.benchmarks.pipeline.BenchKafka.LatencyConsumer;
import io.ssmstream.benchmarks.pipeline.BenchKafka.OutputSummary;
import io.ssmstream.benchmarks.pipeline.BenchKafka.RateProducer;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.SsmForecastFunction;
import io.ssmstream.operators.swap.SwapSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Events per second through in-process Kafka -> the forecasting job -> Kafka, on this machine, for
 * {streams} x {state backend} x {SSM job, pass-through floors (see {@link PassThroughFunction})}, and end-to-end
 * latency at a fixed input rate.
 * See benchmarks/PIPELINE.md. The report (markdown) goes to stdout, progress to stderr.
 */
@Command(name = "PipelineBenchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kafka -> Flink job -> Kafka throughput and latency, SSM job vs a pass-through job.")
public final class PipelineBenchmark implements Callable<Integer> {
    static final long T0 = 1_700_000_000_000L;
    static final long DEFAULT_SEED = 20240607L;

    @Option(names = "--streams", split = ",", description = "Distinct streams (keys), one set of runs each (default: 1000,1000000).")
    List<Long> streams = List.of(1_000L, 1_000_000L);

    @Option(names = "--events", description = "Measured events per throughput run (default: max(4,000,000, 3 x streams)).")
    Long events;

    @Option(names = "--warm-up-events", description = "Each throughput run's job first reads this many events, "
            + "unmeasured, then the measured ones, in one job: the measured rate is that of a job whose code the "
            + "JIT has compiled, as on a long-running task manager; 0 measures from the job's start "
            + "(default: ${DEFAULT-VALUE}).")
    long warmUpEvents = 12_000_000L;

    @Option(names = "--jvm-warm-up-events", description = "Throughput: before the measured jobs of a stream count, "
            + "one unmeasured job of each configured kind over this many events, so that no measured job is the "
            + "JVM's first (the first is far slower at a million streams, whatever its kind); 0: none "
            + "(default: ${DEFAULT-VALUE}).")
    long jvmWarmUpEvents = 2_000_000L;

    @Option(names = "--backends", split = ",", description = "State backends (default: hashmap,rocksdb).")
    List<String> backends = List.of("hashmap", "rocksdb");

    @Option(names = "--jobs", split = ",", description = "Jobs: ssm, ssm-unbatched (the same job stepping one event at "
            + "a time, --batch-streams 1), pass-through (the floor: changes every float "
            + "of its state per event), pass-through-one (changes one float per event) (default: ssm, pass-through).")
    List<String> jobs = List.of("ssm", "pass-through");

    @Option(names = "--modes", split = ",", description = "throughput, latency (default: both).")
    List<String> modes = List.of("throughput", "latency");

    @Option(names = "--parallelism", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism = 2;

    @Option(names = "--partitions", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(names = "--checkpoint-interval", description = "Throughput runs (default: ${DEFAULT-VALUE}).")
    String checkpointInterval = "10s";

    @Option(names = "--checkpoint-min-pause", description = "Least time from the end of a checkpoint to the start of the next (default: the product's, half the interval).")
    String checkpointMinPause;

    @Option(names = "--out-of-orderness", description = "The job's watermark out-of-orderness; the SSM job holds each event until the watermark passes it (default: ${DEFAULT-VALUE}, the product's).")
    String outOfOrderness = "5s";

    @Option(names = "--rate", description = "Latency runs: input events/s (default: half of the same configuration's steady throughput in this run).")
    Double rate;

    @Option(names = "--latency-sinks", split = ",", description = "exactly-once, at-least-once (default: both).")
    List<String> latencySinks = List.of("exactly-once", "at-least-once");

    @Option(names = "--latency-checkpoint-interval", description = "Latency runs (default: ${DEFAULT-VALUE}).")
    String latencyCheckpointInterval = "1s";

    @Option(names = "--latency-warmup", description = "Latency runs: input before the measured window (default: ${DEFAULT-VALUE}).")
    String latencyWarmup = "10s";

    @Option(names = "--latency-duration", description = "Latency runs: measured window (default: ${DEFAULT-VALUE}).")
    String latencyDuration = "30s";

    @Option(names = "--d-model", description = "The model's d_model (default: ${DEFAULT-VALUE}).")
    int dModel = 16;

    @Option(names = "--layers", description = "The model's layers (default: ${DEFAULT-VALUE}).")
    int layers = 2;

    @Option(names = "--seed", description = "Model initialisation seed (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULT_SEED;

    @Option(names = "--work-dir", description = "Checkpoints and the model file go under here (default: java.io.tmpdir).")
    Path workDir = Paths.get(System.getProperty("java.io.tmpdir"));

    @Option(names = "-D", paramLabel = "KEY=VALUE", description = "Extra Flink configuration, e.g. -D taskmanager.memory.managed.size=2g.")
    Map<String, String> flinkConf = Map.of();

    @Option(names = "--quick", description = "Smoke test: streams 1000,10000, 30,000 + 30,000 warm-up events, latency 3 s warm-up + 5 s (unless given).")
    boolean quick;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final String loadAtStart = firstLine("/proc/loadavg");
    private Path work;
    private ModelArtifact model;
    private int dInput;
    private int stateSize;
    private final List<Throughput> throughputs = new ArrayList<>();
    private final List<String> jvmWarmUpFailures = new ArrayList<>();
    private final List<Latency> latencies = new ArrayList<>();

    record Config(long streams, String backend, String job) {
        String id() {
            return streams + "-" + backend + "-" + job;
        }
    }

    /**
     * One job over {@code warmUp} unmeasured and then {@code events} measured events. {@code startMs},
     * {@code endMs}: wall clock when the job was submitted (MiniCluster start) and returned; {@code cpuNanos}:
     * this JVM's CPU time (all threads: job, broker, clients, JIT, GC) from the first to the last measured output.
     */
    record Throughput(Config config, long warmUp, long events, long jobMs, long startMs, long endMs, long cpuNanos,
                      long checkpointBytes, OutputSummary out, String error) {
        /** Events per second of the whole job, warm-up and start-up included. */
        double jobRate() {
            return jobMs > 0 ? (warmUp + events) * 1000.0 / jobMs : Double.NaN;
        }

        double cpuMicrosPerEvent() {
            return cpuNanos > 0 && out.measured() > 0 ? cpuNanos / 1e3 / out.measured() : Double.NaN;
        }

        /** Measured outputs per second, from the first to the last measured output. */
        double rate() {
            return out != null && out.measuredLastMs() > out.measuredFirstMs()
                    ? out.measured() * 1000.0 / (out.measuredLastMs() - out.measuredFirstMs()) : Double.NaN;
        }
    }

    record Latency(Config config, String sink, double targetRate, double sentRate, long sent, long received,
                   long p50, long p99, long max, String error) {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        applyQuick();
        oneOf("--modes", modes, "throughput", "latency");
        oneOf("--jobs", jobs, "ssm", "ssm-unbatched", "pass-through", "pass-through-one");
        if (jvmWarmUpEvents < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--jvm-warm-up-events must be 0 or more, got " + jvmWarmUpEvents);
        }
        oneOf("--backends", backends, "hashmap", "rocksdb");
        oneOf("--latency-sinks", latencySinks, "exactly-once", "at-least-once");
        if (modes.contains("latency") && !modes.contains("throughput") && rate == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "latency without throughput needs --rate");
        }
        work = Files.createTempDirectory(Files.createDirectories(workDir), "pipeline-bench-");
        Path modelFile = work.resolve("model.safetensors");
        SsmModel ssm = model(seed, dModel, layers);
        ssm.save(modelFile);
        model = ModelArtifact.fromFile(modelFile);
        dInput = ssm.config().dInput();
        stateSize = streamStateFloats(ssm, model.version());
        try (EmbeddedKafka kafka = startKafka()) {
            for (long n : streams) {
                runAll(kafka, n);
            }
        } finally {
            deleteRecursively(work);
        }
        report(System.out);
        return 0;
    }

    /** The benchmark's model: Mamba, d_state 16, one input, initialised from {@code seed}. */
    static SsmModel model(long seed, int dModel, int layers) {
        return ModelInitializer.initialize(ModelConfig.builder(Arch.MAMBA, 1).dModel(dModel).nLayers(layers).dState(16)
                .build(), seed);
    }

    /**
     * The size of the SSM job's state of one stream whose input window is full (SSM state, forecast, scorer,
     * model version and the window's events), in its checkpoint bytes, as floats rounded up: the pass-through's
     * state has as many bytes.
     */
    private static int streamStateFloats(SsmModel ssm, String version) {
        int window = SwapSettings.DEFAULT_WINDOW;
        StreamForecaster forecaster = new StreamForecaster(ssm, KernelOpsProvider.get(), new LikelihoodScorer());
        ForecasterState state = forecaster.newState(version, window);
        float[] values = new float[ssm.config().dInput()];
        for (int i = 0; i < window; i++) {
            values[0] = i;
            forecaster.step(state, i * 60_000_000L, values);
        }
        return (ForecasterStateCodec.toBytes(state).length + Float.BYTES - 1) / Float.BYTES;
    }

    /** Kafka's storage formatter prints two lines to stdout, which is kept for the report. */
    private static EmbeddedKafka startKafka() {
        PrintStream stdout = System.out;
        System.setOut(System.err);
        try {
            return EmbeddedKafka.start();
        } finally {
            System.setOut(stdout);
        }
    }

    private void oneOf(String option, List<String> given, String... allowed) {
        for (String g : given) {
            if (!List.of(allowed).contains(g)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + ": " + g + " is not one of " + String.join(", ", allowed));
            }
        }
    }

    private void applyQuick() {
        if (!quick) {
            return;
        }
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (!given.hasMatchedOption("--streams")) {
            streams = List.of(1_000L, 10_000L);
        }
        if (!given.hasMatchedOption("--events")) {
            events = 30_000L;
        }
        if (!given.hasMatchedOption("--warm-up-events")) {
            warmUpEvents = 30_000L;
        }
        if (!given.hasMatchedOption("--jvm-warm-up-events")) {
            jvmWarmUpEvents = 30_000L;
        }
        if (!given.hasMatchedOption("--latency-warmup")) {
            latencyWarmup = "3s";
        }
        if (!given.hasMatchedOption("--latency-duration")) {
            latencyDuration = "5s";
        }
    }

    private void runAll(EmbeddedKafka kafka, long n) {
        List<Config> configs = new ArrayList<>();
        for (String backend : backends) {
            for (String job : jobs) {
                configs.add(new Config(n, backend, job));
            }
        }
        if (modes.contains("throughput")) {
            long count = events != null ? events : Math.max(4_000_000L, 3 * n);
            String in = "in-" + n;
            String inputError = null;
            try {
                kafka.createTopics(partitions, in);
                long start = System.nanoTime();
                BenchKafka.produceBacklog(kafka.bootstrapServers(), in, warmUpEvents + count, n, T0);
                progress("produced %,d + %,d events over %,d streams in %.1f s", warmUpEvents, count, n,
                        (System.nanoTime() - start) / 1e9);
            } catch (RuntimeException e) {
                inputError = "input: " + rootMessage(e);
            }
            if (inputError == null) {
                warmUpJvm(kafka, n, configs);
            }
            for (Config c : configs) {
                Throughput t = inputError != null ? new Throughput(c, warmUpEvents, count, 0, 0, 0, 0, 0, null, inputError)
                        : throughput(kafka, c, in, count);
                throughputs.add(t);
                progress("%s: %s", c.id(), t.error() != null ? "FAILED " + t.error()
                        : String.format(Locale.ROOT, "%,.0f events/s measured (%,.0f over the whole job, %.1f s), "
                        + "%,d outputs", t.rate(), t.jobRate(), t.jobMs() / 1e3, t.out().records()));
            }
            BenchKafka.deleteTopics(kafka.bootstrapServers(), in);
        }
        if (modes.contains("latency")) {
            for (Config c : configs) {
                double target = rate != null ? rate : halfPeak(c);
                for (String sink : latencySinks) {
                    Latency l = Double.isNaN(target)
                            ? new Latency(c, sink, target, 0, 0, 0, 0, 0, 0, "no throughput result to take half of")
                            : latency(kafka, c, sink, target);
                    latencies.add(l);
                    progress("%s %s: %s", c.id(), sink, l.error() != null ? "FAILED " + l.error()
                            : String.format(Locale.ROOT, "%,.0f events/s: p50 %d ms, p99 %d ms (%,d of %,d)",
                            l.sentRate(), l.p50(), l.p99(), l.received(), l.sent()));
                }
            }
        }
    }

    /**
     * Runs each of {@code configs} once, unmeasured, over a topic of {@link #jvmWarmUpEvents} events of
     * {@code n} streams. Without it the first measured job ran in a JVM that had run no job: at a million streams
     * either kind ran a third slower there than after the other kind (the JIT and the warm state of the whole
     * stack: a pre-touched heap did not change it). A failure here is reported and the measured jobs still run.
     */
    private void warmUpJvm(EmbeddedKafka kafka, long n, List<Config> configs) {
        if (jvmWarmUpEvents <= 0) {
            return;
        }
        String topic = "jvm-warm-up-" + n;
        try {
            kafka.createTopics(partitions, topic);
            BenchKafka.produceBacklog(kafka.bootstrapServers(), topic, jvmWarmUpEvents, n, T0);
            for (Config c : configs) {
                Throughput t = throughput(kafka, c, topic, 0);
                if (t.error() != null) {
                    jvmWarmUpFailures.add(c.id() + ": " + t.error());
                }
                progress("%s: JVM warm-up job over %,d events: %s", c.id(), jvmWarmUpEvents, t.error() != null
                        ? "FAILED " + t.error() : String.format(Locale.ROOT, "%.1f s", t.jobMs() / 1e3));
            }
            BenchKafka.deleteTopics(kafka.bootstrapServers(), topic);
        } catch (RuntimeException e) {
            jvmWarmUpFailures.add(n + " streams, input: " + rootMessage(e));
            progress("JVM warm-up for %,d streams FAILED: %s", n, rootMessage(e));
        }
    }

    private double halfPeak(Config c) {
        for (Throughput t : throughputs) {
            if (t.config().equals(c) && t.error() == null) {
                double peak = Double.isNaN(t.rate()) ? t.jobRate() : t.rate();
                return Math.floor(peak / 2);
            }
        }
        return Double.NaN;
    }

    /**
     * One bounded run over the pre-produced topic {@code in}: its first {@link #warmUpEvents} events warm the job
     * up, the {@code count} after them are measured (their outputs, told apart by event time).
     */
    private Throughput throughput(EmbeddedKafka kafka, Config c, String in, long count) {
        String id = c.id();
        String out = "out-" + id;
        String dlq = "dlq-" + id;
        kafka.createTopics(partitions, out, dlq);
        try {
            KafkaJobSpec spec = spec(kafka, c, in, out, dlq, id, true, true, checkpointInterval);
            StreamExecutionEnvironment env = environment(spec, c);
            System.gc();
            long start = System.currentTimeMillis();
            JobExecutionResult result;
            CpuTimeline cpu = new CpuTimeline();
            CheckpointSizes checkpoints = new CheckpointSizes(work.resolve("checkpoints-" + id));
            try {
                result = env.execute("pipeline " + id);
            } finally {
                cpu.close();
                checkpoints.close();
            }
            long end = System.currentTimeMillis();
            OutputSummary summary = BenchKafka.readAll(kafka.bootstrapServers(), out, T0 + warmUpEvents);
            return new Throughput(c, warmUpEvents, count, result.getNetRuntime(), start, end,
                    cpu.cpuNanosBetween(summary.measuredFirstMs(), summary.measuredLastMs()),
                    checkpoints.largestBytes(), summary, null);
        } catch (Throwable e) {
            return new Throughput(c, warmUpEvents, count, 0, 0, 0, 0, 0, null, rootMessage(e));
        } finally {
            BenchKafka.deleteTopics(kafka.bootstrapServers(), out, dlq);
            deleteRecursively(work.resolve("checkpoints-" + id));
        }
    }

    /** One unbounded run fed at {@code target} events/s; latency of the events sent in the measured window. */
    private Latency latency(EmbeddedKafka kafka, Config c, String sink, double target) {
        boolean exactlyOnce = switch (sink) {
            case "exactly-once" -> true;
            case "at-least-once" -> false;
            default -> throw new IllegalArgumentException("sink must be exactly-once or at-least-once, got " + sink);
        };
        String id = "lat-" + c.id() + "-" + sink;
        String in = "in-" + id;
        String out = "out-" + id;
        String dlq = "dlq-" + id;
        kafka.createTopics(partitions, in, out, dlq);
        String bootstrap = kafka.bootstrapServers();
        JobClient client = null;
        try {
            KafkaJobSpec spec = spec(kafka, c, in, out, dlq, id, false, exactlyOnce, latencyCheckpointInterval);
            StreamExecutionEnvironment env = environment(spec, c);
            System.gc();
            client = env.executeAsync("pipeline " + id);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (client.getJobStatus().get() != JobStatus.RUNNING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job not running after 60 s");
                }
                Thread.sleep(50);
            }
            long windowStart = System.currentTimeMillis() + TimeUtils.parseDuration(latencyWarmup).toMillis();
            long windowEnd = windowStart + TimeUtils.parseDuration(latencyDuration).toMillis();
            LatencyConsumer consumer = new LatencyConsumer(bootstrap, out, windowStart, windowEnd);
            RateProducer producer = new RateProducer(bootstrap, in, target, c.streams(), windowStart, windowEnd);
            consumer.start();
            producer.start();
            Thread.sleep(Math.max(0, windowEnd + 100 - System.currentTimeMillis()));
            // The window's last events come out once the watermark passes them and a checkpoint commits them.
            long drain = System.nanoTime() + TimeUtils.parseDuration(outOfOrderness)
                    .plus(TimeUtils.parseDuration(latencyCheckpointInterval).multipliedBy(2)).plusSeconds(30).toNanos();
            while (consumer.inWindow < producer.sentInWindow && System.nanoTime() < drain) {
                Thread.sleep(100);
            }
            producer.stop = true;
            consumer.stop = true;
            producer.join();
            consumer.join();
            producer.failures.check(in);
            double seconds = (windowEnd - windowStart) / 1e3;
            var h = consumer.histogram;
            return new Latency(c, sink, target, producer.sentInWindow / seconds, producer.sentInWindow,
                    consumer.inWindow, h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), null);
        } catch (Throwable e) {
            return new Latency(c, sink, target, 0, 0, 0, 0, 0, 0, rootMessage(e));
        } finally {
            if (client != null) {
                try {
                    client.cancel().get();
                    client.getJobExecutionResult().handle((r, e) -> null).get();
                } catch (Exception ignored) {
                    // already finished or failed: the result says so
                }
            }
            BenchKafka.deleteTopics(bootstrap, in, out, dlq);
            deleteRecursively(work.resolve("checkpoints-" + id));
        }
    }

    /** The pause between checkpoints as the report states it. */
    private String pauseText() {
        return checkpointMinPause == null ? "half that" : checkpointMinPause;
    }

    private KafkaJobSpec spec(EmbeddedKafka kafka, Config c, String in, String out, String dlq, String id,
                              boolean bounded, boolean exactlyOnce, String interval) {
        JobSettings settings = JobSettings.builder().outOfOrderness(TimeUtils.parseDuration(outOfOrderness))
                .batchStreams(c.job().equals("ssm-unbatched") ? 1 : SsmForecastFunction.DEFAULT_BATCH_STREAMS).build();
        return new KafkaJobSpec(kafka.bootstrapServers(), in, out, dlq, work.resolve("model.safetensors"), "bench-" + id,
                "earliest", bounded, exactlyOnce, "bench-" + id, null, parallelism, c.backend(),
                work.resolve("checkpoints-" + id).toUri().toString(), TimeUtils.parseDuration(interval), settings)
                .withCheckpointMinPause(checkpointMinPause == null ? null : TimeUtils.parseDuration(checkpointMinPause));
    }

    /** The product's environment and wiring; the pass-through job swaps only the keyed function. */
    private StreamExecutionEnvironment environment(KafkaJobSpec spec, Config c) {
        StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
        // A failure fails the run (a row saying so) instead of restarting forever, unless -D says otherwise.
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.addAll(Configuration.fromMap(flinkConf));
        env.configure(conf);
        switch (c.job()) {
            case "ssm", "ssm-unbatched" -> KafkaForecastJob.wire(env, spec);
            case "pass-through" -> KafkaForecastJob.wire(env, spec, dInput,
                    new PassThroughFunction(stateSize, model.version(), PassThroughFunction.Touch.EVERY_FLOAT),
                    "pass-through");
            case "pass-through-one" -> KafkaForecastJob.wire(env, spec, dInput,
                    new PassThroughFunction(stateSize, model.version(), PassThroughFunction.Touch.ONE_FLOAT),
                    "pass-through-one");
            default -> throw new IllegalArgumentException("job must be ssm, pass-through or pass-through-one, got "
                    + c.job());
        }
        return env;
    }

    /** The same streams and backend's run of {@code job}, if it ran without an error. */
    private Throughput floor(Config c, String job) {
        return throughputs.stream().filter(t -> t.config().equals(new Config(c.streams(), c.backend(), job))
                && t.error() == null).findFirst().orElse(null);
    }

    /** "measured ratio | whole-job ratio", or dashes without a floor. */
    private static String ratios(Throughput ssm, Throughput floor) {
        return floor == null ? "- | -" : String.format(Locale.ROOT, "%.2f | %.2f", ssm.rate() / floor.rate(),
                ssm.jobRate() / floor.jobRate());
    }

    private void report(PrintStream out) {
        out.println("## Pipeline benchmark: Kafka -> job -> Kafka");
        out.println();
        out.println("```");
        out.println(ProcessHandle.current().info().commandLine().orElse("PipelineBenchmark " + String.join(" ",
                spec.commandLine().getParseResult().originalArgs())));
        out.println("```");
        out.println();
        out.printf(Locale.ROOT, "Machine: %d cores (nproc), %s, %s RAM, load average at start %s, at end %s; Java %s (%s), max heap %.1f GiB; kernels: %s.%n",
                Runtime.getRuntime().availableProcessors(), procLine("/proc/cpuinfo", "model name"),
                procLine("/proc/meminfo", "MemTotal"), loadAtStart, firstLine("/proc/loadavg"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().maxMemory() / (double) (1L << 30),
                KernelOpsProvider.get().getClass().getSimpleName());
        out.printf(Locale.ROOT, "Model: mamba d_model %d, n_layers %d, d_state 16, d_input 1 (seed %d); state %,d floats per stream "
                        + "with a full input window, in checkpoint bytes (pass-through: a float[%d]). Job: parallelism %d, %d partitions per topic, exactly-once sink, "
                        + "out-of-orderness %s; embedded Kafka broker and MiniCluster in this JVM.%n",
                dModel, layers, seed, stateSize, stateSize, parallelism, partitions, outOfOrderness);
        if (!flinkConf.isEmpty()) {
            out.println("Extra Flink configuration: " + flinkConf + ".");
        }
        if (!throughputs.isEmpty()) {
            out.println();
            out.printf("Throughput: one bounded job per row over a pre-produced topic: %,d warm-up events, then the "
                    + "measured ones (--warm-up-events: by then the JIT has compiled the job, as on a long-running task "
                    + "manager); checkpoints every %s, at least %s from the end of one to the start of the next. \"measured\" = outputs of the measured events / (last - first of "
                    + "them, by output record time); \"CPU µs/event\" = this JVM's CPU time (job, broker, clients, JIT, "
                    + "GC) in that window / those outputs; \"whole job\" = all events / Flink's net job runtime "
                    + "(submission to finish: start-up, warm-up, final checkpoint and commit); \"to first\" = submission "
                    + "(MiniCluster start included) -> first output, \"after last\" = last output -> job finished "
                    + "(final checkpoint and commit); \"largest checkpoint\" = the largest chk-N directory seen "
                    + "while the job ran (sampled every 2 s; with incremental checkpoints their own part only). %s%n",
                    warmUpEvents, checkpointInterval,
                    pauseText(), jvmWarmUpEvents > 0
                    ? String.format(Locale.ROOT, "Before the measured jobs of each stream count, one unmeasured job "
                    + "of each kind over %,d events (--jvm-warm-up-events), so that no measured job is the JVM's "
                    + "first.", jvmWarmUpEvents)
                    : "No JVM warm-up jobs (--jvm-warm-up-events 0): the first measured job is the JVM's first.");
            if (!jvmWarmUpFailures.isEmpty()) {
                out.println();
                out.println("**JVM warm-up jobs that failed** (the measured jobs after them may be the JVM's first): "
                        + String.join("; ", jvmWarmUpFailures).replace('|', '/') + ".");
            }
            out.println();
            out.println("| streams | backend | job | measured events | measured s | events/s (measured) "
                    + "| CPU µs/event | job s | events/s (whole job) | to first s | after last s | largest checkpoint MB "
                    + "| outputs |");
            out.println("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (Throughput t : throughputs) {
                Config c = t.config();
                if (t.error() != null) {
                    out.printf(Locale.ROOT, "| %,d | %s | %s | %,d | failed: %s | | | | | | | | |%n", c.streams(), c.backend(),
                            c.job(), t.events(), t.error().replace('|', '/'));
                    continue;
                }
                OutputSummary o = t.out();
                boolean any = o.records() > 0;
                long all = t.warmUp() + t.events();
                out.printf(Locale.ROOT, "| %,d | %s | %s | %,d | %s | %,.0f | %.1f | %.1f | %,.0f | %s | %s | %,.0f | %s |%n",
                        c.streams(), c.backend(), c.job(), o.measured(),
                        o.measured() > 0 ? seconds(o.measuredLastMs() - o.measuredFirstMs()) : "-", t.rate(),
                        t.cpuMicrosPerEvent(), t.jobMs() / 1e3, t.jobRate(),
                        any ? seconds(o.firstMs() - t.startMs()) : "-", any ? seconds(t.endMs() - o.lastMs()) : "-",
                        t.checkpointBytes() / 1e6,
                        o.records() == all && o.measured() == t.events() ? String.format(Locale.ROOT, "%,d", o.records())
                                : String.format(Locale.ROOT, "**%,d (%,d measured) ≠ %,d + %,d events**", o.records(),
                                o.measured(), t.warmUp(), t.events()));
            }
            out.println();
            boolean oneFloat = jobs.contains("pass-through-one");
            out.println("| streams | backend | job | SSM / pass-through (measured) | SSM / pass-through (whole job) |"
                    + (oneFloat ? " SSM / pass-through-one (measured) | SSM / pass-through-one (whole job) |" : ""));
            out.println("| ---: | --- | --- | ---: | ---: |" + (oneFloat ? " ---: | ---: |" : ""));
            for (Throughput s : throughputs) {
                Config c = s.config();
                if (c.job().startsWith("ssm") && s.error() == null) {
                    out.printf(Locale.ROOT, "| %,d | %s | %s | %s |%s%n", c.streams(), c.backend(), c.job(),
                            ratios(s, floor(c, "pass-through")),
                            oneFloat ? " " + ratios(s, floor(c, "pass-through-one")) + " |" : "");
                }
            }
        }
        if (!latencies.isEmpty()) {
            out.println();
            out.printf("Latency: unbounded job fed at a fixed rate (%s), checkpoints every %s, at least %s apart; "
                    + "latency = time an output record is read (read_committed) - its event time, which is the wall "
                    + "clock when the input was sent; events sent in the %s after a %s warm-up. The SSM job holds each event until the "
                    + "watermark (out-of-orderness %s, emitted every 200 ms) passes it; the pass-through job does not.%n",
                    rate != null ? "--rate" : "half the steady throughput above", latencyCheckpointInterval,
                    pauseText(), latencyDuration, latencyWarmup,
                    outOfOrderness);
            out.println();
            out.println("| streams | backend | job | sink | target events/s | sent events/s | received / sent | p50 ms | p99 ms | max ms |");
            out.println("| ---: | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (Latency l : latencies) {
                Config c = l.config();
                if (l.error() != null) {
                    out.printf(Locale.ROOT, "| %,d | %s | %s | %s | %,.0f | failed: %s | | | | |%n", c.streams(),
                            c.backend(), c.job(), l.sink(), l.targetRate(), l.error().replace('|', '/'));
                    continue;
                }
                out.printf(Locale.ROOT, "| %,d | %s | %s | %s | %,.0f | %,.0f | %,d / %,d | %,d | %,d | %,d |%n",
                        c.streams(), c.backend(), c.job(), l.sink(), l.targetRate(), l.sentRate(), l.received(),
                        l.sent(), l.p50(), l.p99(), l.max());
            }
        }
        out.flush();
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f", ms / 1e3);
    }

    private static void progress(String format, Object... args) {
        System.err.println("pipeline: " + String.format(Locale.ROOT, format, args));
        System.err.flush();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String procLine(String file, String key) {
        try (Stream<String> lines = Files.lines(Paths.get(file))) {
            return lines.filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse("unknown " + key);
        } catch (IOException | RuntimeException e) {
            return "unknown " + key;
        }
    }

    private static String firstLine(String file) {
        try (Stream<String> lines = Files.lines(Paths.get(file))) {
            return lines.findFirst().orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            progress("could not delete %s: %s", dir, e);
        }
    }
}
