package io.ssmstream.eval.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.eval.EvalInputException;
import org.junit.jupiter.api.Test;

class TimeSplitTest {
    @Test
    void fractionsRoundDownAndFollowEachOther() {
        assertEquals(new TimeSplit(10452, 13936, 17420), TimeSplit.parse("0.6,0.2,0.2", 17420));
        assertEquals(new TimeSplit(60, 80, 99), TimeSplit.parse("0.6, 0.2, 0.199", 100));
    }

    @Test
    void rowCountsGiveTheEtthBorders() {
        TimeSplit s = TimeSplit.parse("8640,2880,2880", 17420);
        assertEquals(new TimeSplit(8640, 11520, 14400), s);
        assertEquals(2880, s.testRows());
    }

    @Test
    void rejectsWhatCannotBeASplit() {
        assertEquals("--split: the parts need 21000 rows but the data has 17420",
                assertThrows(EvalInputException.class, () -> TimeSplit.parse("15000,3000,3000", 17420)).getMessage());
        assertThrows(EvalInputException.class, () -> TimeSplit.parse("0.6,0.3,0.2", 1000));
        assertThrows(EvalInputException.class, () -> TimeSplit.parse("0.6,0.2", 1000));
        assertThrows(EvalInputException.class, () -> TimeSplit.parse("0.6,x,0.2", 1000));
        assertThrows(EvalInputException.class, () -> TimeSplit.parse("0.6,0.2,0.2", 20));
    }
}
