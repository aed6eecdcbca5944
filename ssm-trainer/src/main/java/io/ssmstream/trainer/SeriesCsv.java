package io.ssmstream.trainer;

import io.ssmstream.connectors.time.TimestampParser;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads training series from CSV files laid out like {@code ssm-stream replay}'s input: a header row, then
 * per row a timestamp (epoch ms, {@code YYYY-MM-DD HH:MM:SS[.ffffff]} UTC or ISO-8601) and the value columns.
 * Blank lines are skipped; timestamps must not go backwards; values must be finite. A directory is read as
 * one series per {@code *.csv} file (sorted by name), all with the same number of value columns;
 * {@link #readEach} leaves out the files that break these rules and says which and why.
 */
public final class SeriesCsv {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();

    private SeriesCsv() {
    }

    /**
     * A file's series, or a directory's: every {@code *.csv} file that can be read, in name order, and a problem
     * line ({@code file:line: problem}) for each that cannot, so that one bad file among many costs that file only.
     *
     * @param series   the series read
     * @param failures one line per file that was left out
     */
    public record Read(List<EventSeries> series, List<String> failures) {
        /** The number of files looked at. */
        public int files() {
            return series.size() + failures.size();
        }
    }

    /**
     * Reads a file, which must be good, or a directory, whose bad files are left out and listed in
     * {@link Read#failures()}: unreadable ones and those whose value columns differ from the first good file's.
     *
     * @throws TrainingDataException for a bad single file, a directory that cannot be listed or has no CSV
     *                               file, or one none of whose files can be read (listing every problem)
     */
    public static Read readEach(Path fileOrDirectory) {
        if (!Files.isDirectory(fileOrDirectory)) {
            return new Read(List.of(read(fileOrDirectory)), List.of());
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(fileOrDirectory)) {
            s.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".csv") && Files.isRegularFile(p))
                    .sorted().forEach(files::add);
        } catch (IOException e) {
            throw new TrainingDataException(fileOrDirectory + ": cannot list: " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new TrainingDataException(fileOrDirectory + ": directory has no .csv files");
        }
        List<EventSeries> out = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try {
                EventSeries s = read(f);
                if (!out.isEmpty() && s.channels() != out.get(0).channels()) {
                    failures.add(f + ": has " + s.channels() + " value columns but " + out.get(0).source()
                            + " has " + out.get(0).channels());
                } else {
                    out.add(s);
                }
            } catch (TrainingDataException e) {
                failures.add(e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new TrainingDataException(fileOrDirectory + ": none of its " + files.size()
                    + " .csv files can be read: " + String.join("; ", failures));
        }
        return new Read(out, failures);
    }

    /**
     * Like {@link #readEach} but every file must be good.
     *
     * @throws TrainingDataException naming the file and line of the first problem
     */
    public static List<EventSeries> readAll(Path fileOrDirectory) {
        Read r = readEach(fileOrDirectory);
        if (!r.failures().isEmpty()) {
            throw new TrainingDataException(r.failures().get(0));
        }
        return r.series();
    }

    /** @throws TrainingDataException naming the file and line of the first problem */
    public static EventSeries read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            List<String> header = null;
            int d = 0;
            long[] micros = new long[1024];
            float[] values = null;
            int n = 0;
            for (CSVRecord r : parser) {
                long line = r.getParser().getCurrentLineNumber();
                if (header == null) {
                    header = new ArrayList<>(r.toList());
                    if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                        header.set(0, header.get(0).substring(1));
                    }
                    d = header.size() - 1;
                    if (d < 1) {
                        throw new TrainingDataException(file + ":" + line
                                + ": the header needs a timestamp column and at least one value column");
                    }
                    if (isNumber(header.get(d))) {
                        throw new TrainingDataException(file + ":" + line + ": missing header: the first row looks"
                                + " like data; the first row must name the columns, e.g. timestamp,value");
                    }
                    values = new float[1024 * d];
                    continue;
                }
                if (r.size() != d + 1) {
                    throw new TrainingDataException(file + ":" + line + ": " + r.size() + " columns but the header has "
                            + (d + 1));
                }
                long t;
                try {
                    t = TimestampParser.parseMicros(r.get(0));
                } catch (IllegalArgumentException e) {
                    throw new TrainingDataException(file + ":" + line + ": " + e.getMessage());
                }
                if (n > 0 && t < micros[n - 1]) {
                    throw new TrainingDataException(file + ":" + line + ": timestamp \"" + r.get(0)
                            + "\" goes backwards (rows must be in time order)");
                }
                if (n == micros.length) {
                    micros = java.util.Arrays.copyOf(micros, 2 * n);
                    values = java.util.Arrays.copyOf(values, 2 * n * d);
                }
                micros[n] = t;
                for (int k = 0; k < d; k++) {
                    values[n * d + k] = parseValue(r.get(k + 1), header.get(k + 1), file, line);
                }
                n++;
            }
            if (header == null) {
                throw new TrainingDataException(file + ": empty file: expected a header row");
            }
            if (n < 2) {
                throw new TrainingDataException(file + ": needs at least 2 data rows, has " + n);
            }
            return new EventSeries(file.getFileName().toString(), header.subList(1, header.size()),
                    java.util.Arrays.copyOf(micros, n), java.util.Arrays.copyOf(values, n * d));
        } catch (NoSuchFileException e) {
            throw new TrainingDataException(file + ": no such file");
        } catch (IOException | UncheckedIOException e) {
            throw new TrainingDataException(file + ": cannot read: " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new TrainingDataException(file + ": malformed CSV: " + e.getMessage());
        }
    }

    private static float parseValue(String text, String column, Path file, long line) {
        String s = text.strip();
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new TrainingDataException(file + ":" + line + ": column \"" + column + "\": \"" + text
                    + "\" is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new TrainingDataException(file + ":" + line + ": column \"" + column + "\": \"" + text
                    + "\" is not a finite float");
        }
        return v;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
