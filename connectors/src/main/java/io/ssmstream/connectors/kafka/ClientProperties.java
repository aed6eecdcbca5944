package io.ssmstream.connectors.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Merges the user's extra Kafka properties with the settings a builder owns.
 *
 * <p>Why: a setting both passed through (e.g. from a shared client properties file) and set by a builder method
 * would otherwise be silently decided by whichever is applied last. Here an extra property may repeat an owned
 * setting with the same value, but a different value is an error naming the key and the builder method to use.
 */
final class ClientProperties {
    private ClientProperties() {
    }

    /**
     * @param extra  the user's properties, copied (never modified)
     * @param owned  key to the value the builder sets, in order
     * @param setter key to the builder method that sets it, for the error message
     */
    static Properties merge(Properties extra, Map<String, String> owned, Map<String, String> setter) {
        Properties out = new Properties();
        for (String key : extra.stringPropertyNames()) {
            out.setProperty(key, extra.getProperty(key));
        }
        owned.forEach((key, value) -> {
            String given = out.getProperty(key);
            if (given != null && !given.equals(value)) {
                throw new IllegalArgumentException("Kafka property " + key + "=" + given + " conflicts with "
                        + setter.getOrDefault(key, "the builder") + " (" + value + "); set it there, not as a property");
            }
            out.setProperty(key, value);
        });
        return out;
    }

    /** Copies string entries of {@code from} into {@code into}, rejecting non-string keys or values. */
    static void addAll(Properties into, Properties from) {
        Objects.requireNonNull(from, "properties");
        from.forEach((k, v) -> {
            if (!(k instanceof String key) || !(v instanceof String value)) {
                throw new IllegalArgumentException("properties: Kafka property keys and values must be strings, got "
                        + k + "=" + v);
            }
            into.setProperty(key, value);
        });
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank, got " + (value == null ? "null"
                    : "\"" + value + "\""));
        }
        return value;
    }
}
