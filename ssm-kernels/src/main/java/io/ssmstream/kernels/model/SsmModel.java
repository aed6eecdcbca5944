package io.ssmstream.kernels.model;

import io.ssmstream.kernels.format.ModelFormatException;
import io.ssmstream.kernels.format.SafetensorsFile;
import io.ssmstream.kernels.format.Tensor;
import io.ssmstream.kernels.mixer.LruMixer;
import io.ssmstream.kernels.mixer.Mamba2Mixer;
import io.ssmstream.kernels.mixer.MambaMixer;
import io.ssmstream.kernels.mixer.Mixer;
import io.ssmstream.kernels.mixer.LsslMixer;
import io.ssmstream.kernels.mixer.S4Mixer;
import io.ssmstream.kernels.mixer.S4dMixer;
import io.ssmstream.kernels.mixer.S5Mixer;
import io.ssmstream.kernels.mixer.SpacetimeMixer;
import io.ssmstream.kernels.mixer.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded model, format v1: the config, the weights in compute layout and the original tensors (kept so that
 * the model can be written back unchanged). Immutable and thread-safe; step it with an {@link SsmRunner}.
 *
 * <p>The network around the mixers, for one event with values v (d_input) and time gap τ:
 * <pre>
 *   u = (v - input_mean) / input_std
 *   h = encoder.weight · u + encoder.bias
 *   h = h + mixer_i(rmsnorm(h) ∘ layers.i.norm.weight)        for each layer i
 *   o = head.weight · (rmsnorm(h) ∘ norm_f.weight) + head.bias  (2·d_input)
 *   forecast of the next event = o[:d] · input_std + input_mean,  its std = exp(o[d:] / 2) · input_std
 * </pre>
 * and, when the config has a {@code horizon}, a {@link HorizonHead} that forecasts the next H events from its
 * own state and rmsnorm(h) ∘ norm_f.weight.
 * with rmsnorm(x) = x / sqrt(mean(x²) + 1e-5).
 */
public final class SsmModel {
    public static final float RMS_NORM_EPS = 1e-5f;

    private final ModelConfig config;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;
    final float[] encoderT;    // (d_input, d_model): encoder.weight transposed
    final float[] encoderBias; // (d_model)
    final float[][] norms;     // n_layers × (d_model): layers.i.norm.weight
    final float[] normF;       // (d_model)
    final float[] headT;       // (d_model, 2*d_input): head.weight transposed
    final float[] headBias;    // (2*d_input)
    final Mixer[] mixers;      // (n_layers)
    final HorizonHead horizonHead; // null when the config has no horizon
    final int[] stateOffsets;  // (n_layers + 1, + 1 with a horizon head): segment i of a StreamState's floats is
                               // [stateOffsets[i], stateOffsets[i+1]): the layers', then the head's; shared by
                               // all states, never changed

    private SsmModel(ModelConfig config, Map<String, Tensor> tensors, Map<String, String> metadata, String source) {
        this.config = config;
        // Insertion order is kept so that saving writes the same bytes every time.
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        Weights w = new Weights(tensors, source);
        int dIn = config.dInput();
        int dModel = config.dModel();
        this.encoderT = w.takeTransposed("encoder.weight", dModel, dIn, dModel, dIn);
        this.encoderBias = w.take("encoder.bias", dModel);
        this.norms = new float[config.nLayers()][];
        this.mixers = new Mixer[config.nLayers()];
        for (int i = 0; i < config.nLayers(); i++) {
            norms[i] = w.take("layers." + i + ".norm.weight", dModel);
            String prefix = "layers." + i + ".mixer.";
            switch (config.arch()) {
                case MAMBA:
                    mixers[i] = new MambaMixer(config, w, prefix);
                    break;
                case S4D:
                    mixers[i] = new S4dMixer(config, w, prefix);
                    break;
                case S4:
                    mixers[i] = new S4Mixer(config, w, prefix);
                    break;
                case LSSL:
                    mixers[i] = LsslMixer.create(config, w, prefix);
                    break;
                case LRU:
                    mixers[i] = new LruMixer(config, w, prefix);
                    break;
                case S5:
                    mixers[i] = new S5Mixer(config, w, prefix);
                    break;
                case MAMBA2:
                    mixers[i] = new Mamba2Mixer(config, w, prefix);
                    break;
                case SPACETIME:
                    mixers[i] = new SpacetimeMixer(config, w, prefix);
                    break;
                default:
                    throw new AssertionError(config.arch());
            }
        }
        this.horizonHead = config.hasHorizonHead() ? new HorizonHead(config, w) : null;
        int[] stateSizes = new int[mixers.length + (horizonHead == null ? 0 : 1)];
        for (int i = 0; i < mixers.length; i++) {
            stateSizes[i] = mixers[i].stateSize();
        }
        if (horizonHead != null) {
            stateSizes[mixers.length] = horizonHead.stateSize();
        }
        this.stateOffsets = StreamState.offsets(stateSizes);
        this.normF = w.take("norm_f.weight", dModel);
        this.headT = w.takeTransposed("head.weight", 2 * dIn, dModel, 2 * dIn, dModel);
        this.headBias = w.take("head.bias", 2 * dIn);
    }

    /**
     * Builds a model from tensors and a config.
     *
     * @param metadata extra {@code __metadata__} entries to keep (version, provenance); the config entry is
     *                 always written from {@code config}
     * @throws ModelFormatException naming the tensor when one is missing or has the wrong shape
     */
    public static SsmModel of(ModelConfig config, Map<String, Tensor> tensors, Map<String, String> metadata) {
        return new SsmModel(config, tensors, metadata, "model");
    }

    public static SsmModel load(Path path) {
        return fromFile(SafetensorsFile.read(path), path.toString());
    }

    /** @param source named in error messages */
    public static SsmModel fromFile(SafetensorsFile file, String source) {
        String json = file.metadata().get(ModelConfig.METADATA_KEY);
        if (json == null) {
            throw new ModelFormatException(source + ": no __metadata__[\"" + ModelConfig.METADATA_KEY
                    + "\"]: not an ssm-stream model");
        }
        ModelConfig config = ModelConfig.fromJson(json, source);
        Map<String, String> metadata = new LinkedHashMap<>(file.metadata());
        metadata.remove(ModelConfig.METADATA_KEY);
        return new SsmModel(config, file.tensors(), metadata, source);
    }

    public SafetensorsFile toFile() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(ModelConfig.METADATA_KEY, config.toJson());
        meta.putAll(metadata);
        return new SafetensorsFile(tensors, meta);
    }

    public void save(Path path) throws IOException {
        toFile().write(path);
    }

    /** The floats of one stream's state: every layer's, and the direct head's when there is one. */
    public int stateFloats() {
        return stateOffsets[stateOffsets.length - 1];
    }

    public ModelConfig config() {
        return config;
    }

    /** The direct multi-horizon head, or null when the model has none. */
    public HorizonHead horizonHead() {
        return horizonHead;
    }

    /** The original tensors by name, as in the file. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** {@code __metadata__} entries other than the config. */
    public Map<String, String> metadata() {
        return metadata;
    }
}
