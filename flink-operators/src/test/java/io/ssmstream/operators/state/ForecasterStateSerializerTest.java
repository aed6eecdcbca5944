package io.ssmstream.operators.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.model.StreamState;
import io.ssmstream.kernels.state.ForecasterStateCodec;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.InputWindow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ForecasterStateSerializerTest {

    /** A state with layers of {@code layerSize} floats and a window of {@code windowEvents} of 2 channels. */
    private static ForecasterState state(long seed, int layerSize, int windowEvents) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] layers = {floats(random, layerSize), floats(random, layerSize / 2 + 1)};
        InputWindow window = new InputWindow(64, 2);
        for (int i = 0; i < windowEvents; i++) {
            window.add(1_000_000L * i + seed, floats(random, 2));
        }
        return new ForecasterState(StreamState.ofLayers(layers, seed), 42L * seed, floats(random, 2), floats(random, 2),
                floats(random, 3), "model-" + seed % 3, window);
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    private static byte[] serialized(TypeSerializer<ForecasterState> serializer, ForecasterState state)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(state, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void writesTheCodecsBytesForStatesOfEverySizeThroughOneInstance() throws Exception {
        ForecasterStateSerializer serializer = new ForecasterStateSerializer();
        int[][] shapes = {{1, 0}, {4000, 64}, {7, 3}, {1021, 64}, {1, 1}};
        for (int i = 0; i < shapes.length; i++) {
            ForecasterState state = state(i, shapes[i][0], shapes[i][1]);
            byte[] bytes = serialized(serializer, state);
            assertArrayEquals(ForecasterStateCodec.toBytes(state), bytes, "state " + i);
            assertEquals(state, serializer.deserialize(new DataInputDeserializer(bytes)), "state " + i);
        }
    }

    @Test
    void duplicatesAreEqualButSeparateInstancesThatWorkOnTheirOwnThreads() throws Exception {
        ForecasterStateSerializer serializer = new ForecasterStateSerializer();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                TypeSerializer<ForecasterState> duplicate = serializer.duplicate();
                assertNotSame(serializer, duplicate);
                assertEquals(serializer, duplicate);
                int thread = t;
                Callable<Boolean> job = () -> {
                    for (int i = 0; i < 300; i++) {
                        ForecasterState state = state(thread * 1000L + i, 1 + 37 * (i % 50), i % 65);
                        if (!Arrays.equals(ForecasterStateCodec.toBytes(state),
                                serialized(duplicate, state))) {
                            return false;
                        }
                    }
                    return true;
                };
                results.add(threads.submit(job));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "a duplicate wrote the codec's bytes on its thread");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws Exception {
        ForecasterStateSerializer serializer = new ForecasterStateSerializer();
        TypeSerializerSnapshot<ForecasterState> snapshot = serializer.snapshotConfiguration();
        TypeSerializer<ForecasterState> restored = snapshot.restoreSerializer();
        assertEquals(serializer, restored);
        assertTrue(restored.snapshotConfiguration().resolveSchemaCompatibility(snapshot).isCompatibleAsIs());
    }
}
