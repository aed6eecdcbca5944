package io.ssmstream.eval.nab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.eval.EvalInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NabSeriesTest {
    @TempDir
    Path dir;

    @Test
    void duplicateAndBackwardRowsAreNotAppliedButKept() throws Exception {
        Files.createDirectories(dir.resolve("cat"));
        Files.writeString(dir.resolve("cat/f.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n"
                + "2014-04-01 00:05:00,2\n2014-04-01 00:05:00,3\n2014-04-01 00:03:00,4\n2014-04-01 00:10:00,5\n");
        NabSeries s = NabSeries.read(dir, "cat/f.csv");
        assertEquals(5, s.size());
        assertEquals("cat", s.category());
        assertEquals("f.csv", s.fileName());
        assertArrayEquals(new boolean[] {true, true, false, false, true}, s.applied());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, s.values());
    }

    @Test
    void badValueIsReportedWithFileAndLine() throws Exception {
        Files.createDirectories(dir.resolve("cat"));
        Files.writeString(dir.resolve("cat/f.csv"), "timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,x\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> NabSeries.read(dir, "cat/f.csv"));
        assertTrue(e.getMessage().endsWith("f.csv:3: value 'x' is not a finite number"), e.getMessage());
    }
}
