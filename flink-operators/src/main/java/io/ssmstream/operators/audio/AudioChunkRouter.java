package io.ssmstream.operators.audio;

import io.ssmstream.connectors.audio.AudioChunk;
import io.ssmstream.connectors.audio.ParsedAudioChunk;
import io.ssmstream.operators.DeadLetterCounters;
import io.ssmstream.operators.SsmForecastFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits decoded audio records: chunks continue downstream, bad chunks go to the
 * {@link SsmForecastFunction#DEAD_LETTERS} side output and are counted by reason. Never throws.
 */
public class AudioChunkRouter extends ProcessFunction<ParsedAudioChunk, AudioChunk> {
    private static final long serialVersionUID = 1L;

    private transient DeadLetterCounters counters;

    @Override
    public void open(OpenContext openContext) {
        counters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(ParsedAudioChunk record, Context ctx, Collector<AudioChunk> out) {
        if (record.chunk != null) {
            out.collect(record.chunk);
        } else {
            counters.count(record.deadLetter.reason);
            ctx.output(SsmForecastFunction.DEAD_LETTERS, record.deadLetter);
        }
    }
}
