package io.ssmstream.kernels.model;

import java.util.Locale;

/** The mixer family of a model; the config's {@code "arch"} value is the lower-case name. */
public enum Arch {
    /** Selective SSM, Gu and Dao 2023 (state-spaces/mamba, {@code Mamba.step}). */
    MAMBA,
    /** Diagonal S4 with zero-order hold, Gu et al. 2022 (state-spaces/s4, {@code s4d.py}). */
    S4D,
    /** Linear Recurrent Unit, Orvieto et al. 2023. */
    LRU;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a config name, or returns null. */
    public static Arch fromConfigName(String name) {
        for (Arch a : values()) {
            if (a.configName().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
