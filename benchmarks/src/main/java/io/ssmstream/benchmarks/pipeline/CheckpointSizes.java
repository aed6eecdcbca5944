package io.ssmstream.benchmarks.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The largest checkpoint a run wrote: every {@link #PERIOD_MS} ms while the run lasts, the bytes of each
 * {@code chk-N} directory under its checkpoint directory, the largest kept. Sampled, not read at the end: a
 * finished job's checkpoints are deleted. The report shows it so that the floor's state can be seen to take as
 * many bytes as the model's where they are stored (RocksDB compresses its files; a full checkpoint copies them).
 * With incremental checkpoints a {@code chk-N} directory holds only what is not shared with earlier ones.
 */
final class CheckpointSizes extends PeriodicSampler {
    static final long PERIOD_MS = 2_000;

    private final Path root;
    private volatile long largest;

    /** @param root the job's checkpoint directory; need not exist yet */
    CheckpointSizes(Path root) {
        super("checkpoint-sizes", PERIOD_MS);
        this.root = root;
        start();
    }

    @Override
    protected void sample() {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isDirectory).filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .mapToLong(CheckpointSizes::bytes).max().ifPresent(b -> largest = Math.max(largest, b));
        } catch (IOException | UncheckedIOException e) {
            // Not written yet, or a checkpoint deleted while it was walked (Flink keeps the latest only): the
            // next sample sees the others. A figure for the report, so a sample it cannot take never fails a run.
        }
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest checkpoint's bytes seen so far, 0 if none. */
    long largestBytes() {
        return largest;
    }
}
