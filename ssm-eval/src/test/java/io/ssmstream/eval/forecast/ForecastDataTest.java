package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.eval.EvalInputException;
import io.ssmstream.trainer.EventSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForecastDataTest {
    @TempDir
    Path dir;

    @Test
    void normalisesEveryColumnWithItsTrainingRowsOnly() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 500, 5);
        ForecastData fd = ForecastData.load(csv, "temp", ForecastData.Inputs.ALL, 0, "0.6,0.2,0.2");
        assertEquals(List.of("load", "temp"), fd.series().columns());
        assertEquals(1, fd.target());
        EventSeries s = fd.series();
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 300; i++) {
                sum += s.value(i, k);
                sq += s.value(i, k) * s.value(i, k);
            }
            assertEquals(0, sum / 300, 1e-5);
            assertEquals(1, sq / 300, 1e-4);
        }
        // rows after the test part are dropped; the target's values are the target channel
        assertEquals(500, s.size());
        assertEquals(s.value(417, 1), fd.targetValues()[417], 0);
        assertEquals(3_600_000_000L, fd.samplingMicros());
    }

    @Test
    void targetOnlyKeepsOneColumnAndDifferencesStartFromZero() throws IOException {
        Path csv = SyntheticSeries.sineWithArNoise(dir, 300, 6);
        ForecastData fd = ForecastData.load(csv, "load", ForecastData.Inputs.TARGET, 200, "100,50,50");
        assertEquals(List.of("load"), fd.series().columns());
        EventSeries dz = fd.differences();
        assertEquals(0, dz.value(0, 0), 0);
        double[] z = fd.targetValues();
        assertEquals(200, z.length);
        assertEquals((float) z[57] - (float) z[56], dz.value(57, 0), 0);
    }

    @Test
    void aConstantTrainingColumnCannotBeNormalised() throws IOException {
        Path csv = dir.resolve("flat.csv");
        StringBuilder b = new StringBuilder("t,v\n");
        for (int i = 0; i < 100; i++) {
            b.append(i * 1000L).append(',').append(i < 70 ? 5 : i).append('\n');
        }
        Files.writeString(csv, b);
        EvalInputException e = assertThrows(EvalInputException.class,
                () -> ForecastData.load(csv, "v", ForecastData.Inputs.TARGET, 0, "0.6,0.2,0.2"));
        assertEquals(csv + ": column \"v\" is constant over the 60 training rows: cannot normalise it", e.getMessage());
    }
}
