package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.testing.RandomModels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamStateTest {

    @Test
    void layersLieBackToBackInOneArray() {
        StreamState state = StreamState.ofLayers(new float[][] {{1, 2, 3}, {}, {4, 5}}, 7);
        assertEquals(3, state.layerCount());
        assertArrayEquals(new int[] {0, 3, 3}, new int[] {state.offset(0), state.offset(1), state.offset(2)});
        assertArrayEquals(new int[] {3, 0, 2}, new int[] {state.layerSize(0), state.layerSize(1), state.layerSize(2)});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, state.floats());
        assertEquals(7, state.events());
    }

    @Test
    void sizesThatDoNotAddUpToTheArrayAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamState.of(new float[5], new int[] {3, 3}, 0));
        assertEquals("layer sizes add up to 6 floats, the array has 5", e.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> StreamState.of(new float[5], new int[] {7, -2}, 0));
        assertEquals("layer 1 has a negative size -2", negative.getMessage());
    }

    @Test
    void zerosFitTheirModelAndNoOther() {
        SsmModel model = RandomModels.create(Arch.MAMBA, 1, 8, 2, 4, false, 1);
        SsmModel wider = RandomModels.create(Arch.MAMBA, 1, 8, 2, 8, false, 1);
        StreamState state = StreamState.zeros(model);
        assertEquals(2, state.layerCount());
        assertEquals(state.layerSize(0) + state.layerSize(1), state.floats().length);
        assertTrue(state.fits(model));
        assertFalse(state.fits(wider));
        StreamState sameSizes = StreamState.ofLayers(new float[][] {new float[state.layerSize(0)],
                new float[state.layerSize(1)]}, 0);
        assertTrue(sameSizes.fits(model), "sizes decide, not where the offsets came from");
    }

    @Test
    void copyIsIndependentOfItsOriginal() {
        SsmModel model = RandomModels.create(Arch.S4D, 1, 8, 2, 4, true, 2);
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(model);
        float[] mean = new float[1];
        float[] std = new float[1];
        runner.step(state, new float[] {1}, 1f, mean, std);
        StreamState copy = state.copy();
        assertEquals(state, copy);
        assertNotSame(state.floats(), copy.floats());
        runner.step(state, new float[] {2}, 1f, mean, std);
        assertFalse(Arrays.equals(state.floats(), copy.floats()), "stepping the original changed the copy");
        assertEquals(1, copy.events());
    }

    @Test
    void setLayersCopiesTheFloatsNotTheCount() {
        StreamState to = StreamState.ofLayers(new float[][] {{0, 0}, {0}}, 3);
        to.setLayers(StreamState.ofLayers(new float[][] {{1, 2}, {3}}, 9));
        assertArrayEquals(new float[] {1, 2, 3}, to.floats());
        assertEquals(3, to.events());
    }

    @Test
    void setLayersRefusesAnotherModelsState() {
        StreamState to = StreamState.ofLayers(new float[][] {{0, 0}, {0}}, 0);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> to.setLayers(StreamState.ofLayers(new float[][] {{1, 2, 3}}, 0)));
        assertEquals("the stream's state has 1 layers, the model 2", count.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> to.setLayers(StreamState.ofLayers(new float[][] {{1}, {2, 3}}, 0)));
        assertEquals("the stream's state has 1 floats in layer 0, the model 2", size.getMessage());
        assertArrayEquals(new float[3], to.floats(), "nothing written before the check");
    }
}
