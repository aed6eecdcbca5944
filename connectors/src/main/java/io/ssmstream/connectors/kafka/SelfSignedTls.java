package io.ssmstream.connectors.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed TLS certificate for {@code localhost} in a PKCS12 key store, and a trust store holding it, made
 * with the JDK's own {@code keytool}, for a broker whose clients connect over {@code SSL} or {@code SASL_SSL}.
 *
 * <p>Why keytool: every JDK ships it, so no certificate library is needed to try TLS locally. The certificate's
 * subject alternative names are {@code localhost} and {@code 127.0.0.1}, so clients keep Kafka's default host name
 * verification ({@code ssl.endpoint.identification.algorithm=https}). Both stores share one random password; the
 * key store is readable by its owner only.
 *
 * @param keyStore   the broker's key and certificate, PKCS12
 * @param trustStore the certificate alone, PKCS12, for clients' {@code ssl.truststore.location}
 * @param password   the password of both stores (and of the key)
 */
public record SelfSignedTls(Path keyStore, Path trustStore, String password) {
    private static final String ALIAS = "ssm-stream-localhost";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    public SelfSignedTls {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        ClientProperties.requireText(password, "password");
    }

    /**
     * Creates {@code broker.p12} and {@code truststore.p12} in {@code dir} (made if missing), valid for 365 days.
     *
     * @throws IllegalArgumentException if a store already exists there
     * @throws IllegalStateException    if keytool is missing or fails (its output is in the message)
     */
    public static SelfSignedTls create(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path certificate = dir.resolve("broker.crt");
        for (Path p : List.of(keyStore, trustStore, certificate)) {
            if (Files.exists(p)) {
                throw new IllegalArgumentException(p + " already exists; choose an empty directory");
            }
        }
        String password = LocalSecrets.randomPassword(16);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        keytool(password, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "365",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString());
        LocalSecrets.ownerOnly(keyStore);
        keytool(password, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keyStore.toString(),
                "-file", certificate.toString());
        keytool(password, "-importcert", "-noprompt", "-alias", ALIAS, "-file", certificate.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString());
        return new SelfSignedTls(keyStore, trustStore, password);
    }

    /** Runs keytool; the password goes in an environment variable ({@code -storepass:env}), not on its command line. */
    private static void keytool(String password, String... args) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass:env", "SSM_STREAM_STORE_PASSWORD"));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass:env", "SSM_STREAM_STORE_PASSWORD"));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SSM_STREAM_STORE_PASSWORD", password);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " did not finish in "
                        + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
