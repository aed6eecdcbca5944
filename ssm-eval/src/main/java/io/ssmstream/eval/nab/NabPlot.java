package io.ssmstream.eval.nab;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One PNG per file (XChart): above, the value, our forecast ± 2σ and the label windows shaded; below, each
 * detector's anomaly score with the same windows shaded.
 */
final class NabPlot {
    private static final int WIDTH = 1600;
    private static final Color WINDOW = new Color(255, 120, 120, 70);

    private NabPlot() {
    }

    /**
     * @param ours     our detector's output (its forecast band is drawn)
     * @param scores   every detector's scores by name, in legend order
     * @param sweep    the file's windows as rows (any detector's sweep)
     * @param applied  the rows the detectors saw ({@link NabSeries#applied()}); only these are drawn, so a
     *                 timestamp that goes back (which XChart's area refuses) draws as the detector saw it
     */
    static void write(Path png, NabSeries series, NabDetector.Output ours, Map<String, double[]> scores,
                      NabScorer.Sweep sweep, boolean[] applied) {
        List<Date> x = new ArrayList<>(series.size());
        for (int i = 0; i < applied.length; i++) {
            if (applied[i]) {
                x.add(new Date(series.micros()[i] / 1000));
            }
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float v : series.values()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double margin = Math.max(1e-9, 0.1 * (hi - lo));
        lo -= margin;
        hi += margin;

        XYChart top = chart(series.name() + ": value, forecast ± 2σ, label windows", 420, "value");
        top.getStyler().setYAxisMin(lo).setYAxisMax(hi);
        shade(top, x, applied, sweep, lo, hi);
        if (ours.forecastMean() != null) {
            double[] upper = new double[series.size()];
            double[] lower = new double[series.size()];
            for (int i = 0; i < upper.length; i++) {
                double m = ours.forecastMean()[i];
                double s = ours.forecastStd()[i];
                upper[i] = Double.isNaN(m) ? series.values()[i] : clamp(m + 2 * s, lo, hi);
                lower[i] = Double.isNaN(m) ? series.values()[i] : clamp(m - 2 * s, lo, hi);
            }
            line(top, "forecast + 2σ", x, applied, upper, new Color(120, 160, 255));
            line(top, "forecast - 2σ", x, applied, lower, new Color(120, 160, 255));
        }
        double[] values = new double[series.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = series.values()[i];
        }
        line(top, "value", x, applied, values, Color.BLACK);

        XYChart bottom = chart("anomaly scores", 300, "score");
        bottom.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        shade(bottom, x, applied, sweep, 0, 1);
        Color[] colors = {new Color(200, 30, 30), new Color(30, 130, 30), new Color(120, 60, 180),
            new Color(230, 150, 0)};
        int c = 0;
        for (Map.Entry<String, double[]> e : scores.entrySet()) {
            line(bottom, e.getKey(), x, applied, e.getValue(), colors[c++ % colors.length]);
        }

        BufferedImage a = BitmapEncoder.getBufferedImage(top);
        BufferedImage b = BitmapEncoder.getBufferedImage(bottom);
        BufferedImage image = new BufferedImage(WIDTH, a.getHeight() + b.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, 0, a.getHeight(), null);
        g.dispose();
        try {
            Files.createDirectories(png.getParent());
            ImageIO.write(image, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static XYChart chart(String title, int height, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).yAxisTitle(yTitle).build();
        XYStyler style = chart.getStyler();
        style.setLegendPosition(Styler.LegendPosition.InsideNW);
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotGridLinesVisible(false);
        style.setDatePattern("yyyy-MM-dd");
        return chart;
    }

    /** Label windows as an area at {@code hi} inside a window and {@code lo} outside. */
    private static void shade(XYChart chart, List<Date> x, boolean[] applied, NabScorer.Sweep sweep, double lo,
                              double hi) {
        if (sweep.windowLeft().length == 0) {
            return;
        }
        double[] y = new double[applied.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = NabScorer.inWindow(sweep, i) ? hi : lo;
        }
        XYSeries s = chart.addSeries("label window", x, toList(y, applied));
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        s.setMarker(SeriesMarkers.NONE);
        s.setFillColor(WINDOW);
        s.setLineColor(new Color(0, 0, 0, 0));
    }

    private static void line(XYChart chart, String name, List<Date> x, boolean[] applied, double[] y,
                             Color color) {
        XYSeries s = chart.addSeries(name, x, toList(y, applied));
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(1f);
    }

    private static List<Double> toList(double[] y, boolean[] applied) {
        List<Double> list = new ArrayList<>(y.length);
        for (int i = 0; i < y.length; i++) {
            if (applied[i]) {
                list.add(y[i]);
            }
        }
        return list;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
