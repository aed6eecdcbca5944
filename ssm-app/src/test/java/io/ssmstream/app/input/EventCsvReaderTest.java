package io.ssmstream.app.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventCsvReaderTest {
    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void readsRowsWithPhysicalLineNumbersAcrossBlankLinesAndCrlf() throws IOException {
        Path file = write("\uFEFFtime,a,b\r\n2024-01-01 00:00:00,1,2\r\n\r\n2024-01-01 00:00:01, 3.5 ,-4e1\r\n"
                + "1704067202000,5,6");
        try (EventCsvReader r = EventCsvReader.open(file, 2)) {
            assertEquals(List.of("time", "a", "b"), r.header(), "byte order mark stripped");
            assertEquals(List.of("a", "b"), r.valueColumnNames());
            EventRow first = r.next();
            assertEquals(2, first.line());
            assertArrayEquals(new float[] {1, 2}, first.values());
            EventRow second = r.next();
            assertEquals(4, second.line());
            assertEquals(List.of(" 3.5 ", "-4e1"), second.valueTexts(), "texts kept verbatim");
            assertArrayEquals(new float[] {3.5f, -40f}, second.values());
            EventRow third = r.next();
            assertEquals(5, third.line());
            assertEquals(1_704_067_202_000_000L, third.micros());
            assertNull(r.next());
        }
    }

    @Test
    void badRowCanBeSkippedAndDoesNotBecomeThePreviousEvent() throws IOException {
        Path file = write("t,v\n2024-01-01 00:00:10,1\n2024-01-01 00:00:20,x\n2024-01-01 00:00:05,2\n"
                + "2024-01-01 00:00:15,3\n");
        try (EventCsvReader r = EventCsvReader.open(file, 1)) {
            assertEquals(2, r.next().line());
            InputException notNumber = assertThrows(InputException.class, r::next);
            assertTrue(notNumber.rowLevel());
            assertEquals(3, notNumber.line());
            InputException backwards = assertThrows(InputException.class, r::next);
            assertEquals(4, backwards.line());
            assertTrue(backwards.problem().contains("\"2024-01-01 00:00:05\"")
                    && backwards.problem().contains("\"2024-01-01 00:00:10\""), backwards.problem());
            assertEquals(5, r.next().line(), "00:00:15 is after the last good row's 00:00:10");
            assertNull(r.next());
        }
    }

    @Test
    void unterminatedQuoteIsAFileLevelError() throws IOException {
        Path file = write("t,v\n2024-01-01 00:00:10,1\n2024-01-01 00:00:20,\"2\n");
        try (EventCsvReader r = EventCsvReader.open(file, 1)) {
            r.next();
            InputException e = assertThrows(InputException.class, r::next);
            assertFalse(e.rowLevel());
            assertTrue(e.getMessage().contains("malformed CSV"), e.getMessage());
        }
    }

    @Test
    void invalidUtf8IsAFileLevelError() throws IOException {
        Path file = dir.resolve("latin1.csv");
        Files.write(file, "t,temp\u00e9rature\n2024-01-01 00:00:10,1\n".getBytes(StandardCharsets.ISO_8859_1));
        InputException e = assertThrows(InputException.class, () -> EventCsvReader.open(file, 1).close());
        assertFalse(e.rowLevel());
        assertTrue(e.getMessage().contains("latin1.csv") && e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
