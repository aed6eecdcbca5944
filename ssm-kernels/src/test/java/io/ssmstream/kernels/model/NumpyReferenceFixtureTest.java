package io.ssmstream.kernels.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssmstream.kernels.simd.KernelOps;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.state.StreamStateCodec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files from an independent implementation: {@code tools/reference} (numpy, float64) wrote random
 * time-aware models of every arch in F32, F64, F16 and BF16, ran them over an irregular series, and saved its
 * forecasts. The kernels must reproduce every forecast and std within 1e-4 × that channel's input_std.
 * Regenerate with the commands in {@code tools/reference/README.md}.
 */
class NumpyReferenceFixtureTest {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final int SAVED_AFTER_ROWS = 150;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(NumpyReferenceFixtureTest.class.getResource("/fixtures/reference/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mamba-F32", "mamba-F64", "s4d-F32", "s4d-F16", "lru-F32", "lru-BF16", "s5-F32",
        "s5-F16", "mamba2-F32", "mamba2-F16", "s4-F32", "s4-F16", "lssl-F32", "lssl-F16", "spacetime-F32", "spacetime-F16"})
    void kernelsReproduceNumpyReference(String name) throws Exception {
        SsmModel model = SsmModel.load(fixture(name + ".safetensors"));
        List<String> expected = Files.readAllLines(fixture(name + ".expected.csv"));
        for (KernelOps ops : new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()}) {
            assertReproduces(model, expected, ops);
        }
    }

    /**
     * A stream state saved (codec version 1) after the first {@value #SAVED_AFTER_ROWS} rows of the series restores
     * into the same model and carries on as if the stream had never stopped: the rest of the reference's
     * forecasts. One saved state per arch ({@code <model>.state-v1.bin}, written by the scalar kernels of the
     * release that added each arch), so that every arch's state layout stays readable.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mamba-F32", "s4d-F32", "lru-F32", "s5-F32", "mamba2-F32", "s4-F32", "lssl-F32", "spacetime-F32"})
    void savedStateContinuesTheReferenceStream(String name) throws Exception {
        SsmModel model = SsmModel.load(fixture(name + ".safetensors"));
        List<String> expected = Files.readAllLines(fixture(name + ".expected.csv"));
        StreamState saved = StreamStateCodec.fromBytes(Files.readAllBytes(fixture(name + ".state-v1.bin")));
        assertTrue(saved.fits(model));
        assertEquals(SAVED_AFTER_ROWS, saved.events());
        for (KernelOps ops : new KernelOps[] {KernelOpsProvider.scalar(), KernelOpsProvider.vector()}) {
            assertReproduces(model, expected, ops, saved.copy(), SAVED_AFTER_ROWS + 1);
        }
    }

    private static void assertReproduces(SsmModel model, List<String> expected, KernelOps ops) throws IOException,
            URISyntaxException {
        assertReproduces(model, expected, ops, StreamState.zeros(model), 1);
    }

    /** Steps {@code state} over the series from data row {@code firstRow} (1-based, after the header) on. */
    private static void assertReproduces(SsmModel model, List<String> expected, KernelOps ops, StreamState state,
                                         int firstRow) throws IOException, URISyntaxException {
        List<String> input = Files.readAllLines(fixture("series.csv"));
        assertEquals(input.size(), expected.size());
        int d = model.config().dInput();
        float[] inputStd = model.config().inputStd();
        SsmRunner runner = new SsmRunner(model, ops);
        float[] mean = new float[d];
        float[] std = new float[d];
        long previous = firstRow == 1 ? 0 : micros(input.get(firstRow - 1));
        for (int row = firstRow; row < input.size(); row++) {
            String[] in = input.get(row).split(",");
            long micros = micros(input.get(row));
            float tau = row == 1 ? TimeGap.FIRST_EVENT : TimeGap.tau(previous, micros, model.config().dtUnitMs());
            previous = micros;
            float[] values = new float[d];
            for (int k = 0; k < d; k++) {
                values[k] = Float.parseFloat(in[1 + k]);
            }
            runner.step(state, values, tau, mean, std);
            String[] want = expected.get(row).split(",");
            assertEquals(in[0], want[0]);
            for (int k = 0; k < d; k++) {
                double errMean = Math.abs(mean[k] - Double.parseDouble(want[1 + d + k])) / inputStd[k];
                double errStd = Math.abs(std[k] - Double.parseDouble(want[1 + 2 * d + k])) / inputStd[k];
                int line = row + 1;
                assertTrue(errMean <= 1e-4 && errStd <= 1e-4, ops.name() + " line " + line + " channel " + k
                        + ": forecast " + mean[k] + " std " + std[k] + " vs reference " + want[1 + d + k] + " "
                        + want[1 + 2 * d + k]);
            }
        }
    }

    private static long micros(String csvRow) {
        String time = csvRow.substring(0, csvRow.indexOf(','));
        return LocalDateTime.parse(time, TIME).toEpochSecond(ZoneOffset.UTC) * 1_000_000L;
    }
}
