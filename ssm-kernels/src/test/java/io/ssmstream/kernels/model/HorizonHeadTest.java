package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.StreamStateCodec;
import io.ssmstream.kernels.testing.RandomModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class HorizonHeadTest {

    /** Steps {@code values} through a runner and returns the state after the last one. */
    private static StreamState stream(SsmModel model, KernelOps ops, float[][] values, float[] taus) {
        SsmRunner runner = new SsmRunner(model, ops);
        StreamState state = StreamState.zeros(model);
        int d = model.config().dInput();
        for (int i = 0; i < values.length; i++) {
            runner.step(state, values[i], taus[i], new float[d], new float[d]);
        }
        return state;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void directForecastIsTheHeadsEquationsWorkedByHand(Arch arch) {
        int d = 2;
        int horizon = 9;
        int modes = 5;
        SsmModel model = RandomModels.withHorizonHead(RandomModels.create(arch, d, 16, 2, 8, true, 21), horizon,
                modes, 22);
        int n = 60;
        float[][] values = RandomModels.series(model.config(), n, 23);
        float[] taus = RandomModels.irregularTaus(n, 24);
        StreamState state = stream(model, KernelOpsProvider.scalar(), values, taus);
        float[] out = new float[horizon * d];
        new SsmRunner(model, KernelOpsProvider.scalar()).forecastHorizon(state, out);

        ModelConfig c = model.config();
        float[] logT = model.tensors().get("horizon.log_timescale").data();
        float[] omega = model.tensors().get("horizon.frequency").data();
        double[][] re = new double[d][modes];
        double[][] im = new double[d][modes];
        double[] u = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                double uk = (values[i][k] - c.inputMean()[k]) / c.inputStd()[k];
                double deltaU = i == 0 ? 0 : uk - u[k];
                for (int p = 0; p < modes; p++) {
                    double decay = Math.exp(-taus[i] / Math.exp(logT[p]));
                    double lRe = decay * Math.cos(omega[p] * taus[i]);
                    double lIm = decay * Math.sin(omega[p] * taus[i]);
                    double r = lRe * re[k][p] - lIm * im[k][p] + deltaU;
                    im[k][p] = lRe * im[k][p] + lIm * re[k][p];
                    re[k][p] = r;
                }
                u[k] = uk;
            }
        }
        int f = 2 * d * modes + c.dModel();
        double[] phi = new double[f];
        int zFrom = state.offset(c.nLayers()) + 2 * d * modes;
        for (int k = 0; k < d; k++) {
            for (int p = 0; p < modes; p++) {
                phi[k * modes + p] = re[k][p];
                phi[d * modes + k * modes + p] = im[k][p];
            }
        }
        for (int j = 0; j < c.dModel(); j++) {
            phi[2 * d * modes + j] = state.floats()[zFrom + j];
        }
        float[] w = model.tensors().get("horizon.weight").data();
        float[] b = model.tensors().get("horizon.bias").data();
        for (int i = 0; i < horizon * d; i++) {
            int k = i % d;
            double o = b[i];
            for (int j = 0; j < f; j++) {
                o += w[i * f + j] * phi[j];
            }
            double expected = (u[k] + o) * c.inputStd()[k] + c.inputMean()[k];
            assertEquals(expected, out[i], 1e-4 * c.inputStd()[k], "step " + (i / d + 1) + " channel " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void storedFeaturesAreTheOneStepHeadsInput(Arch arch) {
        int d = 3;
        SsmModel model = RandomModels.withHorizonHead(RandomModels.create(arch, d, 16, 2, 8, true, 31), 4, 3, 32);
        float[][] values = RandomModels.series(model.config(), 30, 33);
        SsmRunner runner = new SsmRunner(model, KernelOpsProvider.scalar());
        StreamState state = StreamState.zeros(model);
        float[] mean = new float[d];
        for (float[] v : values) {
            runner.step(state, v, 1f, mean, new float[d]);
        }
        ModelConfig c = model.config();
        int zFrom = state.offset(c.nLayers()) + 2 * d * 3;
        float[] headW = model.tensors().get("head.weight").data(); // (2·d_input, d_model)
        float[] headB = model.tensors().get("head.bias").data();
        for (int k = 0; k < d; k++) {
            double o = headB[k];
            for (int j = 0; j < c.dModel(); j++) {
                o += headW[k * c.dModel() + j] * state.floats()[zFrom + j];
            }
            assertEquals(o * c.inputStd()[k] + c.inputMean()[k], mean[k], 1e-4 * c.inputStd()[k]);
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1,1", "7,1,5", "17,3,7", "1021,1,2", "33,7,17"})
    void vectorHeadAgreesWithScalarOnOddSizes(int horizon, int d, int modes) {
        KernelOps vector = KernelOpsProvider.get();
        SsmModel model = RandomModels.withHorizonHead(RandomModels.create(Arch.LRU, d, 17, 1, 7, true, 41), horizon,
                modes, 42);
        float[][] values = RandomModels.series(model.config(), 50, 43);
        float[] taus = RandomModels.irregularTaus(50, 44);
        float[] scalar = new float[horizon * d];
        float[] simd = new float[horizon * d];
        new SsmRunner(model, KernelOpsProvider.scalar())
                .forecastHorizon(stream(model, KernelOpsProvider.scalar(), values, taus), scalar);
        new SsmRunner(model, vector).forecastHorizon(stream(model, vector, values, taus), simd);
        for (int i = 0; i < scalar.length; i++) {
            float std = model.config().inputStd()[i % d];
            assertEquals(scalar[i], simd[i], 1e-4 * std, vector.name() + " at " + i);
        }
    }

    @Test
    void headAndItsStateSurviveTheFileAndTheCodec(@TempDir Path dir) throws IOException {
        SsmModel model = RandomModels.withHorizonHead(RandomModels.create(Arch.MAMBA, 2, 8, 1, 4, true, 51), 6, 4, 52);
        Path file = dir.resolve("m.safetensors");
        model.save(file);
        SsmModel loaded = SsmModel.load(file);
        assertEquals(6, loaded.config().horizon());
        assertEquals(4, loaded.config().horizonModes());

        float[][] values = RandomModels.series(model.config(), 20, 53);
        float[] taus = RandomModels.irregularTaus(20, 54);
        StreamState state = stream(model, KernelOpsProvider.scalar(), values, taus);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StreamStateCodec.write(state, new DataOutputStream(bytes));
        StreamState read = StreamStateCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(state, read);

        float[] before = new float[12];
        float[] after = new float[12];
        new SsmRunner(model, KernelOpsProvider.scalar()).forecastHorizon(state, before);
        new SsmRunner(loaded, KernelOpsProvider.scalar()).forecastHorizon(read, after);
        assertArrayEquals(before, after);
    }

    @Test
    void aModelWithoutHeadRefusesDirectForecasts() {
        SsmModel model = RandomModels.create(Arch.S4D, 1, 8, 1, 4, true, 61);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SsmRunner(model, KernelOpsProvider.scalar()).forecastHorizon(StreamState.zeros(model),
                        new float[8]));
        assertEquals("the model has no horizon head (config \"horizon\" is 0)", e.getMessage());
    }

    @Test
    void aHeadOfTheWrongShapeIsNamedWithBothShapes() {
        SsmModel model = RandomModels.withHorizonHead(RandomModels.create(Arch.LRU, 1, 8, 1, 4, true, 71), 3, 2, 72);
        ModelConfig longer = model.config().toBuilder().horizon(4, 2).build();
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SsmModel.of(longer, model.tensors(), Map.of()));
        assertEquals("model: tensor horizon.weight has shape [3, 12] but the config needs [4, 12]", e.getMessage());
    }
}
