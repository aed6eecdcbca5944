package io.ssmstream.app.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.EventParser;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ParsedRecord;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.ModelArtifact;
import java.io.ByteArrayOutputStream;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole topology on a Flink MiniCluster with an in-memory source and collecting sinks. */
class ForecastJobITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final SsmModel MODEL = RandomModels.create(Arch.LRU, 1, 8, 2, 8, true, 4);

    private static ModelArtifact artifact() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MODEL.toFile().writeTo(bytes);
        return ModelArtifact.fromBytes(bytes.toByteArray(), "it-model");
    }

    private static ParsedRecord json(EventParser parser, String text, long offset) {
        return parser.parse(null, text.getBytes(StandardCharsets.UTF_8), "in", 0, offset);
    }

    /**
     * Bounded out-of-orderness like the job's, but emitted after every event instead of periodically, so that
     * which record is late does not depend on timing.
     */
    private static WatermarkStrategy<ParsedRecord> everyEventWatermarks(Duration outOfOrderness) {
        return WatermarkStrategy.<ParsedRecord>forGenerator(ctx -> new WatermarkGenerator<>() {
            private long maxTs = Long.MIN_VALUE + outOfOrderness.toMillis() + 1;

            @Override
            public void onEvent(ParsedRecord record, long ts, WatermarkOutput out) {
                maxTs = Math.max(maxTs, ts);
                out.emitWatermark(new Watermark(maxTs - outOfOrderness.toMillis() - 1));
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput out) {
            }
        }).withTimestampAssigner((r, t) -> r.event != null ? r.event.ts : Long.MIN_VALUE);
    }

    private static List<ParsedRecord> input(boolean withLateRecord) {
        EventParser parser = new EventParser(1);
        List<ParsedRecord> input = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 200; i++) {
            for (String stream : new String[] {"pump-1", "pump-2", "pump-3"}) {
                double v = 50 + 10 * Math.sin(i / 5.0 + stream.hashCode() % 7);
                input.add(json(parser, "{\"stream\":\"" + stream + "\",\"ts\":" + (i * 60_000L) + ",\"value\":" + v
                        + "}", offset++));
            }
            if (i == 50) {
                input.add(json(parser, "{\"stream\":\"pump-1\",\"ts\":", offset++));
                input.add(json(parser, "{\"stream\":\"pump-1\",\"ts\":" + (i * 60_000L) + ",\"values\":[1,2]}",
                        offset++));
            }
            if (i == 120 && withLateRecord) {
                // 10 minutes behind with 5 s out-of-orderness: late.
                input.add(json(parser, "{\"stream\":\"pump-2\",\"ts\":" + ((i - 10) * 60_000L + 1) + ",\"value\":1}",
                        offset++));
            }
        }
        return input;
    }

    private static JobSettings settings() {
        return JobSettings.builder().outOfOrderness(Duration.ofSeconds(5)).build();
    }

    /** Runs the job over {@code input}; returns {forecasts, dead letters}. */
    private static List<?>[] run(List<ParsedRecord> input, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        CollectingSink<ForecastRecord> forecasts = new CollectingSink<>();
        CollectingSink<DeadLetter> deadLetters = new CollectingSink<>();
        ForecastJob.build(env.fromData(input).setParallelism(1)
                        .assignTimestampsAndWatermarks(everyEventWatermarks(settings().outOfOrderness()))
                        .setParallelism(1),
                forecasts, deadLetters, artifact(), settings());
        env.execute("forecast-job-it");
        return new List<?>[] {forecasts.results(), deadLetters.results()};
    }

    @Test
    @SuppressWarnings("unchecked")
    void forecastsOnParallelSubtasksEqualTheKernelsAndBadRecordsAreDeadLettered() throws Exception {
        List<?>[] out = run(input(false), 2);
        Map<String, List<ForecastRecord>> byStream = ((List<ForecastRecord>) out[0]).stream()
                .sorted(Comparator.comparingLong(r -> r.ts))
                .collect(Collectors.groupingBy(r -> r.stream));
        assertEquals(3, byStream.size());
        StreamForecaster reference = new StreamForecaster(MODEL, KernelOpsProvider.get(), new LikelihoodScorer());
        for (List<ForecastRecord> records : byStream.values()) {
            assertEquals(200, records.size());
            ForecasterState state = reference.newState();
            for (ForecastRecord r : records) {
                double score = reference.step(state, r.ts * 1000, r.values);
                assertArrayEquals(state.forecastMean(), r.forecast);
                assertArrayEquals(state.forecastStd(), r.std);
                assertEquals(score, r.anomalyScore);
            }
        }
        List<DeadLetterReason> reasons = ((List<DeadLetter>) out[1]).stream().map(d -> d.reason).sorted().toList();
        assertEquals(List.of(DeadLetterReason.MALFORMED_JSON, DeadLetterReason.WRONG_VALUE_COUNT), reasons);
    }

    /**
     * With one upstream channel the watermark reaches the forecaster in order with the records, so which record
     * is late is deterministic (with several, a watermark can overtake on one channel and lag on another).
     */
    @Test
    @SuppressWarnings("unchecked")
    void lateEventGoesToTheDeadLetterSinkAndTheJobKeepsGoing() throws Exception {
        List<?>[] out = run(input(true), 1);
        List<ForecastRecord> forecasts = (List<ForecastRecord>) out[0];
        assertEquals(600, forecasts.size());
        List<DeadLetter> dead = (List<DeadLetter>) out[1];
        List<DeadLetter> late = dead.stream().filter(d -> d.reason == DeadLetterReason.LATE).toList();
        assertEquals(1, late.size());
        assertEquals("pump-2", late.get(0).stream);
        assertEquals(3, dead.size());
    }
}
