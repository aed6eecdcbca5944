package io.ssmstream.app;

import io.ssmstream.app.job.JobSettings;
import io.ssmstream.app.job.KafkaForecastJob;
import io.ssmstream.app.job.KafkaJobSpec;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.json.ForecastJson;
import io.ssmstream.connectors.kafka.EmbeddedKafka;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream demo}: the whole product on one machine with nothing installed. Starts a real Kafka broker
 * in-process, replays a real series into it, runs the forecasting job on an embedded Flink cluster, follows the
 * output topic with a live progress line, and ends with a summary and where the results are.
 */
@Command(name = "demo", sortOptions = false,
        description = {"Kafka (in-process) -> Flink job (embedded) -> Kafka, on a real series, with live progress.",
            "Default series: NAB's nyc_taxi from ../shared/data when present, else the shipped example."})
final class DemoCommand extends CliCommand {
    static final Path NYC_TAXI = Path.of("../shared/data/nab-dev/data/realKnownCause/nyc_taxi.csv");
    static final Path NYC_TAXI_MODEL = Path.of("examples/model-nyc-taxi.safetensors");
    static final Path EXAMPLE = Path.of("examples/machine-temperature.csv");
    static final Path EXAMPLE_MODEL = Path.of("examples/model-mamba.safetensors");
    private static final String INPUT = "sensor-events";
    private static final String OUTPUT = "sensor-forecasts";
    private static final String DEAD = "sensor-dead-letters";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--input", paramLabel = "FILE", description = "CSV series (timestamp, value).")
    Path input;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (default: the one made for the series).")
    Path model;

    @Option(names = "--speedup", defaultValue = "0",
            description = "Replay the series this many times faster than real time; 0: as fast as possible "
                    + "(default: ${DEFAULT-VALUE}).")
    double speedup;

    @Option(names = "--out", defaultValue = "demo-output", paramLabel = "DIR",
            description = "Where the forecasts CSV goes (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--anomaly-threshold", defaultValue = "0.999",
            description = "Score from which an event is reported as an anomaly (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    protected int run() throws Exception {
        // A bounded job's last checkpoints are declined while its tasks close: expected here, not worth a warning.
        Configurator.setLevel("org.apache.flink.runtime.checkpoint", Level.ERROR);
        Path series = input != null ? input : Files.isRegularFile(NYC_TAXI) ? NYC_TAXI : EXAMPLE;
        Path modelFile = model != null ? model
                : series.equals(NYC_TAXI) && Files.isRegularFile(NYC_TAXI_MODEL) ? NYC_TAXI_MODEL : EXAMPLE_MODEL;
        String stream = series.getFileName().toString().replaceFirst("\\.csv$", "");
        long rows = countRows(series);
        Files.createDirectories(out);
        err().println("ssm-stream demo: " + series + " (" + rows + " events) with model " + modelFile);
        err().flush();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(4, INPUT, OUTPUT);
            kafka.createTopics(1, DEAD);
            err().println("Kafka broker (in-process) at " + kafka.bootstrapServers());
            err().flush();
            int produced = produce(kafka, series, stream);
            KafkaJobSpec spec = new KafkaJobSpec(kafka.bootstrapServers(), INPUT, OUTPUT, DEAD, modelFile, "ssm-demo",
                    "earliest", true, true, null, new Properties(), 2, "hashmap", null, Duration.ofSeconds(1),
                    JobSettings.builder().anomalyThreshold(threshold).build());
            StreamExecutionEnvironment env = KafkaForecastJob.environment(spec);
            KafkaForecastJob.wire(env, spec);
            long start = System.nanoTime();
            JobClient job = env.executeAsync("ssm-stream demo");
            List<ForecastRecord> results = follow(kafka, produced, job);
            double seconds = (System.nanoTime() - start) / 1e9;
            summarize(results, produced, seconds, out.resolve(stream + "-forecasts.csv"));
        }
        return SsmStreamCli.EXIT_OK;
    }

    private static long countRows(Path series) throws Exception {
        try (var lines = Files.lines(series)) {
            return Math.max(0, lines.filter(l -> !l.isBlank()).count() - 1);
        }
    }

    private int produce(EmbeddedKafka kafka, Path series, String stream) {
        String[] args = {"--bootstrap-servers", kafka.bootstrapServers(), "--topic", INPUT, "--input",
            series.toString(), "--stream", stream, "--speedup", Double.toString(speedup)};
        ProduceCommand produce = new ProduceCommand();
        CommandLine cmd = new CommandLine(produce);
        cmd.setErr(err());
        int code = cmd.execute(args);
        if (code != SsmStreamCli.EXIT_OK) {
            throw new UserException("replaying " + series + " into Kafka failed");
        }
        return (int) produce.sent();
    }

    /** Reads the output topic (read_committed) until every event has a forecast or the job has ended. */
    private List<ForecastRecord> follow(EmbeddedKafka kafka, int expected, JobClient job) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "ssm-demo-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ForecastRecord> results = new ArrayList<>();
        long anomalies = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             ProgressBar bar = new ProgressBarBuilder().setTaskName("forecasting").setInitialMax(expected)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                     .setConsumer(new ConsoleProgressBarConsumer(System.err))
                     .build()) {
            consumer.subscribe(List.of(OUTPUT));
            long quietSince = System.nanoTime();
            while (results.size() < expected) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    ForecastRecord f = ForecastJson.parse(r.value());
                    results.add(f);
                    if (f.anomalyScore >= threshold) {
                        anomalies++;
                    }
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                    bar.stepTo(results.size());
                    bar.setExtraMessage(" anomalies: " + anomalies);
                }
                // The embedded cluster shuts down with its only job: ask the result future, not the cluster.
                boolean ended = job.getJobExecutionResult().isDone();
                if (ended && System.nanoTime() - quietSince > Duration.ofSeconds(5).toNanos()) {
                    break;
                }
            }
        }
        return results;
    }

    private void summarize(List<ForecastRecord> results, int produced, double seconds, Path csv) throws Exception {
        results.sort(Comparator.comparingLong(r -> r.ts));
        try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,forecast_next,std_next,anomaly_score\n");
            for (ForecastRecord r : results) {
                w.write(Instant.ofEpochMilli(r.ts) + "," + r.values[0] + "," + r.forecast[0] + "," + r.std[0] + ","
                        + r.anomalyScore + "\n");
            }
        }
        List<ForecastRecord> anomalies = results.stream().filter(r -> r.anomalyScore >= threshold)
                .sorted(Comparator.comparingDouble((ForecastRecord r) -> r.anomalyScore).reversed()).toList();
        var e = err();
        e.printf(Locale.ROOT, "%n%d of %d events forecast in %.1f s (%.0f events/s end to end)%n", results.size(),
                produced, seconds, results.size() / seconds);
        e.printf(Locale.ROOT, "%d anomalies (score >= %s)%s%n", anomalies.size(), threshold,
                anomalies.isEmpty() ? "" : ", strongest:");
        for (ForecastRecord r : anomalies.subList(0, Math.min(5, anomalies.size()))) {
            float[] expected = previousForecast(results, r);
            e.printf(Locale.ROOT, "  %s  value %.1f, forecast %.1f ± %.1f, score %.5f%n", Instant.ofEpochMilli(r.ts),
                    r.values[0], expected[0], expected[1], r.anomalyScore);
        }
        e.println("forecasts: " + csv.toAbsolutePath());
        e.flush();
    }

    /** The forecast (mean, std) that was made for {@code r}: the one output with the previous event. */
    private static float[] previousForecast(List<ForecastRecord> sorted, ForecastRecord r) {
        int i = sorted.indexOf(r);
        return i <= 0 ? new float[] {Float.NaN, Float.NaN}
                : new float[] {sorted.get(i - 1).forecast[0], sorted.get(i - 1).std[0]};
    }
}
