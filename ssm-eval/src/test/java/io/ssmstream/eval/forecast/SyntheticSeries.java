package io.ssmstream.eval.forecast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/** Hourly CSVs for tests: a daily sine plus AR(1) noise in "load", and a lagged copy of it in "temp". */
final class SyntheticSeries {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private SyntheticSeries() {
    }

    /** y_t = 10 + 4 sin(2π t / 24) + e_t, e_t = 0.8 e_{t-1} + N(0, 0.3²). */
    static Path sineWithArNoise(Path dir, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("date,load,temp\n");
        double noise = 0;
        double previous = 10;
        long start = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
        for (int t = 0; t < rows; t++) {
            noise = 0.8 * noise + 0.3 * random.nextGaussian();
            double load = 10 + 4 * Math.sin(2 * Math.PI * t / 24) + noise;
            csv.append(TIME.format(Instant.ofEpochSecond(start + 3600L * t))).append(',')
                    .append(String.format(Locale.ROOT, "%.5f,%.5f", load, 20 + 0.5 * previous)).append('\n');
            previous = load;
        }
        Path file = dir.resolve("sine.csv");
        Files.writeString(file, csv);
        return file;
    }
}
