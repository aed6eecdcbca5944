package io.ssmstream.app;

import io.ssmstream.app.input.EventCsvReader;
import io.ssmstream.app.input.EventRow;
import io.ssmstream.app.input.InputException;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.SsmRunner;
import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.model.TimeGap;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssm-stream replay}: runs a model over a CSV file of one stream's events, no Flink involved. Writes
 * each input row with the forecast of the next row and its std.
 */
@Command(name = "replay",
        description = {
            "Run a model over the events of a CSV file and write each row with the forecast of the next row.",
            "Input: a header row, then rows of a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff] UTC, ISO-8601, or epoch "
                + "milliseconds) and d_input numbers, in time order.",
            "Output: timestamp, the input values, <col>_forecast and <col>_std for each value column."
        },
        sortOptions = false)
final class ReplayCommand extends CliCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** How many reasons the skipped-rows report quotes. */
    static final int REASONS_SHOWN = 3;
    private static final CSVFormat OUTPUT_FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.safetensors).")
    Path modelPath;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input CSV file.")
    Path input;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Output CSV file, written only when the whole run succeeds (default: stdout).")
    Path output;

    @Option(names = "--skip-bad",
            description = "Skip bad rows (wrong column count, bad number or timestamp, time going backwards) "
                    + "instead of stopping; report them at the end.")
    boolean skipBad;

    @Option(names = "--idle-ttl", defaultValue = "7d", converter = RunCommand.DurationConverter.class,
            description = "After a gap longer than this between two rows the stream starts over from a new state, "
                    + "as the job's does (default: ${DEFAULT-VALUE}).")
    Duration idleTtl;

    private final List<String> skipReasons = new ArrayList<>();
    private long restarts;
    private long skipped;
    private long rows;

    @Override
    protected int run() throws Exception {
        skipReasons.clear();
        skipped = 0;
        rows = 0;
        restarts = 0;
        if (idleTtl.isNegative() || idleTtl.isZero()) {
            throw new IllegalArgumentException("--idle-ttl must be positive, got " + idleTtl);
        }
        SsmModel model = SsmModel.load(modelPath);
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.get());
        long start = System.nanoTime(); // the rate counts reading, stepping and writing
        try (EventCsvReader reader = EventCsvReader.open(input, model.config().dInput())) {
            if (output == null) {
                Writer w = new BufferedWriter(out(), 1 << 16);
                replay(reader, runner, w);
                w.flush();
            } else {
                AtomicOutput.write(output, temp -> {
                    try (Writer w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                        replay(reader, runner, w);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (skipped > 0) {
            err().println("ssm-stream: skipped " + skipped + " bad row" + (skipped == 1 ? "" : "s") + " of " + input
                    + (skipped > REASONS_SHOWN ? " (first " + REASONS_SHOWN + " shown)" : "") + ": "
                    + String.join("; ", skipReasons));
        }
        err().println(String.format(Locale.ROOT,
                "ssm-stream: replay: %d rows, %d skipped, %s, kernels %s, %.3f s, %.0f events/s%s",
                rows, skipped, restarts == 0 ? "no gap over --idle-ttl"
                        : restarts + " restart" + (restarts == 1 ? "" : "s") + " after gaps over --idle-ttl",
                runner.ops().name(), seconds, seconds > 0 ? rows / seconds : 0.0,
                output != null ? ", wrote " + output : ""));
        err().flush();
        return SsmStreamCli.EXIT_OK;
    }

    private void replay(EventCsvReader reader, SsmRunner runner, Writer w) throws IOException {
        ModelConfig config = runner.model().config();
        int d = config.dInput();
        List<String> names = reader.valueColumnNames();
        List<String> header = new ArrayList<>(1 + 3 * d);
        header.add("timestamp");
        header.addAll(names);
        for (String n : names) {
            header.add(n + "_forecast");
        }
        for (String n : names) {
            header.add(n + "_std");
        }
        CSVPrinter printer = new CSVPrinter(w, OUTPUT_FORMAT);
        printer.printRecord(header);
        StreamState state = StreamState.zeros(runner.model());
        float[] mean = new float[d];
        float[] std = new float[d];
        String[] record = new String[1 + 3 * d];
        long previousMicros = 0;
        boolean first = true;
        long ttlMicros = TimeUnit.MICROSECONDS.convert(idleTtl); // saturates: --idle-ttl 1000000000d is "never"
        EventRow row;
        while ((row = nextRow(reader)) != null) {
            if (!first && row.micros() - previousMicros > ttlMicros) {
                state = StreamState.zeros(runner.model()); // as the job: a stream back after its TTL starts over
                first = true;
                restarts++;
            }
            float tau = first ? TimeGap.FIRST_EVENT : TimeGap.tau(previousMicros, row.micros(), config.dtUnitMs());
            runner.step(state, row.values(), tau, mean, std);
            first = false;
            previousMicros = row.micros();
            record[0] = row.timestampText();
            for (int k = 0; k < d; k++) {
                record[1 + k] = row.valueTexts().get(k);
                record[1 + d + k] = Float.toString(mean[k]);
                record[1 + 2 * d + k] = Float.toString(std[k]);
            }
            printer.printRecord((Object[]) record);
            rows++;
        }
        printer.flush();
    }

    /** The next good row; with --skip-bad, bad rows are counted and passed over. */
    private EventRow nextRow(EventCsvReader reader) {
        while (true) {
            try {
                return reader.next();
            } catch (InputException e) {
                if (!skipBad || !e.rowLevel()) {
                    throw e;
                }
                skipped++;
                if (skipReasons.size() < REASONS_SHOWN) {
                    skipReasons.add("line " + e.line() + ": " + e.problem());
                }
            }
        }
    }
}
