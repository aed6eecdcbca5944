package io.ssmstream.app.input;

import io.ssmstream.connectors.time.TimestampParser;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads events from a UTF-8 CSV file: a header row, then one event per row with the timestamp in the first
 * column (see {@link TimestampParser}) and exactly {@code valueColumns} finite numbers after it. Blank lines
 * are ignored. Timestamps must not go backwards (equal ones are allowed).
 *
 * <p>{@link #next()} returns the next valid row; a bad row throws an {@link InputException} with
 * {@link InputException#rowLevel()} true, after which the reader can go on with the following row (the bad
 * row does not count as the previous event for the time order check). Problems with the file as a whole
 * (missing, empty, no header, malformed CSV) throw with {@code rowLevel()} false. Not thread-safe.
 */
public final class EventCsvReader implements Closeable {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();

    private final Path file;
    private final int valueColumns;
    private final Reader reader;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private String previousTimestamp;
    private long previousMicros;

    private EventCsvReader(Path file, int valueColumns) {
        if (valueColumns <= 0) {
            throw new IllegalArgumentException("valueColumns must be positive, got " + valueColumns);
        }
        this.file = file;
        this.valueColumns = valueColumns;
        if (Files.isDirectory(file)) {
            throw InputException.file(file, 0, "is a directory, not a CSV file");
        }
        try {
            this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw InputException.file(file, 0, "no such file");
        } catch (AccessDeniedException e) {
            throw InputException.file(file, 0, "permission denied");
        } catch (IOException e) {
            throw InputException.file(file, 0, "cannot read: " + e.getMessage());
        }
        try {
            this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
            this.records = parser.iterator();
            this.header = readHeader();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e instanceof InputException ie ? ie : wrap(e, 0);
        }
    }

    /**
     * Opens {@code file} and reads its header.
     *
     * @param valueColumns the number of value columns each row must have (a model's d_input)
     * @throws InputException when the file cannot be read, is empty, or its header is missing or has the wrong
     *                        number of columns
     */
    public static EventCsvReader open(Path file, int valueColumns) {
        return new EventCsvReader(file, valueColumns);
    }

    public Path file() {
        return file;
    }

    /** The header's column names, the timestamp column first. */
    public List<String> header() {
        return header;
    }

    /** The names of the value columns, (valueColumns). */
    public List<String> valueColumnNames() {
        return header.subList(1, header.size());
    }

    private List<String> readHeader() {
        CSVRecord record = nextRecord();
        if (record == null) {
            throw InputException.file(file, 0, "empty file: expected a header row (timestamp and "
                    + valueColumns + " value column names)");
        }
        List<String> names = new ArrayList<>(record.toList());
        if (!names.isEmpty() && names.get(0).startsWith("\uFEFF")) {
            names.set(0, names.get(0).substring(1)); // UTF-8 byte order mark
        }
        long line = lineOf(record);
        if (looksLikeData(names)) {
            throw InputException.file(file, line, "missing header: the first row looks like data ("
                    + String.join(",", names) + "); the first row must name the columns, e.g. timestamp,value");
        }
        if (names.size() != valueColumns + 1) {
            throw InputException.file(file, line, "the header has " + names.size() + " columns but the model needs "
                    + (valueColumns + 1) + ": the timestamp and d_input=" + valueColumns + " values");
        }
        return Collections.unmodifiableList(names);
    }

    private static boolean looksLikeData(List<String> fields) {
        if (fields.size() < 2 || !isTimestamp(fields.get(0))) {
            return false;
        }
        for (int i = 1; i < fields.size(); i++) {
            try {
                Float.parseFloat(fields.get(i));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the next valid row, or null at the end of the file
     * @throws InputException for a bad row ({@code rowLevel()} true: the caller may call next() again) or a
     *                        file that cannot be read on ({@code rowLevel()} false)
     */
    public EventRow next() {
        CSVRecord record = nextRecord();
        if (record == null) {
            return null;
        }
        long line = lineOf(record);
        if (record.size() != valueColumns + 1) {
            throw InputException.row(file, line, record.size() + " columns but expected " + (valueColumns + 1)
                    + ": the timestamp and d_input=" + valueColumns + " values");
        }
        String timestampText = record.get(0);
        long micros;
        try {
            micros = TimestampParser.parseMicros(timestampText);
        } catch (IllegalArgumentException e) {
            throw InputException.row(file, line, e.getMessage());
        }
        List<String> texts = new ArrayList<>(valueColumns);
        float[] values = new float[valueColumns];
        for (int k = 0; k < valueColumns; k++) {
            String text = record.get(k + 1);
            texts.add(text);
            values[k] = parseValue(text, header.get(k + 1), line);
        }
        if (previousTimestamp != null && micros < previousMicros) {
            throw InputException.row(file, line, "timestamp \"" + timestampText
                    + "\" goes backwards: it is before the previous row's \"" + previousTimestamp + "\"");
        }
        previousTimestamp = timestampText;
        previousMicros = micros;
        return new EventRow(line, timestampText, micros, Collections.unmodifiableList(texts), values);
    }

    private float parseValue(String text, String column, long line) {
        String s = text.strip();
        if (s.isEmpty()) {
            throw InputException.row(file, line, "column \"" + column + "\" is empty");
        }
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw InputException.row(file, line, "column \"" + column + "\": \"" + text + "\" is not a number");
        }
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            String why = isNonFiniteWord(s) ? "is not finite" : "is out of float range";
            throw InputException.row(file, line, "column \"" + column + "\": \"" + text + "\" " + why
                    + " (values must be finite numbers)");
        }
        return v;
    }

    private static boolean isNonFiniteWord(String s) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return t.equals("NaN") || t.equals("Infinity");
    }

    private CSVRecord nextRecord() {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw wrap(e, parser.getCurrentLineNumber());
        }
    }

    /** The first physical line of a record (the parser's line number is that of its last line). */
    private long lineOf(CSVRecord record) {
        long line = parser.getCurrentLineNumber();
        for (String value : record) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 == value.length() || value.charAt(i + 1) != '\n'))) {
                    line--;
                }
            }
        }
        return line;
    }

    private InputException wrap(Exception e, long line) {
        Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        if (cause instanceof java.nio.charset.CharacterCodingException) {
            message = "not valid UTF-8 text";
        }
        return new InputException(file, line, "malformed CSV: " + message, false, e);
    }

    private void closeQuietly() {
        try {
            reader.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    @Override
    public void close() {
        try {
            if (parser != null) {
                parser.close();
            } else {
                reader.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isTimestamp(String text) {
        try {
            TimestampParser.parseMicros(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
