package io.ssmstream.kernels.model;

import java.util.Locale;

/** The mixer family of a model; the config's {@code "arch"} value is the lower-case name. */
public enum Arch {
    /** Selective SSM, Gu and Dao 2023 (state-spaces/mamba, {@code Mamba.step}). */
    MAMBA,
    /** Diagonal S4 with zero-order hold, Gu et al. 2022 (state-spaces/s4, {@code s4d.py}). */
    S4D,
    /**
     * S4 with a diagonal-plus-low-rank state matrix and the bilinear step, Gu, Goel and Ré 2022 (state-spaces/s4,
     * {@code SSMKernelDPLR}).
     */
    S4,
    /**
     * The linear state space layer with HiPPO-LegS fixed as its state matrix, Gu et al. 2021 (LSSL's "fixed A";
     * stepped as S4 in HiPPO-LegS's unitary basis).
     */
    LSSL,
    /** Linear Recurrent Unit, Orvieto et al. 2023. */
    LRU,
    /** Simplified state space layer: one shared MIMO diagonal SSM, Smith, Warrington and Linderman 2023. */
    S5,
    /** Mamba-2's state space duality layer, Dao and Gu 2024 (state-spaces/mamba, {@code Mamba2.step}). */
    MAMBA2,
    /**
     * SpaceTime's companion-matrix state space (shift plus one learned column), discrete time, Zhang et al. 2023
     * (HazyResearch/spacetime, {@code CompanionSSM}).
     */
    SPACETIME;

    /** Whether d_state counts the states of conjugate pairs, N/2 complex modes, and so must be even. */
    public boolean pairsStates() {
        return this == S4D || this == S4 || this == LSSL;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The config names for messages: {@code mamba, s4d, s4, lssl, lru, s5, mamba2 or spacetime}. */
    public static String choices() {
        Arch[] all = values();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            s.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].configName());
        }
        return s.toString();
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
