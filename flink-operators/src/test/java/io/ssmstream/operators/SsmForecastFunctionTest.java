package io.ssmstream.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.connectors.event.DeadLetter;
import io.ssmstream.connectors.event.DeadLetterReason;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.ModelUpdate;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.kernels.testing.RandomModels;
import io.ssmstream.operators.swap.SwapSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import io.ssmstream.operators.state.PendingEventsSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The keyed forecaster in Flink's operator test harness: output, side output, state and timers. */
class SsmForecastFunctionTest {
    private static final Duration TTL = ForecasterHarness.TTL;
    private static final SsmModel MODEL = RandomModels.create(Arch.MAMBA, 1, 8, 1, 4, true, 3);
    private static final ModelArtifact ARTIFACT = artifact(MODEL);

    private static ModelArtifact artifact(SsmModel model) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            model.toFile().writeTo(bytes);
            return ModelArtifact.fromBytes(bytes.toByteArray(), "test-model");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> harness()
            throws Exception {
        return ForecasterHarness.open(ARTIFACT);
    }

    private static KeyedBroadcastOperatorTestHarness<String, SensorEvent, ModelUpdate, ForecastRecord> harness(
            OperatorSubtaskState restore) throws Exception {
        return ForecasterHarness.open(ARTIFACT, SwapSettings.defaults(), restore);
    }

    /** The same events applied directly, in the given order, by the kernels' forecaster. */
    private static List<float[]> expectedForecasts(long[] ts, float[] values) {
        StreamForecaster f = new StreamForecaster(MODEL, KernelOpsProvider.get(), new LikelihoodScorer());
        ForecasterState state = f.newState();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
            f.step(state, ts[i] * 1000, new float[] {values[i]});
            out.add(state.forecastMean().clone());
        }
        return out;
    }

    /** {@code out} is one stream's events {@code ts}, {@code values} applied in this order from a new state. */
    private static void assertAppliedInOrder(List<ForecastRecord> out, long[] ts, float[] values) {
        assertEquals(Arrays.stream(ts).boxed().toList(), out.stream().map(r -> r.ts).toList());
        List<float[]> expected = expectedForecasts(ts, values);
        for (int i = 0; i < ts.length; i++) {
            assertArrayEquals(expected.get(i), out.get(i).forecast, "event " + i);
            assertEquals(i + 1, out.get(i).events, "event " + i);
        }
    }

    @Test
    void outOfOrderEventsAreAppliedInEventTimeOrderOnceTheWatermarkPasses() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 3000, 30), 3000);
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processElement(ForecasterHarness.event("b", 1500, 15), 1500);
            h.processElement(ForecasterHarness.event("a", 2000, 20), 2000);
            assertTrue(h.extractOutputValues().isEmpty(), "nothing is applied before the watermark passes");
            h.processWatermark(2500);
            List<ForecastRecord> out = h.extractOutputValues();
            assertEquals(3, out.size());
            List<float[]> expected = expectedForecasts(new long[] {1000, 2000}, new float[] {10, 20});
            List<ForecastRecord> a = out.stream().filter(r -> r.stream.equals("a")).toList();
            assertEquals(1000, a.get(0).ts);
            assertEquals(2000, a.get(1).ts);
            assertArrayEquals(expected.get(0), a.get(0).forecast);
            assertArrayEquals(expected.get(1), a.get(1).forecast);
            assertEquals(2, a.get(1).events);
            assertEquals(ARTIFACT.version(), a.get(0).modelVersion);
            h.processWatermark(5000);
            assertEquals(4, h.extractOutputValues().size());
        }
    }

    @Test
    void aModelWithADirectHeadPutsItsForecastsOfTheNextEventsInEveryRecord() throws Exception {
        SsmModel withHead = RandomModels.withHorizonHead(MODEL, 5, 3, 4);
        try (var h = ForecasterHarness.open(artifact(withHead))) {
            long[] ts = {1000, 2000, 3500};
            float[] values = {10, 12, 9};
            for (int i = 0; i < ts.length; i++) {
                h.processElement(ForecasterHarness.event("a", ts[i], values[i]), ts[i]);
            }
            h.processWatermark(5000);
            List<ForecastRecord> out = h.extractOutputValues();
            StreamForecaster f = new StreamForecaster(withHead, KernelOpsProvider.get(), new LikelihoodScorer());
            ForecasterState state = f.newState();
            assertEquals(ts.length, out.size());
            for (int i = 0; i < ts.length; i++) {
                f.step(state, ts[i] * 1000, new float[] {values[i]});
                assertEquals(5, out.get(i).horizon.length);
                assertArrayEquals(f.forecastHorizon(state), out.get(i).horizon, "event " + i);
            }
        }
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processWatermark(2000);
            assertEquals(null, h.extractOutputValues().get(0).horizon, "no head, no horizon");
        }
    }

    @Test
    void eventsAnEarlierVersionLeftWaitingInKeyedStateAreAppliedWithTheNewOnes() throws Exception {
        OperatorSubtaskState savepoint;
        try (var h = harness()) {
            // What earlier versions of the job left in a savepoint for stream a: waiting events in keyed state,
            // one at a time the other had too (the POJO state's, older, is kept).
            var backend = h.getOperator().getKeyedStateBackend();
            backend.setCurrentKey("a");
            earlierState(backend, new ValueStateDescriptor<>(EarlierVersionStates.POJO_STATE,
                    TypeInformation.of(PendingEvents.class))).update(pending(new long[] {1000, 3000}, 10, 30));
            earlierState(backend, new ValueStateDescriptor<>(EarlierVersionStates.SERIALIZED_STATE,
                    PendingEventsSerializer.INSTANCE)).update(pending(new long[] {3000, 4000}, 99, 40));
            savepoint = h.snapshot(1, 1);
        }
        try (var h = harness(savepoint)) {
            h.processElement(ForecasterHarness.event("a", 2000, 20), 2000);
            h.processWatermark(10_000);
            assertAppliedInOrder(h.extractOutputValues(), new long[] {1000, 2000, 3000, 4000},
                    new float[] {10, 20, 30, 40});
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h),
                    "the SSM state alone; the earlier versions' states are cleared");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    private static ValueState<PendingEvents> earlierState(KeyedStateBackend<?> backend,
            ValueStateDescriptor<PendingEvents> descriptor) throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    /** A buffer of events at {@code ts} with one value each, {@code first} then {@code second}. */
    private static PendingEvents pending(long[] ts, float first, float second) {
        PendingEvents events = new PendingEvents();
        events.insert(ts[0], new float[] {first});
        events.insert(ts[1], new float[] {second});
        return events;
    }

    @Test
    void waitingEventsFollowTheirStreamsWhenTheJobIsRescaled() throws Exception {
        int maxParallelism = 128;
        List<String> streams = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        OperatorSubtaskState snapshot;
        try (var h = ForecasterHarness.open(ARTIFACT, SwapSettings.defaults(), null, maxParallelism, 1, 0)) {
            for (String stream : streams) {
                h.processElement(ForecasterHarness.event(stream, 1000, 10), 1000);
            }
            snapshot = h.snapshot(1, 1);
        }
        List<String> applied = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                    snapshot, maxParallelism, 1, 2, subtask);
            try (var h = ForecasterHarness.open(ARTIFACT, SwapSettings.defaults(), part, maxParallelism, 2,
                    subtask)) {
                h.processWatermark(2000);
                List<String> here = h.extractOutputValues().stream().map(r -> r.stream).toList();
                assertTrue(!here.isEmpty() && here.size() < streams.size(), "each subtask has some streams: " + here);
                applied.addAll(here);
            }
        }
        assertEquals(streams, applied.stream().sorted().toList(), "every waiting event applied once");
    }

    @Test
    void waitingEventsSetNoTimersAndEachWatermarkAppliesThoseItPasses() throws Exception {
        try (var h = harness()) {
            for (long ts = 1000; ts <= 5000; ts += 1000) {
                h.processElement(ForecasterHarness.event("a", ts, ts / 1000f), ts);
            }
            assertEquals(0, h.numEventTimeTimers() + h.numProcessingTimeTimers(), "no timer while events wait");
            h.processWatermark(3500);
            assertEquals(List.of(1000L, 2000L, 3000L), h.extractOutputValues().stream().map(r -> r.ts).toList());
            h.processWatermark(5000);
            assertEquals(5, h.extractOutputValues().size());
            assertEquals(0, h.numEventTimeTimers() + h.numProcessingTimeTimers(), "no timer, for idle streams either");
        }
    }

    @Test
    void forecastsCarryTheirEventsTimeAndLeaveBeforeTheWatermarkThatReleasedThem() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 2000, 20), 2000);
            h.processElement(ForecasterHarness.event("b", 1000, 10), 1000);
            h.processWatermark(2500);
            List<Object> output = new ArrayList<>(h.getOutput());
            assertEquals(3, output.size());
            assertEquals(1000, ((StreamRecord<?>) output.get(0)).getTimestamp(), "the earliest first");
            assertEquals(2000, ((StreamRecord<?>) output.get(1)).getTimestamp());
            assertEquals(new Watermark(2500), output.get(2));
        }
    }

    @Test
    void eventsOneWatermarkReleasesAreAppliedInTimeOrderAndLeaveNoTimers() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 3000, 30), 3000);
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processElement(ForecasterHarness.event("a", 2000, 20), 2000);
            h.processWatermark(10_000);
            assertAppliedInOrder(h.extractOutputValues(), new long[] {1000, 2000, 3000}, new float[] {10, 20, 30});
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void eventsAfterAnIdleSpellAreNotLateWhateverTheUpdateInputAnnounces() throws Exception {
        try (var h = harness()) {
            h.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.IDLE);
            h.processBroadcastWatermark(Long.MAX_VALUE);
            h.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.ACTIVE);
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processWatermark(2000);
            assertTrue(h.getSideOutput(SsmForecastFunction.DEAD_LETTERS) == null
                    || h.getSideOutput(SsmForecastFunction.DEAD_LETTERS).isEmpty(), "nothing is late");
            assertEquals(1, h.extractOutputValues().size());
        }
    }

    @Test
    void lateEventGoesToDeadLetterWithItsOriginalBytes() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processWatermark(2000);
            h.processElement(ForecasterHarness.event("a", 1500, 99), 1500);
            h.processWatermark(3000);
            assertEquals(1, h.extractOutputValues().size());
            List<DeadLetter> dead = h.getSideOutput(SsmForecastFunction.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue).toList();
            assertEquals(1, dead.size());
            assertEquals(DeadLetterReason.LATE, dead.get(0).reason);
            assertEquals("{\"ts\":1500}", new String(dead.get(0).value, StandardCharsets.UTF_8));
            assertEquals(1500, dead.get(0).offset);
        }
    }

    @Test
    void duplicateEventKeepsTheFirst() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processElement(ForecasterHarness.event("a", 1000, 77), 1000);
            h.processWatermark(2000);
            List<ForecastRecord> out = h.extractOutputValues();
            assertEquals(1, out.size());
            assertArrayEquals(new float[] {10}, out.get(0).values);
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    @Test
    void idleStreamLeavesNoStateAndNoTimersBetweenOneAndTwoTtlsAfterItsLastEvent() throws Exception {
        long ttl = TTL.toMillis();
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processElement(ForecasterHarness.event("b", 1000, 10), 1000);
            h.processWatermark(2000); // the first watermark: the first sweep is a TTL later
            h.processElement(ForecasterHarness.event("b", 2000 + ttl / 2, 12), 2000 + ttl / 2);
            h.processWatermark(2000 + ttl - 1);
            assertEquals(2, ForecasterHarness.numKeyedStateEntries(h), "no sweep yet: both streams");
            h.processWatermark(2000 + ttl);
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h),
                    "a (last event more than a TTL ago) dropped, b (half a TTL ago) kept");
            h.processWatermark(2000 + 2 * ttl - 1);
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h), "the next sweep is a TTL after the first");
            h.processWatermark(2000 + 2 * ttl);
            assertEquals(0, ForecasterHarness.numKeyedStateEntries(h), "b dropped too, within two TTLs");
            assertEquals(0, h.numProcessingTimeTimers() + h.numEventTimeTimers());
            // A stream that comes back starts from a fresh state.
            h.processElement(ForecasterHarness.event("a", 3000 + 2 * ttl, 10), 3000 + 2 * ttl);
            h.processWatermark(3000 + 2 * ttl);
            List<ForecastRecord> out = h.extractOutputValues();
            assertEquals(1, out.get(out.size() - 1).events);
        }
    }

    @Test
    void theEndOfTimeAppliesEveryWaitingEventAndDropsNoStream() throws Exception {
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processWatermark(2000);
            h.processElement(ForecasterHarness.event("a", 3000, 11), 3000);
            h.processWatermark(Long.MAX_VALUE); // a bounded input's last watermark, or a drain's
            assertEquals(2, h.extractOutputValues().size());
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h), "a savepoint then keeps the stream");
        }
    }

    @Test
    void aStreamBackMoreThanATtlAfterItsLastEventStartsOverWhetherTheSweepDroppedItOrNot() throws Exception {
        long ttl = TTL.toMillis();
        long firstSweep = 2000 + ttl;
        try (var h = harness()) {
            for (String stream : List.of("a", "b", "c")) {
                h.processElement(ForecasterHarness.event(stream, 1000, 10), 1000);
            }
            h.processWatermark(2000); // the first watermark: the first sweep is a TTL later
            h.processElement(ForecasterHarness.event("b", 1001 + ttl, 11), 1001 + ttl); // back after a TTL + 1 ms
            h.processElement(ForecasterHarness.event("c", 1000 + ttl, 11), 1000 + ttl); // back after exactly a TTL
            h.processWatermark(1001 + ttl);
            assertEquals(3, ForecasterHarness.numKeyedStateEntries(h), "no sweep yet: b was never dropped");
            h.processElement(ForecasterHarness.event("a", firstSweep + 10, 11), firstSweep + 10);
            h.processWatermark(firstSweep); // the sweep drops a, whose next event waits
            assertEquals(2, ForecasterHarness.numKeyedStateEntries(h), "a dropped with an event waiting");
            h.processWatermark(firstSweep + 10);
            Map<String, List<ForecastRecord>> byStream = h.extractOutputValues().stream()
                    .collect(Collectors.groupingBy(r -> r.stream));
            assertEquals(List.of(1L, 1L), byStream.get("a").stream().map(r -> r.events).toList());
            assertEquals(List.of(1L, 1L), byStream.get("b").stream().map(r -> r.events).toList());
            assertEquals(List.of(1L, 2L), byStream.get("c").stream().map(r -> r.events).toList());
            assertArrayEquals(expectedForecasts(new long[] {1001 + ttl}, new float[] {11}).get(0),
                    byStream.get("b").get(1).forecast, "b's forecast is a new stream's");
            assertArrayEquals(expectedForecasts(new long[] {firstSweep + 10}, new float[] {11}).get(0),
                    byStream.get("a").get(1).forecast, "a's forecast is a new stream's");
            assertEquals(3, ForecasterHarness.numKeyedStateEntries(h));
        }
    }

    @Test
    void theIdleTimersAndTheirStatesOfAnEarlierVersionAreLetGoAndItsStreamsStillExpire() throws Exception {
        long ttl = TTL.toMillis();
        OperatorSubtaskState savepoint;
        try (var h = harness()) {
            h.processElement(ForecasterHarness.event("a", 1000, 10), 1000);
            h.processWatermark(2000);
            // What an earlier version kept for stream a's idle timer.
            var operator = (ForecasterOperator) h.getOperator();
            var backend = operator.getKeyedStateBackend();
            backend.setCurrentKey("a");
            for (String name : List.of(EarlierVersionStates.LAST_ACTIVE_STATE, EarlierVersionStates.IDLE_CHECK_STATE)) {
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(name, Types.LONG)).update(1_000_000L);
            }
            operator.getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, operator)
                    .registerProcessingTimeTimer(VoidNamespace.INSTANCE, ttl);
            assertEquals(3, ForecasterHarness.numKeyedStateEntries(h));
            savepoint = h.snapshot(1, 1);
        }
        try (var h = harness(savepoint)) {
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h), "the SSM state alone");
            assertEquals(1, h.numProcessingTimeTimers());
            h.setProcessingTime(ttl);
            assertEquals(0, h.numProcessingTimeTimers(), "the earlier version's idle timer fired and was let go");
            assertEquals(1, ForecasterHarness.numKeyedStateEntries(h), "dropping nothing");
            h.processWatermark(3000); // the first watermark after the restore: the first sweep is a TTL later
            h.processWatermark(3000 + ttl);
            assertEquals(0, ForecasterHarness.numKeyedStateEntries(h), "the sweep dropped the stream");
        }
    }

    @Test
    void restoredFromASnapshotContinuesExactlyAsWithoutInterruption() throws Exception {
        long[] ts = {1000, 2000, 3000, 4000, 5000, 6000};
        float[] v = {10, 12, 9, 30, 11, 10};
        List<ForecastRecord> uninterrupted;
        try (var h = harness()) {
            for (int i = 0; i < ts.length; i++) {
                h.processElement(ForecasterHarness.event("a", ts[i], v[i]), ts[i]);
                h.processWatermark(ts[i]);
            }
            uninterrupted = h.extractOutputValues();
        }
        OperatorSubtaskState snapshot;
        List<ForecastRecord> resumed = new ArrayList<>();
        try (var h = harness()) {
            for (int i = 0; i < 3; i++) {
                h.processElement(ForecasterHarness.event("a", ts[i], v[i]), ts[i]);
                h.processWatermark(ts[i]);
            }
            h.processElement(ForecasterHarness.event("a", ts[3], v[3]), ts[3]); // pending at snapshot time
            resumed.addAll(h.extractOutputValues());
            snapshot = h.snapshot(1, 1);
        }
        try (var h = harness(snapshot)) {
            h.processWatermark(ts[3]);
            for (int i = 4; i < ts.length; i++) {
                h.processElement(ForecasterHarness.event("a", ts[i], v[i]), ts[i]);
                h.processWatermark(ts[i]);
            }
            resumed.addAll(h.extractOutputValues());
        }
        assertEquals(uninterrupted, resumed);
    }
}
