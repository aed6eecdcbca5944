package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.eval.EvalInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvTest {
    @TempDir
    Path dir;

    private static NabSeries series(int n) {
        List<String> ts = new ArrayList<>();
        long[] micros = new long[n];
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            int minutes = i * 5;
            ts.add(String.format("2014-04-01 %02d:%02d:00", minutes / 60, minutes % 60));
            micros[i] = NabWindows.parseMicros(ts.get(i), "test");
            values[i] = i % 7 - 3.25f;
        }
        return new NabSeries("cat/f.csv", ts, micros, values);
    }

    @Test
    void resultsRoundTripAndScoreTheSame() {
        NabSeries s = series(200);
        double[] scores = new double[200];
        Random rnd = new Random(1);
        for (int i = 0; i < scores.length; i++) {
            scores[i] = rnd.nextDouble();
        }
        Path file = dir.resolve("cat/f.csv");
        ResultsCsv.write(file, s, scores);
        ResultsCsv.Rows back = ResultsCsv.read(file);
        assertEquals(s.timestamps(), back.timestamps());
        assertArrayEquals(s.values(), back.values());
        assertArrayEquals(scores, back.scores());

        List<NabWindows.Window> windows = List.of(new NabWindows.Window(s.micros()[100], s.micros()[119]));
        long[] backMicros = back.timestamps().stream().mapToLong(t -> NabWindows.parseMicros(t, "back")).toArray();
        for (NabProfile p : List.of(NabProfile.STANDARD, NabProfile.LOW_FP, NabProfile.LOW_FN)) {
            assertEquals(NabScorer.evaluate(List.of(NabScorer.sweep("cat/f.csv", s.micros(), scores, windows)), p),
                    NabScorer.evaluate(List.of(NabScorer.sweep("cat/f.csv", backMicros, back.scores(), windows)), p));
        }
    }

    @Test
    void fileStartsWithNabsHeader() throws Exception {
        Path file = dir.resolve("cat/f.csv");
        ResultsCsv.write(file, series(3), new double[3]);
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of("timestamp,value,anomaly_score", "2014-04-01 00:00:00,-3.25,0.0",
                "2014-04-01 00:05:00,-2.25,0.0", "2014-04-01 00:10:00,-1.25,0.0"), lines);
    }

    @Test
    void fileWithAnotherHeaderIsRefusedWithItsName() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "timestamp,value\n2014-04-01 00:00:00,1\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> ResultsCsv.read(file));
        assertEquals(file + ":1: expected the header timestamp,value,anomaly_score", e.getMessage());
    }
}
