package io.ssmstream.benchmarks.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.benchmarks.pipeline.PassThroughFunction.Touch;
import io.ssmstream.connectors.event.ForecastRecord;
import io.ssmstream.connectors.event.SensorEvent;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.LikelihoodScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import io.ssmstream.operators.swap.SwapSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class PassThroughFunctionTest {
    /** About the pipeline benchmark's model's state (5,204 bytes), larger than RocksDB's 4 KB blocks. */
    private static final int STATE_FLOATS = 1300;

    @TempDir
    Path dir;

    @Test
    void everyFloatGrowsByItsIncrementAndElementZeroCountsEvents() throws Exception {
        float[] increments = PassThroughFunction.increments(STATE_FLOATS);
        try (var h = harness(Touch.EVERY_FLOAT)) {
            for (int i = 0; i < 3; i++) {
                h.processElement(event("a", i), i);
            }
            h.processElement(event("b", 0), 0);

            float[] a = state(h, "a");
            assertEquals(3, a[0]);
            for (int i = 1; i < STATE_FLOATS; i++) {
                assertEquals(increments[i] + increments[i] + increments[i] + increments[i], a[i], "element " + i);
            }
            assertEquals(1, state(h, "b")[0]);
            assertArrayEquals(new long[] {1, 2, 3, 1}, h.extractOutputValues().stream().mapToLong(r -> r.events)
                    .toArray(), "each output counts its stream's events");
        }
    }

    @Test
    void oneFloatChangesTheCountAlone() throws Exception {
        float[] increments = PassThroughFunction.increments(STATE_FLOATS);
        try (var h = harness(Touch.ONE_FLOAT)) {
            h.processElement(event("a", 0), 0);
            h.processElement(event("a", 1), 1);

            float[] a = state(h, "a");
            assertEquals(2, a[0]);
            for (int i = 1; i < STATE_FLOATS; i++) {
                assertEquals(increments[i], a[i], "element " + i);
            }
        }
    }

    @Test
    void statesTakeTheirFullSizeInRocksDbsCompressedFiles() throws Exception {
        List<byte[]> everyFloat = states(Touch.EVERY_FLOAT);
        List<byte[]> oneFloat = states(Touch.ONE_FLOAT);
        List<byte[]> alike = new ArrayList<>();
        for (int k = 0; k < everyFloat.size(); k++) {
            float[] s = new float[STATE_FLOATS];
            Arrays.fill(s, 2);
            alike.add(bytes(s));
        }
        long raw = (long) everyFloat.size() * everyFloat.get(0).length;
        List<byte[]> model = modelStates(everyFloat.size());
        long modelRaw = model.stream().mapToLong(b -> b.length).sum();

        assertTrue(sstBytes(alike, "alike") < raw / 10, "the control: states of floats all alike shrink");
        assertTrue(sstBytes(model, "model") > modelRaw * 9 / 10, "the model's states stay their size");
        assertTrue(sstBytes(everyFloat, "every") > raw * 9 / 10, "every-float states stay their size");
        assertTrue(sstBytes(oneFloat, "one") > raw * 9 / 10, "one-float states stay their size");
    }

    /** The pipeline benchmark's model's states after one to three events, in their checkpoint bytes. */
    private static List<byte[]> modelStates(int count) {
        StreamForecaster forecaster = new StreamForecaster(PipelineBenchmark.model(PipelineBenchmark.DEFAULT_SEED, 16, 2),
                KernelOpsProvider.get(), new LikelihoodScorer());
        SplittableRandom random = new SplittableRandom(1);
        List<byte[]> states = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ForecasterState state = forecaster.newState("v1", SwapSettings.DEFAULT_WINDOW);
            for (int i = 0; i <= k % 3; i++) {
                forecaster.step(state, i * 60_000_000L, new float[] {(float) random.nextGaussian()});
            }
            states.add(ForecasterStateCodec.toBytes(state));
        }
        return states;
    }

    private List<byte[]> states(Touch touch) throws Exception {
        List<byte[]> states = new ArrayList<>();
        try (var h = harness(touch)) {
            for (int k = 0; k < 2000; k++) {
                for (int i = 0; i <= k % 3; i++) {
                    h.processElement(event("stream-" + k, i), i);
                }
            }
            for (int k = 0; k < 2000; k++) {
                states.add(bytes(state(h, "stream-" + k)));
            }
        }
        return states;
    }

    /** The bytes of RocksDB's files holding {@code values}, compressed as Flink's RocksDB backend does (Snappy). */
    private long sstBytes(List<byte[]> values, String name) throws Exception {
        RocksDB.loadLibrary();
        try (Options options = new Options().setCreateIfMissing(true)
                .setCompressionType(CompressionType.SNAPPY_COMPRESSION);
             RocksDB db = RocksDB.open(options, dir.resolve(name).toString());
             FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            for (int k = 0; k < values.size(); k++) {
                db.put(("stream-" + k).getBytes(StandardCharsets.UTF_8), values.get(k));
            }
            db.flush(flush);
            db.compactRange();
            return Long.parseLong(db.getProperty("rocksdb.total-sst-files-size"));
        }
    }

    private static byte[] bytes(float[] state) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(Float.BYTES * (state.length + 1));
        FloatPrimitiveArraySerializer.INSTANCE.serialize(state, out);
        return out.getCopyOfBuffer();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorEvent, ForecastRecord> harness(Touch touch)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new PassThroughFunction(STATE_FLOATS, "v1", touch), e -> e.stream, Types.STRING);
    }

    private static float[] state(KeyedOneInputStreamOperatorTestHarness<String, SensorEvent, ForecastRecord> h,
            String stream) throws Exception {
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(stream);
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>(PassThroughFunction.STATE,
                        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO)).value();
    }

    private static SensorEvent event(String stream, long ts) {
        return new SensorEvent(stream, ts, new float[] {1.5f});
    }
}
