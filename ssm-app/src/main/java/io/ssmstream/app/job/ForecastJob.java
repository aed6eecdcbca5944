package io.ssmstream.app.job;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.operators.DeadLetterRouter;
import io.ssmstream.operators.ModelArtifact;
import io.ssmstream.operators.SsmForecastFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * The forecasting job's topology, independent of where records come from and go to, so that tests inject
 * their own sources and sinks:
 * <pre>
 *   input (parsed records, timestamped) -> dead-letter router -> keyBy(stream) -> SSM forecaster -> forecasts
 *                                              \-> dead letters <-------- late events --/
 * </pre>
 * Operator uids are constants: savepoints map state to them, so they must never change.
 */
public final class ForecastJob {
    public static final String SOURCE_UID = "input-source";
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
     * Wires the job onto {@code input}, whose records already carry timestamps and watermarks
     * (see {@link #watermarks}).
     */
    public static void build(DataStream<ParsedRecord> input, Sink<ForecastRecord> forecasts,
                             Sink<DeadLetter> deadLetters, ModelArtifact model, JobSettings settings) {
        build(input, forecasts, deadLetters,
                new SsmForecastFunction(model, settings.idleTtl(), settings.anomalyThreshold()),
                "ssm forecast " + model.version());
    }

    /**
     * The same topology with {@code keyed} in the SSM forecaster's place (same uids; dead letters it emits to
     * {@link SsmForecastFunction#DEAD_LETTERS} join the router's). For measuring the pipeline around the model:
     * the benchmarks' pass-through job.
     */
    public static void build(DataStream<ParsedRecord> input, Sink<ForecastRecord> forecasts,
                             Sink<DeadLetter> deadLetters,
                             KeyedProcessFunction<String, SensorEvent, ForecastRecord> keyed, String name) {
        SingleOutputStreamOperator<SensorEvent> events = input
                .process(new DeadLetterRouter()).uid(ROUTER_UID).name("parse and dead-letter");
        SingleOutputStreamOperator<ForecastRecord> forecast = events
                .keyBy(e -> e.stream)
                .process(keyed)
                .uid(FORECASTER_UID).name(name);
        forecast.sinkTo(forecasts).uid(FORECAST_SINK_UID).name("forecasts");
        events.getSideOutput(SsmForecastFunction.DEAD_LETTERS)
                .union(forecast.getSideOutput(SsmForecastFunction.DEAD_LETTERS))
                .sinkTo(deadLetters).uid(DEAD_LETTER_SINK_UID).name("dead letters");
    }
}
