package io.ssmstream.connectors.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secrets of a local secured broker ({@link SelfSignedTls}, {@code ssm-stream kafka --secure}): random
 * passwords, and files that hold a key or a password, readable by their owner only.
 */
public final class LocalSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalSecrets() {
    }

    /** A password of {@code bytes} random bytes as hex digits (JAAS-safe: no quoting needed). */
    public static String randomPassword(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Restricts {@code file} to its owner (rw-------) where the file system has POSIX permissions; elsewhere
     * (Windows) the directory's access rules apply.
     *
     * @throws IllegalStateException if the permissions cannot be set
     */
    public static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions: nothing to restrict here
        } catch (IOException e) {
            throw new IllegalStateException("cannot restrict the permissions of " + file + ": " + e.getMessage(), e);
        }
    }
}
