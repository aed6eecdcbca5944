package io.ssmstream.eval.forecast;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The scores as one printed table and as a CSV with the same rows. */
final class ForecastReport {
    static final String CSV_HEADER = "horizon,method,origins,mse_at_h,mae_at_h,mse_1_to_h,mae_1_to_h";

    private ForecastReport() {
    }

    static void printTable(List<ForecastEvaluation.Score> scores, PrintWriter out) {
        int width = Math.max(14, scores.stream().mapToInt(s -> s.method().length()).max().orElse(0));
        out.printf(Locale.ROOT, "%7s  %-" + width + "s  %7s  %9s  %9s  %9s  %9s%n", "horizon", "method", "origins",
                "MSE at h", "MAE at h", "MSE 1..h", "MAE 1..h");
        int previous = -1;
        for (ForecastEvaluation.Score s : scores) {
            if (previous != -1 && s.horizon() != previous) {
                out.println();
            }
            previous = s.horizon();
            out.printf(Locale.ROOT, "%7d  %-" + width + "s  %7d  %9.4f  %9.4f  %9.4f  %9.4f%n", s.horizon(),
                    s.method(), s.origins(), s.mseAt(), s.maeAt(), s.mseMean(), s.maeMean());
        }
        out.flush();
    }

    static void writeCsv(List<ForecastEvaluation.Score> scores, Path file) throws IOException {
        StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
        for (ForecastEvaluation.Score s : scores) {
            b.append(String.format(Locale.ROOT, "%d,%s,%d,%.6f,%.6f,%.6f,%.6f%n", s.horizon(), s.method(),
                    s.origins(), s.mseAt(), s.maeAt(), s.mseMean(), s.maeMean()));
        }
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }
}
