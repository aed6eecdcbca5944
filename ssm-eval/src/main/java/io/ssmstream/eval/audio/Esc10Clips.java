package io.ssmstream.eval.audio;

import io.ssmstream.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The clips of a data set laid out like ESC-10: class folders of clips plus {@code labels.csv} whose first
 * columns are {@code path,category_id,category,fold} (path relative to the directory).
 */
final class Esc10Clips {
    record Clip(Path file, String category, int fold) {
    }

    private Esc10Clips() {
    }

    static List<Clip> read(Path dir) {
        Path labels = dir.resolve("labels.csv");
        List<String> lines;
        try {
            lines = Files.readAllLines(labels);
        } catch (NoSuchFileException e) {
            throw new EvalInputException(labels + ": no such file (--data must be a directory with labels.csv)");
        } catch (IOException e) {
            throw new EvalInputException(labels + ": cannot read: " + e.getMessage(), e);
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("path,category_id,category,fold")) {
            throw new EvalInputException(labels + ":1: expected a header starting with path,category_id,category,fold");
        }
        List<Clip> clips = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", 5);
            if (f.length < 4) {
                throw new EvalInputException(labels + ":" + (i + 1) + ": expected at least 4 columns");
            }
            int fold;
            try {
                fold = Integer.parseInt(f[3].strip());
            } catch (NumberFormatException e) {
                throw new EvalInputException(labels + ":" + (i + 1) + ": fold '" + f[3] + "' is not an integer");
            }
            clips.add(new Clip(dir.resolve(f[0].strip()), f[2].strip(), fold));
        }
        return clips;
    }

    /** "Clock tick", "clock_tick" and "clock-tick" name the same class. */
    static String key(String category) {
        return category.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", " ").strip();
    }
}
