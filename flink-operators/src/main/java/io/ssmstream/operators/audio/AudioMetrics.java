package io.ssmstream.operators.audio;

import io.ssmstream.operators.ForecastMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The audio function's metrics, group {@code ssm.audio}: {@code chunks}, {@code frames}, {@code gaps},
 * {@code gapMicros} (audio missing), {@code overlaps}, {@code sampleRateChanges}, {@code framesOutOfOrder}
 * (frames older than the stream's last, skipped), {@code intervals} (output records).
 */
final class AudioMetrics {
    final Counter chunks;
    final Counter frames;
    final Counter gaps;
    final Counter gapMicros;
    final Counter overlaps;
    final Counter sampleRateChanges;
    final Counter framesOutOfOrder;
    final Counter intervals;

    AudioMetrics(MetricGroup operatorGroup) {
        MetricGroup g = operatorGroup.addGroup(ForecastMetrics.GROUP).addGroup("audio");
        chunks = g.counter("chunks");
        frames = g.counter("frames");
        gaps = g.counter("gaps");
        gapMicros = g.counter("gapMicros");
        overlaps = g.counter("overlaps");
        sampleRateChanges = g.counter("sampleRateChanges");
        framesOutOfOrder = g.counter("framesOutOfOrder");
        intervals = g.counter("intervals");
    }

    void discontinuity(long micros) {
        if (micros > 0) {
            gaps.inc();
            gapMicros.inc(micros);
        } else if (micros < 0) {
            overlaps.inc();
        }
    }
}
