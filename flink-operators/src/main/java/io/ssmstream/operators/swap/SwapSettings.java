package io.ssmstream.operators.swap;

import java.io.Serializable;

/**
 * How the forecaster takes model updates.
 *
 * @param modelName    updates for this model name are applied, others ignored (default {@value #DEFAULT_MODEL_NAME})
 * @param windowLength how many of each stream's latest inputs are kept to rebuild its state for a new model;
 *                     0 keeps none (a swap then restarts every stream from a fresh state). Default
 *                     {@value #DEFAULT_WINDOW}: the trainer fits models on windows that start from a zero state
 *                     and scores forecasts from the 17th event on (burn-in 16), so a state rebuilt from 64
 *                     events is well inside what the model was trained for, at 64 × (8 + 4·d_input) bytes per
 *                     stream and a 64-step replay per stream per swap.
 */
public record SwapSettings(String modelName, int windowLength) implements Serializable {
    public static final String DEFAULT_MODEL_NAME = "default";
    public static final int DEFAULT_WINDOW = 64;
    /** A window this long would make every stream's state large and every swap slow. */
    public static final int MAX_WINDOW = 100_000;

    public SwapSettings {
        requireModelName(modelName);
        requireWindowLength(windowLength);
    }

    /** @throws IllegalArgumentException when {@code name} is null or blank */
    public static String requireModelName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank, got " + name);
        }
        return name;
    }

    /** @throws IllegalArgumentException when {@code events} is outside [0, {@value #MAX_WINDOW}] */
    public static int requireWindowLength(int events) {
        if (events < 0 || events > MAX_WINDOW) {
            throw new IllegalArgumentException("swap window must be in [0, " + MAX_WINDOW + "] events, got " + events);
        }
        return events;
    }

    public static SwapSettings defaults() {
        return new SwapSettings(DEFAULT_MODEL_NAME, DEFAULT_WINDOW);
    }
}
