package io.ssmstream.kernels.audio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmstream.kernels.format.ModelFormatException;
import java.io.Serializable;
import java.util.Map;

/**
 * What the audio front end computes: log-mel band energies of Hann-windowed frames. A model trained on audio
 * carries these settings in its file ({@code __metadata__["ssm_stream.audio"]}, see {@link #toJson()}), so the
 * streaming job computes exactly the features the model was trained on.
 *
 * <p>Defaults: 25 ms windows, 10 ms hop, 32 mel bands from 0 Hz to 8 kHz (capped at the Nyquist frequency of
 * the stream's sample rate), so 16 kHz and 44.1 kHz microphones give comparable features.
 */
public final class AudioFeatures implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String METADATA_KEY = "ssm_stream.audio";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final double windowMs;
    private final double hopMs;
    private final int bands;
    private final double fMinHz;
    private final double fMaxHz;

    private AudioFeatures(Builder b) {
        this.windowMs = b.windowMs;
        this.hopMs = b.hopMs;
        this.bands = b.bands;
        this.fMinHz = b.fMinHz;
        this.fMaxHz = b.fMaxHz;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static AudioFeatures defaults() {
        return builder().build();
    }

    public double windowMs() {
        return windowMs;
    }

    public double hopMs() {
        return hopMs;
    }

    /** Mel bands per frame: the model's d_input. */
    public int bands() {
        return bands;
    }

    public double fMinHz() {
        return fMinHz;
    }

    public double fMaxHz() {
        return fMaxHz;
    }

    /** Samples per window at {@code sampleRate}: round(window · rate). */
    public int windowSamples(int sampleRate) {
        return (int) Math.round(windowMs * sampleRate / 1000.0);
    }

    /** Samples per hop at {@code sampleRate}: round(hop · rate). */
    public int hopSamples(int sampleRate) {
        return (int) Math.round(hopMs * sampleRate / 1000.0);
    }

    /** The settings as the JSON stored in a model's metadata. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("features", "log_mel");
        o.put("window_ms", windowMs);
        o.put("hop_ms", hopMs);
        o.put("bands", bands);
        o.put("f_min_hz", fMinHz);
        o.put("f_max_hz", fMaxHz);
        return o.toString();
    }

    /**
     * The settings a model was trained with, from its metadata.
     *
     * @param source names the model in messages
     * @throws ModelFormatException when the model has no audio settings or they are malformed
     */
    public static AudioFeatures fromMetadata(Map<String, String> metadata, String source) {
        String json = metadata.get(METADATA_KEY);
        if (json == null) {
            throw new ModelFormatException(source + ": not an audio model (no __metadata__[\"" + METADATA_KEY
                    + "\"]; train it with 'ssm-stream train --audio ...')");
        }
        try {
            JsonNode o = JSON.readTree(json);
            return builder().windowMs(o.path("window_ms").asDouble(25)).hopMs(o.path("hop_ms").asDouble(10))
                    .bands(o.path("bands").asInt(32)).fMinHz(o.path("f_min_hz").asDouble(0))
                    .fMaxHz(o.path("f_max_hz").asDouble(8000)).build();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelFormatException(source + ": bad __metadata__[\"" + METADATA_KEY + "\"]: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioFeatures f && windowMs == f.windowMs && hopMs == f.hopMs && bands == f.bands
                && fMinHz == f.fMinHz && fMaxHz == f.fMaxHz;
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Fail-fast builder; every setter names what it rejects. */
    public static final class Builder {
        private double windowMs = 25;
        private double hopMs = 10;
        private int bands = 32;
        private double fMinHz = 0;
        private double fMaxHz = 8000;

        private Builder() {
        }

        /** Analysis window length; default 25 ms. */
        public Builder windowMs(double v) {
            if (!(v > 0 && v <= 1000)) {
                throw new IllegalArgumentException("window must be in (0, 1000] ms, got " + v);
            }
            windowMs = v;
            return this;
        }

        /** Hop between frame starts, at most the window; default 10 ms (100 frames per second). */
        public Builder hopMs(double v) {
            if (!(v > 0 && v <= 1000)) {
                throw new IllegalArgumentException("hop must be in (0, 1000] ms, got " + v);
            }
            hopMs = v;
            return this;
        }

        /** Mel bands; default 32. */
        public Builder bands(int v) {
            if (v < 1 || v > 512) {
                throw new IllegalArgumentException("bands must be in [1, 512], got " + v);
            }
            bands = v;
            return this;
        }

        /** Lowest band edge; default 0 Hz. */
        public Builder fMinHz(double v) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("f_min must be at least 0 Hz, got " + v);
            }
            fMinHz = v;
            return this;
        }

        /** Highest band edge, capped at half the sample rate; default 8000 Hz. */
        public Builder fMaxHz(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("f_max must be positive, got " + v);
            }
            fMaxHz = v;
            return this;
        }

        public AudioFeatures build() {
            if (hopMs > windowMs) {
                throw new IllegalArgumentException("hop (" + hopMs + " ms) must not exceed the window (" + windowMs
                        + " ms)");
            }
            if (fMinHz >= fMaxHz) {
                throw new IllegalArgumentException("f_min (" + fMinHz + " Hz) must be below f_max (" + fMaxHz + " Hz)");
            }
            return new AudioFeatures(this);
        }
    }
}
