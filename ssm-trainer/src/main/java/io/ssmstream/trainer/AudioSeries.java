package io.ssmstream.trainer;

import io.ssmstream.kernels.audio.AudioClip;
import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.audio.AudioFrontEnd;
import io.ssmstream.kernels.model.SsmModel;
import io.ssmstream.kernels.simd.KernelOpsProvider;
import io.ssmstream.kernels.stream.ForecasterState;
import io.ssmstream.kernels.stream.GaussianTailScorer;
import io.ssmstream.kernels.stream.NllQuantileScorer;
import io.ssmstream.kernels.stream.StreamForecaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Audio as training data: each clip through the same streaming front end the job runs ({@link AudioFrontEnd}),
 * one frame per event (d_input = bands, one hop between events), one series per clip. The trained model then
 * carries the front-end settings in its metadata ({@link #withFeatures}), so the job computes the same frames,
 * and the distribution of its likelihoods of the training frames, which the job's scorer is calibrated with.
 */
public final class AudioSeries {
    /** Frame times of a clip start here (epoch µs); only the gaps between frames matter to the model. */
    private static final long ORIGIN_MICROS = 0;

    private AudioSeries() {
    }

    /** The {@code .wav} and {@code .ogg} files under each path (a file is taken as it is), sorted by path. */
    public static List<Path> audioFiles(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).filter(AudioSeries::isAudio).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(p + ": cannot list: " + e.getMessage(), e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new TrainingDataException(p + ": no such file or directory");
            }
        }
        if (files.isEmpty()) {
            throw new TrainingDataException("no .wav or .ogg files in " + paths);
        }
        return files;
    }

    static boolean isAudio(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".wav") || name.endsWith(".ogg");
    }

    /** Every clip under {@code paths} as one series of frames. */
    public static List<EventSeries> read(List<Path> paths, AudioFeatures features) {
        List<EventSeries> series = new ArrayList<>();
        for (Path file : audioFiles(paths)) {
            AudioClip clip;
            try {
                clip = AudioClip.read(file);
            } catch (AudioClip.AudioFileException e) {
                throw new TrainingDataException(e.getMessage());
            }
            EventSeries s = frames(clip, features);
            if (s.size() < 2) {
                throw new TrainingDataException(file + ": too short for two frames (" + clip.seconds() + " s)");
            }
            series.add(s);
        }
        return series;
    }

    /** The clip's frames as a series: columns {@code band0..}, times one hop apart. */
    public static EventSeries frames(AudioClip clip, AudioFeatures features) {
        AudioFrontEnd fe = new AudioFrontEnd(features, clip.sampleRate());
        int n = Math.max(0, (clip.samples().length - fe.windowSamples()) / fe.hopSamples() + 1);
        long[] micros = new long[n];
        float[] values = new float[n * features.bands()];
        int[] k = {0};
        fe.process(fe.newState(), ORIGIN_MICROS, clip.samples(), 0, clip.samples().length, (ts, bands) -> {
            micros[k[0]] = ts;
            System.arraycopy(bands, 0, values, k[0] * bands.length, bands.length);
            k[0]++;
        });
        List<String> columns = new ArrayList<>();
        for (int b = 0; b < features.bands(); b++) {
            columns.add("band" + b);
        }
        return new EventSeries(clip.source(), columns, micros, values);
    }

    /**
     * {@code model} with the front-end settings in its metadata, as the job and eval read them, and the
     * quantiles of its likelihoods of the {@code frames} it was trained on, which the job's scorer compares every
     * frame with ({@link NllQuantileScorer}): each clip streamed from a new state, as the job streams a
     * microphone, every frame from the second scored against the forecast made before it.
     */
    public static SsmModel withFeatures(SsmModel model, AudioFeatures features, List<EventSeries> frames) {
        StreamForecaster forecaster = new StreamForecaster(model, KernelOpsProvider.get(), new GaussianTailScorer());
        int total = frames.stream().mapToInt(s -> Math.max(0, s.size() - 1)).sum();
        if (total == 0) {
            throw new TrainingDataException("no clip has two frames to take the model's likelihoods on");
        }
        double[] nlls = new double[total];
        int n = 0;
        for (EventSeries s : frames) {
            ForecasterState state = forecaster.newState();
            float[] event = new float[s.channels()];
            for (int t = 0; t < s.size(); t++) {
                System.arraycopy(s.values(), t * event.length, event, 0, event.length);
                if (t > 0) {
                    nlls[n++] = NllQuantileScorer.nll(event, state.forecastMean(), state.forecastStd());
                }
                forecaster.step(state, s.micros()[t], event);
            }
        }
        Map<String, String> meta = new LinkedHashMap<>(model.metadata());
        meta.put(AudioFeatures.METADATA_KEY, features.toJson());
        meta.put(NllQuantileScorer.METADATA_KEY, NllQuantileScorer.toJson(
                NllQuantileScorer.quantilesOf(nlls, NllQuantileScorer.DEFAULT_QUANTILES)));
        return SsmModel.of(model.config(), model.tensors(), meta);
    }
}
