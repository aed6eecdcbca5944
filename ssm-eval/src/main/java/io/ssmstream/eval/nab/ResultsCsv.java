package io.ssmstream.eval.nab;

import io.ssmstream.eval.EvalInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** NAB's results layout: {@code timestamp,value,anomaly_score}, one row per input row, the input's timestamps. */
public final class ResultsCsv {
    public static final String HEADER = "timestamp,value,anomaly_score";

    /** A results file read back. */
    public record Rows(List<String> timestamps, float[] values, double[] scores) {
    }

    private ResultsCsv() {
    }

    public static void write(Path file, NabSeries series, double[] scores) {
        if (scores.length != series.size()) {
            throw new IllegalArgumentException(series.name() + ": " + scores.length + " scores for " + series.size()
                    + " rows");
        }
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.newLine();
                for (int i = 0; i < scores.length; i++) {
                    w.write(series.timestamps().get(i) + "," + series.values()[i] + "," + scores[i]);
                    w.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    public static Rows read(Path file) {
        List<String> ts = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSVFormat.DEFAULT).get()) {
            for (CSVRecord r : parser) {
                long line = parser.getCurrentLineNumber();
                if (line == 1) {
                    if (!String.join(",", r.toList()).equals(HEADER)) {
                        throw new EvalInputException(file + ":1: expected the header " + HEADER);
                    }
                    continue;
                }
                if (r.size() != 3) {
                    throw new EvalInputException(file + ":" + line + ": expected 3 columns, got " + r.size());
                }
                ts.add(r.get(0));
                try {
                    rows.add(new float[] {Float.parseFloat(r.get(1))});
                    scores.add(Double.parseDouble(r.get(2)));
                } catch (NumberFormatException e) {
                    throw new EvalInputException(file + ":" + line + ": not a number: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new EvalInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        float[] values = new float[rows.size()];
        double[] s = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i)[0];
            s[i] = scores.get(i);
        }
        return new Rows(List.copyOf(ts), values, s);
    }
}
