package io.ssmstream.benchmarks.audio;

import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.audio.AudioFrontEndState;
import io.ssmstream.kernels.model.ModelInitializer;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the per-stream audio path on one thread, without Flink, measured with the thread's CPU clock so
 * that other processes on a shared machine do not count: {@code --streams} streams, each with its own front-end
 * and forecaster state, take 100 ms chunks round robin. Reports, median of {@code runs}, the front end alone
 * (samples per CPU second) and front end + default audio model per frame (audio seconds per CPU second, i.e.
 * streams one core keeps up with in real time), on the kernels {@code KernelOpsProvider.get()} chose.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * io.ssmstream.benchmarks.audio.AudioStreamCpuBenchmark [streams=100] [seconds=20] [runs=5]}.
 */
public final class AudioStreamCpuBenchmark {
    private AudioStreamCpuBenchmark() {
    }

    public static void main(String[] args) {
        int streams = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "kernels: %s; %d streams x %d s of audio per run, median of %d runs (CPU s per run)%n",
                KernelOpsProvider.get().getClass().getSimpleName(), streams, seconds, runs);
        System.out.printf(Locale.ROOT, "| rate (Hz) | front end: samples per CPU s | front end + model: audio s per CPU s"
                + " = real-time streams per core | runs, front end | runs, with model |%n| --- | ---: | ---: | --- | --- |%n");
        for (int rate : new int[] {16000, 44100}) {
            run(rate, streams, 2, false);
            run(rate, streams, 2, true);
            List<Double> fe = new ArrayList<>();
            List<Double> full = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                fe.add(run(rate, streams, seconds, false));
                full.add(run(rate, streams, seconds, true));
            }
            double audio = (double) streams * seconds;
            System.out.printf(Locale.ROOT, "| %d | %.3g | %.0f | %s | %s |%n", rate, audio * rate / median(fe),
                    audio / median(full), text(fe), text(full));
        }
    }

    /** @return CPU seconds of this thread to push every stream's audio through */
    private static double run(int rate, int streams, int seconds, boolean withModel) {
        AudioFrontEnd fe = new AudioFrontEnd(AudioFeatures.defaults(), rate);
        StreamForecaster forecaster = new StreamForecaster(
                ModelInitializer.initialize(AudioBenchInputs.modelConfig(), AudioBenchInputs.MODEL_SEED),
                KernelOpsProvider.get(), new GaussianTailScorer());
        AudioFrontEndState[] feStates = new AudioFrontEndState[streams];
        ForecasterState[] states = new ForecasterState[streams];
        for (int s = 0; s < streams; s++) {
            feStates[s] = fe.newState();
            states[s] = forecaster.newState();
        }
        float[] signal = AudioBenchInputs.sweep(rate, 7);
        int chunk = rate / 10;
        double[] sink = {0};
        ForecasterState[] current = {null};
        AudioFrontEnd.FrameListener onFrame = withModel
                ? (ts, bands) -> sink[0] += forecaster.step(current[0], ts, bands)
                : (ts, bands) -> sink[0] += bands[0];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int k = 0; k < seconds * 10; k++) {
            int at = (k % 10) * chunk;
            for (int s = 0; s < streams; s++) {
                current[0] = states[s];
                fe.process(feStates[s], k * 100_000L, signal, at, chunk, onFrame);
            }
        }
        double used = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (Double.isNaN(sink[0])) {
            throw new IllegalStateException("NaN score");
        }
        return used;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String text(List<Double> v) {
        return v.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList().toString();
    }
}
