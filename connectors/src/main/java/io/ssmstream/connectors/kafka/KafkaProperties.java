package io.ssmstream.connectors.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Extra Kafka client settings given by the user, as {@code key=value} strings (command line) and as a
 * {@code .properties} file (e.g. {@code security.protocol}, {@code sasl.jaas.config}, {@code ssl.truststore.location}).
 *
 * <p>Why: the job never interprets these settings, it passes them through to every consumer and producer, so
 * that any SASL/SSL setup Kafka supports works without a flag per setting. Errors name the bad pair or file so
 * that a typo is found at startup, not as an opaque connection failure.
 */
public final class KafkaProperties {
    /** What is shown instead of a secret value. */
    public static final String HIDDEN = "[hidden]";
    /** A quoted {@code password="..."} (or {@code secret}, {@code token}) option inside JAAS configuration text. */
    private static final Pattern JAAS_SECRET_OPTION = Pattern.compile(
            "((?:password|secret|token)\\w*\\s*=\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;]+)", Pattern.CASE_INSENSITIVE);

    private KafkaProperties() {
    }

    /**
     * Whether a key's value is a secret: passwords, JAAS configurations (they carry passwords), private keys,
     * OAuth client secrets. Such values are never printed or logged by ssm-stream; Kafka's clients log them as
     * {@value #HIDDEN} too.
     */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.endsWith("jaas.config") || k.contains("secret")
                || k.endsWith(".key") || k.contains("keystore.key") || k.contains("credentials");
    }

    /** The properties in key order, for display: each secret value replaced by {@value #HIDDEN}. */
    public static Map<String, String> redacted(Properties props) {
        Map<String, String> shown = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            shown.put(key, isSecret(key) ? HIDDEN : props.getProperty(key));
        }
        return shown;
    }

    /**
     * {@code text} with every secret value of {@code props} replaced by {@value #HIDDEN}, and any
     * {@code password=...} option in it too: for messages of exceptions that may quote the configuration.
     */
    public static String scrub(String text, Properties props) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key);
            if (isSecret(key) && !value.isEmpty()) {
                out = out.replace(value, HIDDEN);
            }
        }
        return JAAS_SECRET_OPTION.matcher(out).replaceAll("$1" + HIDDEN);
    }

    /**
     * Parses {@code key=value} pairs. The key is trimmed and must not be empty; the value is everything after the
     * first {@code =}, kept as is (it may contain {@code =} and may be empty). A later pair overrides an earlier
     * one with the same key.
     *
     * @throws IllegalArgumentException naming the pair when it has no {@code =} or an empty key
     */
    public static Properties parse(Collection<String> pairs) {
        Objects.requireNonNull(pairs, "pairs");
        Properties props = new Properties();
        for (String pair : pairs) {
            if (pair == null) {
                throw new IllegalArgumentException("Kafka property must be key=value, got null");
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Kafka property \"" + pair + "\" must be key=value (no '=' found)");
            }
            String key = pair.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("Kafka property \"" + pair + "\" has an empty key");
            }
            props.setProperty(key, pair.substring(eq + 1));
        }
        return props;
    }

    /** {@link #parse(Collection)} of the given pairs. */
    public static Properties parse(String... pairs) {
        Objects.requireNonNull(pairs, "pairs");
        return parse(Arrays.asList(pairs));
    }

    /**
     * Reads a {@code .properties} file (UTF-8, {@link Properties#load(Reader)} syntax).
     *
     * @throws IllegalArgumentException naming the file when it does not exist, is not a regular file or cannot
     *                                  be read or parsed
     */
    public static Properties load(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Kafka properties file " + file
                    + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read Kafka properties file " + file + ": " + e.getMessage(), e);
        }
        return props;
    }

    /**
     * The settings of an optional file, then the pairs on top (a pair overrides the file's value for its key).
     *
     * @param file  a properties file, or null for none
     * @param pairs {@code key=value} strings, possibly empty
     */
    public static Properties merge(Path file, Collection<String> pairs) {
        Properties props = file == null ? new Properties() : load(file);
        props.putAll(parse(pairs));
        return props;
    }
}
