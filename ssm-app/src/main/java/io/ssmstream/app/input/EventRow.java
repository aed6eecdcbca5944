package io.ssmstream.app.input;

import java.util.List;

/**
 * One valid event read from an input file.
 *
 * @param line          1-based physical line of the row in the file (the header is line 1)
 * @param timestampText the timestamp exactly as in the file
 * @param micros        the timestamp in epoch microseconds
 * @param valueTexts    the value fields exactly as in the file, (d_input)
 * @param values        the parsed values, (d_input), all finite
 */
public record EventRow(long line, String timestampText, long micros, List<String> valueTexts, float[] values) {
}
