package io.ssmstream.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.model.ModelConfig;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.model.StreamState;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The batched step's table and roofline from {@link BatchedStepBenchmark}'s JMH JSON (Mamba models): per row ns
 * per event per layer (the median of the forks' means divided by the batch), flops per event, GFLOP/s and % of
 * this core's peak, and the bytes an event moves (the layer's weights divided by the batch, plus its state read
 * and written); the PNG plots GFLOP/s against flops per byte under the FP32 peak and the L2 bandwidth.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.ssmstream.benchmarks.RooflinePlot mamba.json roofline.png
 * </pre>
 */
public final class RooflinePlot {
    /** One core's FP32 peak, GFLOP/s (benchmarks/README.md). */
    static final double PEAK_GFLOPS = 83.1;
    /** Zen 4's L2 to L1 bandwidth, 32 B per cycle at 2.596 GHz, GB/s. */
    static final double L2_GBPS = 32 * 2.596;

    private RooflinePlot() {
    }

    record Row(String model, String impl, String path, int batch, double nsPerOp, double forkLow, double forkHigh) {
        double nsPerEvent() {
            return nsPerOp / batch;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: RooflinePlot BATCHED_STEP_JMH.json OUT.png");
            System.exit(2);
        }
        List<Row> rows = read(Path.of(args[0]));
        System.out.println("| model | impl | path | B | ns per event (fork range) | flops/event | GFLOP/s | % of peak "
                + "| bytes/event | flop/byte |");
        System.out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            double flops = flops(r.model());
            double bytes = bytes(r);
            double gflops = flops / r.nsPerEvent();
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %,.0f (%,.0f–%,.0f) | %,.0f | %.1f | %.0f%% | %,.0f | %.1f |%n",
                    r.model(), r.impl(), r.path(), r.batch(), r.nsPerEvent(), r.forkLow() / r.batch(),
                    r.forkHigh() / r.batch(), flops, gflops, 100 * gflops / PEAK_GFLOPS, bytes, flops / bytes);
        }
        plot(rows, Path.of(args[1]));
    }

    /** The rows of the JSON, each with the median of its forks' means and the forks' range. */
    static List<Row> read(Path json) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (JsonNode b : new ObjectMapper().readTree(json.toFile())) {
            String name = b.get("benchmark").asText();
            JsonNode params = b.get("params");
            JsonNode forks = b.get("primaryMetric").get("rawData");
            double[] means = new double[forks.size()];
            for (int f = 0; f < forks.size(); f++) {
                double sum = 0;
                for (JsonNode it : forks.get(f)) {
                    sum += it.asDouble();
                }
                means[f] = sum / forks.get(f).size();
            }
            Arrays.sort(means);
            int n = means.length;
            double median = n % 2 == 1 ? means[n / 2] : (means[n / 2 - 1] + means[n / 2]) / 2;
            rows.add(new Row(params.get("model").asText(), params.get("impl").asText(),
                    name.substring(name.lastIndexOf('.') + 1), params.get("batch").asInt(), median, means[0],
                    means[n - 1]));
        }
        return rows;
    }

    /** The whole step's flops of a one-layer, one-input Mamba model (benchmarks/README.md, "Flops per step"). */
    static double flops(String spec) {
        ModelConfig c = BenchModels.config(spec, false);
        int d = c.dModel();
        int i = c.dInner();
        return (double) i * (6 * d + 2 * c.dConv() + 4 * c.dtRank() + 12 * c.dState() + 12) + 16 * d + 17;
    }

    /**
     * Bytes an event moves: the model's weights (shared by the batch on the batched path, read for each event on
     * the single one), and the stream's state read and written.
     */
    static double bytes(Row r) {
        SsmModel model = BenchModels.model(r.model(), false);
        int batch = r.path().equals("batched") ? r.batch() : 1;
        long weights = 0;
        for (Tensor t : model.tensors().values()) {
            weights += t.data().length;
        }
        int state = StreamState.zeros(model).floats().length;
        return Float.BYTES * ((double) weights / batch + 2.0 * state);
    }

    private static void plot(List<Row> rows, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(650)
                .title("Mamba step, one layer: batched over B streams vs one at a time (Zen 4 core, FP32)")
                .xAxisTitle("flops per byte moved (weights / B + state read and written)")
                .yAxisTitle("GFLOP/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLocale(Locale.ROOT);
        double[] x = {0.3, 30};
        chart.addSeries("FP32 peak 83 GFLOP/s", x, new double[] {PEAK_GFLOPS, PEAK_GFLOPS})
                .setMarker(SeriesMarkers.NONE);
        chart.addSeries("L2 bandwidth 83 GB/s", x, new double[] {L2_GBPS * x[0], Math.min(L2_GBPS * x[1], 2 * PEAK_GFLOPS)})
                .setMarker(SeriesMarkers.NONE);
        Map<String, List<Row>> series = new LinkedHashMap<>();
        for (Row r : rows) {
            series.computeIfAbsent(r.impl() + " " + r.path() + " " + r.model(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> e : series.entrySet()) {
            List<Row> points = new ArrayList<>(e.getValue());
            points.sort(Comparator.comparingInt(Row::batch));
            double[] px = new double[points.size()];
            double[] py = new double[points.size()];
            for (int k = 0; k < points.size(); k++) {
                Row r = points.get(k);
                px[k] = flops(r.model()) / bytes(r);
                py[k] = flops(r.model()) / r.nsPerEvent();
            }
            XYSeries s = chart.addSeries(e.getKey() + " (B = 1, 4, 16, 32)", px, py);
            s.setLineStyle(new BasicStroke(e.getKey().contains("batched") ? 1.8f : 0.8f));
            if (e.getKey().startsWith("scalar")) {
                s.setLineColor(Color.GRAY);
            }
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
