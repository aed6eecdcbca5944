package io.ssmstream.eval.nab;

import io.ssmstream.eval.EvalInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One NAB data file, rows as in the file (duplicates and backward times included).
 *
 * @param name       NAB's name, {@code category/file.csv}
 * @param timestamps the timestamp column as written, (N)
 * @param micros     the same times, epoch µs, (N)
 * @param values     the value column, (N)
 */
public record NabSeries(String name, List<String> timestamps, long[] micros, float[] values) {

    public int size() {
        return micros.length;
    }

    public String category() {
        return name.substring(0, name.indexOf('/'));
    }

    public String fileName() {
        return name.substring(name.indexOf('/') + 1);
    }

    /**
     * Which rows a stream processor applies, in row order: a row whose time is not after the last applied one
     * is a duplicate (dropped, as the job drops a second event with the same time) or late (dead-lettered, as
     * the job does with events behind its watermark); neither is applied nor scored.
     */
    public boolean[] applied() {
        boolean[] applied = new boolean[micros.length];
        long last = Long.MIN_VALUE;
        for (int i = 0; i < micros.length; i++) {
            applied[i] = micros[i] > last;
            if (applied[i]) {
                last = micros[i];
            }
        }
        return applied;
    }

    /** The first {@code rows} rows (CI slices). */
    public NabSeries head(int rows) {
        int n = Math.min(rows, size());
        return new NabSeries(name, timestamps.subList(0, n), Arrays.copyOf(micros, n),
                Arrays.copyOf(values, n));
    }

    /** Reads {@code dataDir/name}: header {@code timestamp,value}, then one row per reading. */
    public static NabSeries read(Path dataDir, String name) {
        Path file = dataDir.resolve(name);
        List<String> ts = new ArrayList<>();
        List<Float> vs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSVFormat.DEFAULT).get()) {
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (line == 1) {
                    if (r.size() != 2 || !r.get(0).strip().equals("timestamp") || !r.get(1).strip().equals("value")) {
                        throw new EvalInputException(file + ":1: expected the header timestamp,value");
                    }
                    continue;
                }
                if (r.size() != 2) {
                    throw new EvalInputException(file + ":" + line + ": expected 2 columns, got " + r.size());
                }
                ts.add(r.get(0));
                try {
                    float v = Float.parseFloat(r.get(1));
                    if (!Float.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    vs.add(v);
                } catch (NumberFormatException e) {
                    throw new EvalInputException(file + ":" + line + ": value '" + r.get(1) + "' is not a finite number");
                }
            }
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (ts.isEmpty()) {
            throw new EvalInputException(file + ": no rows");
        }
        long[] micros = new long[ts.size()];
        float[] values = new float[ts.size()];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = NabWindows.parseMicros(ts.get(i), file + ":" + (i + 2));
            values[i] = vs.get(i);
        }
        return new NabSeries(name, List.copyOf(ts), micros, values);
    }
}
