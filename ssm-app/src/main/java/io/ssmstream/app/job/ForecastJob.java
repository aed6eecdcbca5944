package io.ssmstream.app.job;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.operators.DeadLetterRouter;
import io.ssmstream.operators.ForecasterOperator;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.SsmForecastFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The forecasting job's topology, independent of where records come from and go to, so that tests inject
 * their own sources and sinks:
 * <pre>
 *   input (parsed records, timestamped) -> dead-letter router -> keyBy(stream) -> SSM forecaster -> forecasts
 *                                              \-> dead letters <-------- late events --/   ^
 *   model updates (optional) -------------------------------------- broadcast ------------/
 * </pre>
 * Operator uids are constants: savepoints map state to them, so they must never change.
 */
public final class ForecastJob {
    public static final String SOURCE_UID = "input-source";
    public static final String MODEL_UPDATES_SOURCE_UID = "model-updates-source";
    /** The empty update input of a job without a model-update topic (another source, hence another uid). */
    public static final String NO_MODEL_UPDATES_UID = "no-model-updates";
    public static final String ROUTER_UID = "dead-letter-router";
    public static final String FORECASTER_UID = "ssm-forecaster";
    public static final String FORECAST_SINK_UID = "forecast-sink";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";

    private ForecastJob() {
    }

    /**
     * Event time from the record; dead letters carry none and never move the watermark. Bounded
     * out-of-orderness and idle-partition detection from the settings.
     */
    public static WatermarkStrategy<ParsedRecord> watermarks(JobSettings settings) {
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner((record, kafkaTimestamp) -> record.event != null ? record.event.ts : Long.MIN_VALUE)
                .withIdleness(settings.idlePartitionTimeout());
    }

    /**
     * Model updates carry no event time: no watermarks. The forecaster's operator ({@link ForecasterOperator})
     * follows the events' watermark alone.
     */
    public static WatermarkStrategy<ModelUpdate> modelUpdateWatermarks() {
        return WatermarkStrategy.noWatermarks();
    }

    /** The job with no model updates: it runs {@code model} until stopped. */
    public static void build(DataStream<ParsedRecord> input, Sink<ForecastRecord> forecasts,
                             Sink<DeadLetter> deadLetters, ModelArtifact model, JobSettings settings) {
        build(input, null, forecasts, deadLetters, model, settings);
    }

    /**
     * Wires the job onto {@code input}, whose records already carry timestamps and watermarks
     * (see {@link #watermarks}).
     *
     * @param updates model updates with {@link #modelUpdateWatermarks()}, or null for none: the forecaster then
     *                gets an empty update input, so its operator and state are the same either way
     */
    public static void build(DataStream<ParsedRecord> input, DataStream<ModelUpdate> updates,
                             Sink<ForecastRecord> forecasts, Sink<DeadLetter> deadLetters, ModelArtifact model,
                             JobSettings settings) {
        DataStream<ModelUpdate> updateInput = updates != null ? updates : noUpdates(input);
        SingleOutputStreamOperator<SensorEvent> events = router(input);
        SingleOutputStreamOperator<ForecastRecord> forecast = events
                .keyBy(e -> e.stream)
                .connect(updateInput.broadcast())
                .transform("ssm forecast " + model.version(), TypeInformation.of(ForecastRecord.class),
                        new ForecasterOperator(new SsmForecastFunction(model, settings.idleTtl(),
                                settings.anomalyThreshold(), settings.swap(), settings.batchStreams())))
                .uid(FORECASTER_UID);
        sinks(events, forecast, forecasts, deadLetters);
    }

    /**
     * The same topology with {@code keyed} in the SSM forecaster's place (same uids; dead letters it emits to
     * {@link SsmForecastFunction#DEAD_LETTERS} join the router's), and no model updates. For measuring the
     * pipeline around the model: the benchmarks' pass-through job.
     */
    public static void build(DataStream<ParsedRecord> input, Sink<ForecastRecord> forecasts,
                             Sink<DeadLetter> deadLetters,
                             KeyedProcessFunction<String, SensorEvent, ForecastRecord> keyed, String name) {
        SingleOutputStreamOperator<SensorEvent> events = router(input);
        SingleOutputStreamOperator<ForecastRecord> forecast = events
                .keyBy(e -> e.stream)
                .process(keyed)
                .uid(FORECASTER_UID).name(name);
        sinks(events, forecast, forecasts, deadLetters);
    }

    /**
     * An update input that ends at once without a record (its end of time is ignored by the forecaster). From a
     * one-number sequence that emits nothing, since Flink's {@code fromData} cannot make an empty stream.
     */
    private static DataStream<ModelUpdate> noUpdates(DataStream<ParsedRecord> input) {
        return input.getExecutionEnvironment().fromSequence(0, 0).setParallelism(1).uid(NO_MODEL_UPDATES_UID)
                .name("no model updates")
                .flatMap((Long n, Collector<ModelUpdate> none) -> { }).returns(ModelUpdate.class)
                .setParallelism(1).name("no model updates");
    }

    private static SingleOutputStreamOperator<SensorEvent> router(DataStream<ParsedRecord> input) {
        return input.process(new DeadLetterRouter()).uid(ROUTER_UID).name("parse and dead-letter");
    }

    private static void sinks(SingleOutputStreamOperator<SensorEvent> events,
                              SingleOutputStreamOperator<ForecastRecord> forecast, Sink<ForecastRecord> forecasts,
                              Sink<DeadLetter> deadLetters) {
        forecast.sinkTo(forecasts).uid(FORECAST_SINK_UID).name("forecasts");
        events.getSideOutput(SsmForecastFunction.DEAD_LETTERS)
                .union(forecast.getSideOutput(SsmForecastFunction.DEAD_LETTERS))
                .sinkTo(deadLetters).uid(DEAD_LETTER_SINK_UID).name("dead letters");
    }
}
