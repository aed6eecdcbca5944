package io.ssmstream.app.job;

import io.ssmstream.connectors.event.ModelUpdate;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The forecaster's update input in a job without a model-update topic: passes no record, declares itself idle,
 * and passes no watermark on, the one at the end of its (one-number) source included.
 *
 * <p>Why not simply an empty source: an input that ended has the watermark "end of time", and the forecaster's
 * watermark is the lowest of its active inputs'; whenever the events went idle, it would jump to the end of time
 * and every later event would be late. An idle input is left out of that minimum instead.
 */
final class NoModelUpdates extends AbstractStreamOperator<ModelUpdate> implements OneInputStreamOperator<Long, ModelUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<Long> element) {
    }

    @Override
    public void processWatermark(Watermark mark) {
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
    }
}
