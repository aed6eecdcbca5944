package io.ssmstream.eval.forecast;

import io.ssmstream.eval.EvalInputException;
import java.util.Locale;

/**
 * A split of a series' rows by time: training rows [0, trainEnd), validation rows [trainEnd, validationEnd),
 * test rows [validationEnd, testEnd). Rows from testEnd on are not used.
 */
public record TimeSplit(int trainEnd, int validationEnd, int testEnd) {
    /** Fewest rows per part: enough for a few training windows and a test part that means something. */
    static final int MIN_PART_ROWS = 8;

    public TimeSplit {
        if (trainEnd < MIN_PART_ROWS || validationEnd - trainEnd < MIN_PART_ROWS
                || testEnd - validationEnd < MIN_PART_ROWS) {
            throw new EvalInputException(String.format(Locale.ROOT, "--split: every part needs at least %d rows,"
                    + " got train %d, validation %d, test %d", MIN_PART_ROWS, trainEnd, validationEnd - trainEnd,
                    testEnd - validationEnd));
        }
    }

    /**
     * @param spec three fractions of the rows that sum to at most 1 ({@code 0.6,0.2,0.2}), or three row counts
     *             ({@code 8640,2880,2880}, the ETTh borders of the long-horizon papers); parts follow each other
     *             from the first row
     * @param rows the series' rows
     */
    public static TimeSplit parse(String spec, int rows) {
        String[] parts = spec.split(",", -1);
        if (parts.length != 3) {
            throw new EvalInputException("--split must be three fractions (0.6,0.2,0.2) or three row counts"
                    + " (8640,2880,2880), got \"" + spec + "\"");
        }
        boolean counts = !spec.contains(".");
        int[] sizes = new int[3];
        double fractionSum = 0;
        long countSum = 0;
        for (int i = 0; i < 3; i++) {
            String p = parts[i].strip();
            try {
                if (counts) {
                    sizes[i] = Integer.parseInt(p);
                    countSum += sizes[i];
                } else {
                    double f = Double.parseDouble(p);
                    if (!(f > 0 && f < 1)) {
                        throw new EvalInputException("--split: fraction " + p + " is not in (0, 1)");
                    }
                    fractionSum += f;
                    sizes[i] = (int) Math.floor(f * rows);
                }
            } catch (NumberFormatException e) {
                throw new EvalInputException("--split: \"" + p + "\" is not a number");
            }
            if (sizes[i] < 0) {
                throw new EvalInputException("--split: negative part " + p);
            }
        }
        if (!counts && fractionSum > 1 + 1e-9) {
            throw new EvalInputException("--split: the fractions sum to " + fractionSum + ", more than 1");
        }
        if (counts && countSum > rows) {
            throw new EvalInputException("--split: the parts need " + countSum + " rows but the data has " + rows);
        }
        return new TimeSplit(sizes[0], sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]);
    }

    public int trainRows() {
        return trainEnd;
    }

    public int validationRows() {
        return validationEnd - trainEnd;
    }

    public int testRows() {
        return testEnd - validationEnd;
    }
}
