package io.ssmstream.app.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV reader of {@code replay} and {@code produce} over corrupted copies of real series (the shipped example,
 * a NAB series and ETTh1's first rows when {@code ../shared/data} is there, and the awkward shapes of real files:
 * a BOM, CRLF line ends, quoted fields, a trailing separator, mixed ISO and epoch timestamps): reading either
 * gives rows of finite values or an {@link InputException} naming the file (and the line, for a bad row), after
 * which a row-level error lets the reader go on; nothing else is thrown.
 */
class EventCsvReaderFuzzTest {
    private static final Path DATA = Path.of("../../shared/data");

    private static final int TRIES = 500; // each try writes a file

    @TempDir
    Path dir;

    @Test
    void aCorruptSeriesIsReadOrRefusedNamingTheFileAndLine() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Fuzz.firstLines(Path.of("../examples/machine-temperature.csv"), 120));
        Path nab = DATA.resolve("nab-dev/data/realKnownCause/nyc_taxi.csv");
        if (Files.isRegularFile(nab)) {
            seeds.add(Fuzz.firstLines(nab, 120));
        }
        seeds.add(("\uFEFFtimestamp,value\r\n2024-01-01 00:00:00,1.5\r\n\"2024-01-01 00:05:00\",\"2.5\"\r\n"
                + "1704067800000,3.5,\r\n2024-01-01T00:15:00Z,4.5\r\n").getBytes(StandardCharsets.UTF_8));
        Fuzz.checkFiles(20261207, TRIES, seeds, dir.resolve("series.csv"), file -> readAll(file, 1));
    }

    @Test
    void aCorruptMultiColumnSeriesIsReadOrRefusedNamingTheFileAndLine() {
        Path ett = DATA.resolve("ett/ETTh1.csv");
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(("date,a,b\n2016-07-01 00:00:00,1,2\n2016-07-01 01:00:00,3.4028235E38,-1e-45\n"
                + "2016-07-01 02:00:00,0,0\n").getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(ett)) {
            seeds.add(Fuzz.firstLines(ett, 60));
        }
        Fuzz.checkFiles(20261208, TRIES, seeds, dir.resolve("series.csv"), file -> readAll(file, 2));
    }

    private static void readAll(Path file, int columns) {
        try (EventCsvReader reader = EventCsvReader.open(file, columns)) {
            while (true) {
                EventRow row;
                try {
                    row = reader.next();
                } catch (InputException e) {
                    assertNamesTheFile(e, file);
                    if (e.rowLevel()) {
                        assertTrue(e.line() > 0, "a bad row names its line: " + e.getMessage());
                        continue;
                    }
                    return;
                }
                if (row == null) {
                    return;
                }
                assertEquals(columns, row.values().length);
                for (float v : row.values()) {
                    assertTrue(Float.isFinite(v), "a row with a non-finite value was accepted: " + v);
                }
            }
        } catch (InputException e) {
            assertNamesTheFile(e, file);
        }
    }

    private static void assertNamesTheFile(InputException e, Path file) {
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
    }
}
