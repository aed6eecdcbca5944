package io.ssmstream.trainer;

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
 * The training CSV reader ({@code train}, {@code retrain --input}, the evaluations' series) over corrupted copies
 * of real series (the shipped example; a NAB series and ETTh1's first rows when {@code ../shared/data} is
 * there; a file with a BOM, CRLF line ends and quoted fields): a series of finite values or a
 * {@link TrainingDataException} naming the file, never another exception.
 */
class SeriesCsvFuzzTest {
    private static final int TRIES = 500; // each try writes a file
    private static final Path DATA = Path.of("../../shared/data");

    @TempDir
    Path dir;

    @Test
    void aCorruptTrainingSeriesIsReadOrRefusedNamingTheFile() {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(Fuzz.firstLines(Path.of("../examples/machine-temperature.csv"), 120));
        for (Path p : List.of(DATA.resolve("nab-dev/data/realKnownCause/nyc_taxi.csv"),
                DATA.resolve("ett/ETTh1.csv"))) {
            if (Files.isRegularFile(p)) {
                seeds.add(Fuzz.firstLines(p, 80));
            }
        }
        seeds.add(("\uFEFFtimestamp,a,b\r\n2024-01-01 00:00:00,1.5,2\r\n\"2024-01-01 00:05:00\",\"2.5\",3\r\n"
                + "1704067800000,3.5,4\r\n").getBytes(StandardCharsets.UTF_8));
        Fuzz.checkFiles(20261207, TRIES, seeds, dir.resolve("series.csv"), file -> {
            try {
                EventSeries series = SeriesCsv.read(file);
                for (int i = 0; i < series.size(); i++) {
                    for (int c = 0; c < series.channels(); c++) {
                        float v = series.value(i, c);
                        assertTrue(Float.isFinite(v), "a non-finite value was accepted: " + v);
                    }
                }
            } catch (TrainingDataException e) {
                assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: "
                        + e.getMessage());
            }
        });
    }
}
