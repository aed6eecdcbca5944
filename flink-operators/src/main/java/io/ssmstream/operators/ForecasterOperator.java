package io.ssmstream.operators;

import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.TimestampedCollector;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The forecaster's operator: Flink's keyed-broadcast operator running {@link SsmForecastFunction} (events on the
 * first input, model updates on the second), except that the model-update input never moves event time.
 *
 * <p>Why: model updates are not events of the streams, so the forecaster's watermark must be the events' alone.
 * Flink makes a two-input operator's watermark the lowest of its non-idle inputs'. An update input at the end of
 * time (a finished empty input, or one that announces {@code Long.MAX_VALUE} to stay out of the way) would
 * become the forecaster's watermark as soon as the events' input went idle (an input topic without data for the
 * idle-partition timeout, e.g. a job started before its producers), and every event after that would be late.
 * Here the update input counts as idle from the start, and its watermarks and status changes are ignored.
 *
 * <p>Each watermark first applies the waiting events it passes ({@link SsmForecastFunction#applyReleased}), then
 * takes its share of the idle sweep ({@link SsmForecastFunction#sweepIdle}), then moves on (downstream): the
 * forecasts leave before the watermark that released them.
 *
 * <p>When it opens on a savepoint of an earlier version of the job, it takes over the keyed states that version
 * kept and this one does not ({@link EarlierVersionStates}).
 */
public final class ForecasterOperator
        extends CoBroadcastWithKeyedOperator<String, SensorEvent, ModelUpdate, ForecastRecord> {
    private static final long serialVersionUID = 1L;
    /** {@code processWatermarkStatus}'s index of the model-update input. */
    private static final int UPDATES_INPUT = 1;

    private transient TimestampedCollector<ForecastRecord> released;

    public ForecasterOperator(SsmForecastFunction function) {
        super(function, List.of(SsmForecastFunction.ACCEPTED_MODEL_STATE));
    }

    @Override
    public void open() throws Exception {
        super.open();
        released = new TimestampedCollector<>(output);
        super.processWatermarkStatus(WatermarkStatus.IDLE, UPDATES_INPUT);
        EarlierVersionStates.takeOver(getKeyedStateBackend(), forecaster());
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        forecaster().applyReleased(mark.getTimestamp(), this::setCurrentKey, released);
        forecaster().sweepIdle(mark.getTimestamp(), this::setCurrentKey, this::streamsWithState);
        super.processWatermark(mark);
    }

    private List<String> streamsWithState() {
        KeyedStateBackend<String> backend = getKeyedStateBackend();
        try (Stream<String> streams = backend.getKeys(SsmForecastFunction.FORECASTER_STATE, VoidNamespace.INSTANCE)) {
            return streams.toList();
        }
    }

    private SsmForecastFunction forecaster() {
        return (SsmForecastFunction) userFunction;
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // Model updates carry no event time: see the class comment.
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int index) throws Exception {
        if (index != UPDATES_INPUT) {
            super.processWatermarkStatus(status, index);
        }
    }
}
