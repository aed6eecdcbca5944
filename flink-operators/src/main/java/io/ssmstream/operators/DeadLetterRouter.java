package io.ssmstream.operators;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.connectors.event.SensorEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits parsed input records: events continue downstream, records that could not be parsed go to the
 * {@link SsmForecastFunction#DEAD_LETTERS} side output and are counted by reason. Never throws.
 */
public class DeadLetterRouter extends ProcessFunction<ParsedRecord, SensorEvent> {
    private static final long serialVersionUID = 1L;

    private transient DeadLetterCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ParsedRecord record, Context ctx, Collector<SensorEvent> out) {
        if (record.event != null) {
            out.collect(record.event);
        } else {
            DeadLetter dead = record.deadLetter;
            counters.count(dead.reason);
            ctx.output(SsmForecastFunction.DEAD_LETTERS, dead);
        }
    }
}
