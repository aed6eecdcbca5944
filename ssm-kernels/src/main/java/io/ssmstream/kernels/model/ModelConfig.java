package io.ssmstream.kernels.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmstream.kernels.format.ModelFormatException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The model's {@code __metadata__["ssm_stream.config"]}: architecture, sizes, time unit and input
 * normalisation. Immutable; build one with {@link #builder(Arch, int)}.
 *
 * <p>Glossary (config key, field, paper symbol): {@code d_input} dInput, {@code d_model} dModel = H (S4D, S4, LSSL, LRU, SpaceTime),
 * {@code d_state} dState = N, {@code expand} E (Mamba, Mamba-2: d_inner = E * d_model), {@code d_conv}
 * the causal convolution width, {@code dt_rank} R (rank of Mamba's Δ projection), {@code headdim} P and
 * {@code ngroups} G (Mamba-2: d_inner / P heads, each with its own scalar A and Δ, in G groups sharing B and C),
 * {@code dt_unit_ms} the time that counts as one step: the gap τ = (t_k - t_{k-1}) / dt_unit_ms, {@code horizon}
 * H and {@code horizon_modes} P of the optional direct multi-horizon head ({@link HorizonHead}; H = 0: none,
 * the keys are then not written).
 */
public final class ModelConfig {
    public static final String METADATA_KEY = "ssm_stream.config";
    /**
     * The most parameters a model may have (2^28, 1 GiB of float32): far above a streaming model's size (a
     * 4-layer Mamba at d_model 64 has about 130k), low enough that a mistyped size is refused before anything is
     * allocated.
     */
    public static final long MAX_PARAMETERS = 1L << 28;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN_KEYS = Set.of("arch", "d_input", "d_model", "n_layers", "d_state",
            "expand", "d_conv", "dt_rank", "headdim", "ngroups", "dt_unit_ms", "time_aware", "input_mean",
            "input_std", "horizon", "horizon_modes");

    private final Arch arch;
    private final int dInput;
    private final int dModel;
    private final int nLayers;
    private final int dState;
    private final int expand;
    private final int dConv;
    private final int dtRank;
    private final int headdim;
    private final int ngroups;
    private final int horizon;
    private final int horizonModes;
    private final double dtUnitMs;
    private final boolean timeAware;
    private final float[] inputMean; // (dInput)
    private final float[] inputStd;  // (dInput)
    private final Map<String, JsonNode> extra;

    private ModelConfig(Builder b) {
        // before the default input_mean and input_std of d_input values are made
        require(b.dInput > 0, "d_input must be positive, got " + b.dInput);
        this.arch = b.arch;
        this.dInput = b.dInput;
        this.dModel = b.dModel;
        this.nLayers = b.nLayers;
        this.dState = b.dState;
        this.expand = b.expand;
        this.dConv = b.dConv;
        this.dtRank = b.dtRank > 0 ? b.dtRank : defaultDtRank(b.dModel);
        this.headdim = b.headdim;
        this.ngroups = b.ngroups;
        this.horizon = b.horizon;
        this.horizonModes = b.horizonModes;
        this.dtUnitMs = b.dtUnitMs;
        this.timeAware = b.timeAware;
        this.inputMean = b.inputMean != null ? b.inputMean.clone() : new float[b.dInput];
        this.inputStd = b.inputStd != null ? b.inputStd.clone() : filled(b.dInput, 1f);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        validate();
    }

    /** Mamba's default Δ rank, ceil(d_model / 16). */
    public static int defaultDtRank(int dModel) {
        return (dModel + 15) / 16;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    private void validate() {
        require(dModel > 0, "d_model must be positive, got " + dModel);
        require(nLayers > 0, "n_layers must be positive, got " + nLayers);
        require(dState > 0, "d_state must be positive, got " + dState);
        require(dtUnitMs > 0 && Double.isFinite(dtUnitMs), "dt_unit_ms must be a positive number, got " + dtUnitMs);
        require(inputMean.length == dInput, "input_mean has " + inputMean.length + " values but d_input is " + dInput);
        require(inputStd.length == dInput, "input_std has " + inputStd.length + " values but d_input is " + dInput);
        for (int i = 0; i < dInput; i++) {
            require(Float.isFinite(inputMean[i]), "input_mean[" + i + "] is not finite: " + inputMean[i]);
            require(inputStd[i] > 0 && Float.isFinite(inputStd[i]),
                    "input_std[" + i + "] must be positive and finite, got " + inputStd[i]);
        }
        if (mambaFamily(arch)) {
            require(expand > 0, "expand must be positive, got " + expand);
            require(dConv > 0, "d_conv must be positive, got " + dConv);
        }
        if (arch == Arch.MAMBA) {
            require(dtRank > 0, "dt_rank must be positive, got " + dtRank);
        }
        if (arch == Arch.MAMBA2) {
            require(headdim > 0, "headdim must be positive, got " + headdim);
            require(ngroups > 0, "ngroups must be positive, got " + ngroups);
            require(dInner() % headdim == 0, "mamba2 needs d_inner = expand * d_model (" + dInner()
                    + ") to be a multiple of headdim (" + headdim + ")");
            require(nHeads() % ngroups == 0, "mamba2 needs its " + nHeads() + " heads (d_inner / headdim) to be a"
                    + " multiple of ngroups (" + ngroups + ")");
        }
        require(horizon >= 0, "horizon must be 0 (no direct head) or positive, got " + horizon);
        if (horizon > 0) {
            require(horizonModes > 0, "horizon_modes must be positive when horizon is, got " + horizonModes);
        }
        if (arch.pairsStates()) {
            require(dState % 2 == 0, arch.configName() + " needs an even d_state (N/2 complex modes), got "
                    + dState);
        }
        double parameters = parameterBound();
        require(parameters <= MAX_PARAMETERS, String.format(Locale.ROOT, "the model is too large: d_model %d,"
                + " n_layers %d, d_state %d and expand %d give up to %.3g parameters, more than the %d a model may"
                + " have", dModel, nLayers, dState, expand, parameters, MAX_PARAMETERS));
    }

    /**
     * An upper bound of the model's parameter count over every arch (in double, so that absurd sizes cannot
     * overflow): per layer 8·E·H·(H + N + d_conv + R + 8) + 2·G·N·(H + d_conv) (Mamba-2's B and C per group),
     * plus the encoder, head and direct head.
     */
    private double parameterBound() {
        double h = dModel;
        double conv = Math.max(0, dConv);
        double perLayer = 8.0 * Math.max(1, expand) * h * (h + dState + conv + dtRank + 8)
                + 2.0 * Math.max(1, ngroups) * dState * (h + conv);
        double head = (double) horizon * dInput * (2.0 * dInput * horizonModes + h + 1);
        return nLayers * perLayer + 4.0 * dInput * (h + 1) + head;
    }

    /** Mamba and Mamba-2: an inner width (expand) and a causal convolution (d_conv). */
    private static boolean mambaFamily(Arch arch) {
        return arch == Arch.MAMBA || arch == Arch.MAMBA2;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public Arch arch() {
        return arch;
    }

    public int dInput() {
        return dInput;
    }

    public int dModel() {
        return dModel;
    }

    public int nLayers() {
        return nLayers;
    }

    public int dState() {
        return dState;
    }

    public int expand() {
        return expand;
    }

    public int dConv() {
        return dConv;
    }

    public int dtRank() {
        return dtRank;
    }

    /** Mamba-2's head width P. */
    public int headdim() {
        return headdim;
    }

    /** Mamba-2's number of B, C groups G. */
    public int ngroups() {
        return ngroups;
    }

    /** H, the steps 1..H the direct head forecasts; 0 when the model has none. */
    public int horizon() {
        return horizon;
    }

    /** P, the direct head's modes per input channel; 0 when the model has no head. */
    public int horizonModes() {
        return horizon > 0 ? horizonModes : 0;
    }

    public boolean hasHorizonHead() {
        return horizon > 0;
    }

    /** Mamba-2's number of heads, d_inner / headdim. */
    public int nHeads() {
        return dInner() / headdim;
    }

    /** Mamba's and Mamba-2's inner width, expand * d_model. */
    public int dInner() {
        return expand * dModel;
    }

    public double dtUnitMs() {
        return dtUnitMs;
    }

    public boolean timeAware() {
        return timeAware;
    }

    public float[] inputMean() {
        return inputMean.clone();
    }

    public float[] inputStd() {
        return inputStd.clone();
    }

    /** Config keys this version does not know, kept so that a model can be rewritten without losing them. */
    public Map<String, JsonNode> extra() {
        return extra;
    }

    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("arch", arch.configName());
        node.put("d_input", dInput);
        node.put("d_model", dModel);
        node.put("n_layers", nLayers);
        node.put("d_state", dState);
        if (mambaFamily(arch)) {
            node.put("expand", expand);
            node.put("d_conv", dConv);
        }
        if (arch == Arch.MAMBA) {
            node.put("dt_rank", dtRank);
        }
        if (arch == Arch.MAMBA2) {
            node.put("headdim", headdim);
            node.put("ngroups", ngroups);
        }
        if (horizon > 0) {
            node.put("horizon", horizon);
            node.put("horizon_modes", horizonModes);
        }
        node.put("dt_unit_ms", dtUnitMs);
        node.put("time_aware", timeAware);
        ArrayNode mean = node.putArray("input_mean");
        ArrayNode std = node.putArray("input_std");
        for (int i = 0; i < dInput; i++) {
            mean.add(inputMean[i]);
            std.add(inputStd[i]);
        }
        extra.forEach(node::set);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses the config JSON. Every problem is reported as a {@link ModelFormatException} that names the key.
     *
     * @param source named in error messages
     */
    public static ModelConfig fromJson(String json, String source) {
        String where = source + ": config " + METADATA_KEY;
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ModelFormatException(where + " must be a JSON object");
        }
        String archName = requireKey(node, "arch", where).asText();
        Arch arch = Arch.fromConfigName(archName);
        if (arch == null) {
            throw new ModelFormatException(where + ": unknown arch \"" + archName + "\" (expected " + Arch.choices() + ")");
        }
        Builder b = builder(arch, intKey(node, "d_input", where))
                .dModel(intKey(node, "d_model", where))
                .nLayers(intKey(node, "n_layers", where))
                .dState(intKey(node, "d_state", where))
                .dtUnitMs(numberKey(node, "dt_unit_ms", where))
                .timeAware(boolKey(node, "time_aware", where))
                .inputMean(floats(requireKey(node, "input_mean", where), "input_mean", where))
                .inputStd(floats(requireKey(node, "input_std", where), "input_std", where));
        if (mambaFamily(arch)) {
            b.expand(intKey(node, "expand", where)).dConv(intKey(node, "d_conv", where));
        }
        if (arch == Arch.MAMBA) {
            b.dtRank(intKey(node, "dt_rank", where));
        }
        if (arch == Arch.MAMBA2) {
            b.headdim(intKey(node, "headdim", where)).ngroups(intKey(node, "ngroups", where));
        }
        if (node.has("horizon")) {
            b.horizon(intKey(node, "horizon", where), intKey(node, "horizon_modes", where));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KNOWN_KEYS.contains(e.getKey())) {
                b.extra.put(e.getKey(), e.getValue());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(where + ": " + e.getMessage());
        }
    }

    private static JsonNode requireKey(JsonNode node, String key, String where) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(where + ": missing key \"" + key + "\"");
        }
        return v;
    }

    private static int intKey(JsonNode node, String key, String where) {
        JsonNode v = requireKey(node, key, where);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelFormatException(where + ": \"" + key + "\" must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double numberKey(JsonNode node, String key, String where) {
        JsonNode v = requireKey(node, key, where);
        if (!v.isNumber()) {
            throw new ModelFormatException(where + ": \"" + key + "\" must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static boolean boolKey(JsonNode node, String key, String where) {
        JsonNode v = requireKey(node, key, where);
        if (!v.isBoolean()) {
            throw new ModelFormatException(where + ": \"" + key + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static float[] floats(JsonNode v, String key, String where) {
        if (!v.isArray()) {
            throw new ModelFormatException(where + ": \"" + key + "\" must be an array of numbers, got " + v);
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber()) {
                throw new ModelFormatException(where + ": \"" + key + "\"[" + i + "] must be a number, got " + v.get(i));
            }
            out[i] = (float) v.get(i).asDouble();
        }
        return out;
    }

    /**
     * Starts a config. Defaults: d_model 32, n_layers 2, d_state 16, expand 2, d_conv 4,
     * dt_rank ceil(d_model/16), headdim 8, ngroups 1, no direct head (horizon 0), dt_unit_ms 1000 (one step per second), time_aware true,
     * input_mean 0 and input_std 1 for every channel.
     */
    public static Builder builder(Arch arch, int dInput) {
        return new Builder(arch, dInput);
    }

    public Builder toBuilder() {
        Builder b = builder(arch, dInput).dModel(dModel).nLayers(nLayers).dState(dState).expand(expand)
                .dConv(dConv).dtRank(dtRank).headdim(headdim).ngroups(ngroups).horizon(horizon, horizonModes).dtUnitMs(dtUnitMs)
                .timeAware(timeAware).inputMean(inputMean).inputStd(inputStd);
        b.extra.putAll(extra);
        return b;
    }

    /** Fail-fast builder; {@link #build()} says which value is wrong. */
    public static final class Builder {
        private final Arch arch;
        private final int dInput;
        private int dModel = 32;
        private int nLayers = 2;
        private int dState = 16;
        private int expand = 2;
        private int dConv = 4;
        private int dtRank = 0;
        private int headdim = 8;
        private int ngroups = 1;
        private int horizon = 0;
        private int horizonModes = 0;
        private double dtUnitMs = 1000;
        private boolean timeAware = true;
        private float[] inputMean;
        private float[] inputStd;
        private final Map<String, JsonNode> extra = new LinkedHashMap<>();

        private Builder(Arch arch, int dInput) {
            if (arch == null) {
                throw new IllegalArgumentException("arch must be one of " + Arch.choices());
            }
            this.arch = arch;
            this.dInput = dInput;
        }

        public Builder dModel(int v) {
            dModel = v;
            return this;
        }

        public Builder nLayers(int v) {
            nLayers = v;
            return this;
        }

        public Builder dState(int v) {
            dState = v;
            return this;
        }

        public Builder expand(int v) {
            expand = v;
            return this;
        }

        public Builder dConv(int v) {
            dConv = v;
            return this;
        }

        /** Mamba's Δ rank; 0 means ceil(d_model / 16). */
        public Builder dtRank(int v) {
            dtRank = v;
            return this;
        }

        /** Mamba-2's head width P; d_inner must be a multiple of it. */
        public Builder headdim(int v) {
            headdim = v;
            return this;
        }

        /** Mamba-2's number of groups sharing B and C; the heads must be a multiple of it. */
        public Builder ngroups(int v) {
            ngroups = v;
            return this;
        }

        /**
         * A direct head forecasting steps 1..{@code h} from {@code modes} modes per input channel; h = 0 for
         * none (the default).
         */
        public Builder horizon(int h, int modes) {
            horizon = h;
            horizonModes = modes;
            return this;
        }

        public Builder dtUnitMs(double v) {
            dtUnitMs = v;
            return this;
        }

        public Builder timeAware(boolean v) {
            timeAware = v;
            return this;
        }

        public Builder inputMean(float[] v) {
            inputMean = v.clone();
            return this;
        }

        public Builder inputStd(float[] v) {
            inputStd = v.clone();
            return this;
        }

        /** Adds or replaces a config key this version does not interpret (kept on save). */
        public Builder extra(String key, JsonNode value) {
            if (KNOWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("\"" + key + "\" is a known config key; use its setter");
            }
            extra.put(key, value);
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid value */
        public ModelConfig build() {
            return new ModelConfig(this);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
