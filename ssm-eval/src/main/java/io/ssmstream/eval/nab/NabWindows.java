package io.ssmstream.eval.nab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.connectors.time.TimestampParser;
import io.ssmstream.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** NAB's anomaly windows ({@code labels/combined_windows.json}): per file, inclusive [start, end] times. */
public final class NabWindows {
    /** One window, epoch µs (NAB times are naive; read as UTC), inclusive at both ends. */
    public record Window(long startMicros, long endMicros) {
        public Window {
            if (endMicros < startMicros) {
                throw new IllegalArgumentException("window ends before it starts");
            }
        }
    }

    private NabWindows() {
    }

    /** The windows of every file, keyed by NAB's relative name {@code category/file.csv}. */
    public static Map<String, List<Window>> read(Path windowsJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(windowsJson.toFile());
        } catch (IOException e) {
            throw new EvalInputException(windowsJson + ": cannot read NAB windows: " + e.getMessage(), e);
        }
        Map<String, List<Window>> windows = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Window> list = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                if (w.size() != 2) {
                    throw new EvalInputException(windowsJson + ": " + e.getKey() + ": a window needs [start, end]");
                }
                String where = windowsJson + ": " + e.getKey();
                list.add(new Window(parseMicros(w.get(0).asText(), where), parseMicros(w.get(1).asText(), where)));
            }
            windows.put(e.getKey(), List.copyOf(list));
        }
        return windows;
    }

    /** A NAB timestamp ({@code 2014-04-10 07:15:00} in the data, {@code ...:00.000000} in the labels) as epoch µs, UTC. */
    public static long parseMicros(String timestamp, String where) {
        try {
            return TimestampParser.parseMicros(timestamp);
        } catch (IllegalArgumentException e) {
            throw new EvalInputException(where + ": " + e.getMessage());
        }
    }
}
