package io.ssmstream.trainer;

import java.util.Arrays;
import java.util.List;

/**
 * One stream's events in time order: timestamps (epoch µs, never decreasing) and {@code d} values per event.
 *
 * @param source  where the events came from (a file name), for messages
 * @param columns the value columns' names, (d)
 * @param micros  event times, (n)
 * @param values  event values row-major, (n · d)
 */
public record EventSeries(String source, List<String> columns, long[] micros, float[] values) {

    public EventSeries {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one value column");
        }
        if (values.length != (long) micros.length * columns.size()) {
            throw new IllegalArgumentException("values has " + values.length + " entries, expected "
                    + (long) micros.length * columns.size());
        }
        for (int i = 1; i < micros.length; i++) {
            if (micros[i] < micros[i - 1]) {
                throw new IllegalArgumentException(source + ": event " + i + " is older than its predecessor");
            }
        }
    }

    public int size() {
        return micros.length;
    }

    public int channels() {
        return columns.size();
    }

    public float value(int event, int channel) {
        return values[event * columns.size() + channel];
    }

    /** The events [from, to) as a new series (e.g. a time split). */
    public EventSeries slice(int from, int to) {
        int d = columns.size();
        return new EventSeries(source, columns, Arrays.copyOfRange(micros, from, to),
                Arrays.copyOfRange(values, from * d, to * d));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventSeries s && source.equals(s.source) && columns.equals(s.columns)
                && Arrays.equals(micros, s.micros) && Arrays.equals(values, s.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * source.hashCode() + Arrays.hashCode(micros)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return source + " (" + micros.length + " events, " + columns + ")";
    }
}
