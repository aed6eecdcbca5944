package io.ssmstream.eval.forecast;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of a stretch of the test part: the target, and each method's forecast paths from origins H_max rows
 * apart (each path starts again from the state at its origin, so the lines jump where a new path begins).
 */
final class ForecastPlot {
    private static final Color[] COLORS = {new Color(0xD62728), new Color(0x2CA02C), new Color(0xFF7F0E),
        new Color(0x9467BD), new Color(0x8C564B)};

    private ForecastPlot() {
    }

    /**
     * @param y        the normalised target
     * @param micros   row times
     * @param skip     methods not drawn (persistence is a flat line that hides the others)
     */
    static void write(ForecastEvaluation.PlotPaths plot, double[] y, long[] micros, String title, String target,
                      List<String> skip, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1400).height(500).title(title)
                .xAxisTitle("time (UTC)").yAxisTitle(target + " (normalised)").build();
        chart.getStyler().setDatePattern("MM-dd HH:mm");
        chart.getStyler().setLocale(java.util.Locale.ROOT);
        chart.getStyler().setTimezone(java.util.TimeZone.getTimeZone("UTC"));
        chart.getStyler().setMarkerSize(0);
        int pathRows = plot.paths().get(0).length;
        int from = Math.max(0, plot.first() - plot.length());
        int to = plot.first() + pathRows; // last forecast row
        List<Date> actualTimes = new ArrayList<>();
        List<Double> actual = new ArrayList<>();
        for (int i = from; i <= to && i < y.length; i++) {
            actualTimes.add(new Date(Math.floorDiv(micros[i], 1000L)));
            actual.add(y[i]);
        }
        XYSeries truth = chart.addSeries(target, actualTimes, actual);
        truth.setLineColor(Color.BLACK);
        truth.setMarker(SeriesMarkers.NONE);
        int c = 0;
        for (int m = 0; m < plot.methods().size(); m++) {
            String name = plot.methods().get(m);
            if (skip.contains(name) || pathRows == 0) {
                continue;
            }
            List<Date> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (int r = 0; r < pathRows; r++) {
                int path = r / plot.length();
                int step = r % plot.length();
                int row = plot.first() + path * plot.length() + step + 1;
                times.add(new Date(Math.floorDiv(micros[row], 1000L)));
                values.add(plot.paths().get(m)[r]);
            }
            XYSeries s = chart.addSeries(name, times, values);
            s.setLineColor(COLORS[c++ % COLORS.length]);
            s.setLineStyle(new BasicStroke(1.6f));
            s.setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
