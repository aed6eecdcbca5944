package io.ssmstream.benchmarks.audio;

import io.ssmstream.kernels.audio.AudioFeatures;
import io.ssmstream.kernels.model.Arch;
import io.ssmstream.kernels.model.ModelConfig;
import java.util.Random;

/** What the audio benchmarks feed: the default audio model's configuration and a test signal. */
public final class AudioBenchInputs {
    /** The seed of the default audio model's initial weights. */
    public static final long MODEL_SEED = 20240607L;

    private AudioBenchInputs() {
    }

    /**
     * The default audio model: Mamba on the default front end's bands (32), d_model 16, 2 layers, d_state 16,
     * time-aware with one step per 10 ms hop.
     */
    public static ModelConfig modelConfig() {
        return ModelConfig.builder(Arch.MAMBA, AudioFeatures.defaults().bands()).dModel(16).nLayers(2).dState(16)
                .timeAware(true).dtUnitMs(10).build();
    }

    /** 1 s at {@code rate} Hz of a 100 Hz..4 kHz sweep with Gaussian noise drawn from {@code seed}. */
    public static float[] sweep(int rate, long seed) {
        Random r = new Random(seed);
        float[] s = new float[rate];
        double phase = 0;
        for (int i = 0; i < s.length; i++) {
            phase += 2 * Math.PI * (100 + 3900.0 * i / s.length) / rate;
            s[i] = (float) (0.5 * Math.sin(phase) + 0.05 * r.nextGaussian());
        }
        return s;
    }
}
