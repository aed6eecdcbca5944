package io.ssmstream.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Where the cluster tests keep their processes' files: under {@code ssmstream.cluster.workDir}, one folder each. */
final class WorkDirs {
    private WorkDirs() {
    }

    /** The root, {@code target/cluster} in the build. */
    static Path root() {
        return Path.of(FlinkProcessCluster.requiredProperty("ssmstream.cluster.workDir")).toAbsolutePath();
    }

    /** Deletes {@code dir} and everything in it, if it exists: a test starts from an empty folder. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
