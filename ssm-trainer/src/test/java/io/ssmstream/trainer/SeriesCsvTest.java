package io.ssmstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesCsvTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsTimestampsInEveryAcceptedFormatAndSkipsBlankLines() throws IOException {
        Path f = write("a.csv", "timestamp,x,y\n2024-01-01 00:00:00,1,2\n\n2024-01-01T00:00:01.5Z,3,4\n1704067202000,5,6\n");
        EventSeries s = SeriesCsv.read(f);
        assertEquals(List.of("x", "y"), s.columns());
        assertArrayEquals(new long[] {1704067200000000L, 1704067201500000L, 1704067202000000L}, s.micros());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, s.values());
    }

    @Test
    void rejectsTimestampsGoingBackwardsNamingFileAndLine() throws IOException {
        Path f = write("b.csv", "t,v\n2024-01-01 00:00:02,1\n2024-01-01 00:00:01,2\n");
        TrainingDataException e = assertThrows(TrainingDataException.class, () -> SeriesCsv.read(f));
        assertTrue(e.getMessage().contains("b.csv:3") && e.getMessage().contains("backwards"), e.getMessage());
    }

    @Test
    void rejectsAMissingHeaderANonNumberAndAWrongColumnCount() throws IOException {
        Path noHeader = write("c.csv", "2024-01-01 00:00:00,1\n2024-01-01 00:00:01,2\n");
        assertTrue(assertThrows(TrainingDataException.class, () -> SeriesCsv.read(noHeader)).getMessage()
                .contains("missing header"));
        Path nan = write("d.csv", "t,v\n2024-01-01 00:00:00,1\n2024-01-01 00:00:01,abc\n");
        assertTrue(assertThrows(TrainingDataException.class, () -> SeriesCsv.read(nan)).getMessage()
                .contains("d.csv:3: column \"v\""));
        Path cols = write("e.csv", "t,v\n2024-01-01 00:00:00,1,2\n");
        assertTrue(assertThrows(TrainingDataException.class, () -> SeriesCsv.read(cols)).getMessage()
                .contains("e.csv:2"));
        assertTrue(assertThrows(TrainingDataException.class, () -> SeriesCsv.read(dir.resolve("none.csv")))
                .getMessage().contains("no such file"));
    }

    @Test
    void readsADirectoryAsOneSeriesPerCsvFileInNameOrder() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("streams"));
        Files.writeString(sub.resolve("b.csv"), "t,v\n1000,1\n2000,2\n");
        Files.writeString(sub.resolve("a.csv"), "t,v\n1000,3\n2000,4\n3000,5\n");
        Files.writeString(sub.resolve("notes.txt"), "ignored");
        List<EventSeries> all = SeriesCsv.readAll(sub);
        assertEquals(2, all.size());
        assertEquals("a.csv", all.get(0).source());
        assertEquals(3, all.get(0).size());
        Files.writeString(sub.resolve("c.csv"), "t,v,w\n1000,1,1\n2000,2,2\n");
        assertTrue(assertThrows(TrainingDataException.class, () -> SeriesCsv.readAll(sub)).getMessage()
                .contains("value columns"));
    }

    @Test
    void readEachKeepsTheGoodFilesOfADirectoryAndSaysWhyTheOthersWereLeftOut() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("mixed"));
        Files.writeString(sub.resolve("a.csv"), "t,v\n1000,3\n2000,4\n");
        Files.writeString(sub.resolve("b.csv"), "t,v\n1000,1\n500,2\n");
        Files.writeString(sub.resolve("c.csv"), "t,v,w\n1000,1,1\n2000,2,2\n");
        Files.writeString(sub.resolve("d.csv"), "t,v\n1000,5\n2000,6\n");
        SeriesCsv.Read read = SeriesCsv.readEach(sub);
        assertEquals(List.of("a.csv", "d.csv"), read.series().stream().map(EventSeries::source).toList());
        assertEquals(4, read.files());
        assertEquals(2, read.failures().size(), read.failures().toString());
        assertTrue(read.failures().get(0).startsWith(sub.resolve("b.csv") + ":3:"), read.failures().get(0));
        assertTrue(read.failures().get(1).startsWith(sub.resolve("c.csv") + ": has 2 value columns but a.csv has 1"),
                read.failures().get(1));
        TrainingDataException strict = assertThrows(TrainingDataException.class, () -> SeriesCsv.readAll(sub));
        assertEquals(read.failures().get(0), strict.getMessage());
    }
}
