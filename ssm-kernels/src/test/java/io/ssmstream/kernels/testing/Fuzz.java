package io.ssmstream.kernels.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a fuzz property: {@code tries} inputs drawn from a generator with a fixed seed, each checked; the first
 * failure is reported with the seed and the try's number (and the input's first bytes), so that it reproduces.
 * Tries: {@value #DEFAULT_TRIES} per property in a build, or {@code -Dssmstream.fuzz.tries=N} for a long run
 * (e.g. {@code mvn -B -ntp verify -Dssmstream.fuzz.tries=100000}).
 */
public final class Fuzz {
    public static final int DEFAULT_TRIES = 1000;
    public static final String TRIES_PROPERTY = "ssmstream.fuzz.tries";

    private Fuzz() {
    }

    /** The tries per property: the system property when set, else {@code defaultTries}. */
    public static int tries(int defaultTries) {
        return Integer.getInteger(TRIES_PROPERTY, defaultTries);
    }

    /** Checks {@link #tries(int)} inputs of {@code generator}, each try with its own {@code Random(seed + try)}. */
    public static <T> void check(long seed, int defaultTries, Function<Random, T> generator, Consumer<T> property) {
        int tries = tries(defaultTries);
        for (int t = 0; t < tries; t++) {
            T input = generator.apply(new Random(seed + t));
            try {
                property.accept(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("fuzz try " + t + " of " + tries + " (seed " + seed + " + " + t + ") failed"
                        + " on " + describe(input) + ": " + e, e);
            }
        }
    }

    /**
     * {@link #check} for readers of files: each try writes a {@link Mutations mutated} copy of one of the seeds to
     * {@code file} (overwriting the last) and gives the property that file.
     */
    public static void checkFiles(long seed, int defaultTries, List<byte[]> seeds, Path file,
                                  Consumer<Path> property) {
        check(seed, defaultTries, r -> Mutations.of(seeds, r), bytes -> {
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            property.accept(file);
        });
    }

    /** The first {@code lines} lines of a text file, each ended by a newline: a seed from a real series. */
    public static byte[] firstLines(Path file, int lines) {
        try (Stream<String> all = Files.lines(file)) {
            return (String.join("\n", all.limit(lines).toList()) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Object input) {
        if (input instanceof byte[] bytes) {
            int n = Math.min(bytes.length, 48);
            return bytes.length + " bytes starting " + HexFormat.of().formatHex(bytes, 0, n);
        }
        String s = String.valueOf(input);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
