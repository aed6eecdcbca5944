package io.ssmstream.connectors.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;

/**
 * Logs in to Kafka once with the user's client settings before a command starts its real clients, and turns a
 * refusal into one sentence that says what to fix.
 *
 * <p>Why: a Kafka client that cannot log in does not fail, it retries; the Flink job's source and sinks would
 * then restart forever (the restart strategy of a checkpointed job has no limit) while the log fills with
 * authentication errors. Checked first, wrong credentials, an untrusted certificate or a listener that speaks
 * another protocol are a user error at start. Messages never contain a secret: Kafka's are scrubbed with
 * {@link KafkaProperties#scrub} in case they quote the configuration.
 */
public final class KafkaConnectionCheck {
    /** How long the check waits for the broker by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaConnectionCheck() {
    }

    /**
     * {@link #verify(String, Properties, Duration)} waiting as long as the settings' {@code default.api.timeout.ms}
     * (the clients' own limit on a call), else {@link #DEFAULT_TIMEOUT}.
     */
    public static void verify(String bootstrapServers, Properties clientProperties) {
        String apiTimeout = clientProperties.getProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
        Duration timeout = DEFAULT_TIMEOUT;
        if (apiTimeout != null) {
            try {
                timeout = Duration.ofMillis(Long.parseLong(apiTimeout.strip()));
            } catch (NumberFormatException e) {
                throw new KafkaConnectionException("invalid Kafka client settings: "
                        + AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG + " must be milliseconds, got " + apiTimeout);
            }
        }
        verify(bootstrapServers, clientProperties, timeout);
    }

    /**
     * Connects an admin client with these settings and asks for the cluster id (any logged-in client may).
     *
     * @param clientProperties the user's settings (security.protocol, sasl.*, ssl.*...), not modified
     * @throws KafkaConnectionException naming the brokers and what to check, when the settings are invalid, the
     *                                  login or the TLS handshake is refused, or no broker answers in time
     */
    public static void verify(String bootstrapServers, Properties clientProperties, Duration timeout) {
        ClientProperties.requireText(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(clientProperties, "clientProperties");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        Properties props = new Properties();
        ClientProperties.addAll(props, clientProperties);
        props.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        String millis = Long.toString(timeout.toMillis());
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        String protocol = props.getProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT");
        String mechanism = props.getProperty(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
        Admin admin;
        try {
            admin = Admin.create(props);
        } catch (RuntimeException e) {
            throw new KafkaConnectionException("invalid Kafka client settings: "
                    + KafkaProperties.scrub(rootMessage(e), clientProperties));
        }
        try (admin) {
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw refusal(bootstrapServers, protocol, mechanism, e.getCause(), clientProperties, timeout);
        } catch (TimeoutException e) {
            throw noAnswer(bootstrapServers, protocol, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectionException("interrupted while connecting to Kafka at " + bootstrapServers);
        }
    }

    private static KafkaConnectionException refusal(String brokers, String protocol, String mechanism,
                                                    Throwable cause, Properties settings, Duration timeout) {
        String why = sentence(KafkaProperties.scrub(rootMessage(cause), settings));
        if (cause instanceof UnsupportedSaslMechanismException) {
            return new KafkaConnectionException("Kafka at " + brokers + " does not accept sasl.mechanism="
                    + mechanism + ": " + why);
        }
        if (cause instanceof SaslAuthenticationException) {
            return new KafkaConnectionException("Kafka at " + brokers + " refused the login (sasl.mechanism="
                    + mechanism + "): " + why + " Check the user name and password in sasl.jaas.config.");
        }
        if (cause instanceof SslAuthenticationException) {
            return new KafkaConnectionException("the TLS handshake with Kafka at " + brokers + " failed: " + why
                    + " Check that the broker's certificate is in ssl.truststore.location and that the listener"
                    + " speaks TLS.");
        }
        if (cause instanceof AuthenticationException) {
            return new KafkaConnectionException("Kafka at " + brokers + " refused the connection: " + why);
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return noAnswer(brokers, protocol, timeout);
        }
        return new KafkaConnectionException("cannot connect to Kafka at " + brokers + ": " + why);
    }

    private static KafkaConnectionException noAnswer(String brokers, String protocol, Duration timeout) {
        return new KafkaConnectionException("no answer from Kafka at " + brokers + " within " + timeout.toSeconds()
                + " s with security.protocol=" + protocol + ": check the address, and that the listener expects "
                + protocol + " (a SASL or TLS listener drops clients that speak another protocol)");
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /** The innermost message: Kafka wraps the one that says what is wrong ("Failed to create ..." outside). */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message.strip();
    }
}
