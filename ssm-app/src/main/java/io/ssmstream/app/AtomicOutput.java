package io.ssmstream.app;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file through a temporary file in the same directory that is moved into place only when writing
 * succeeded, so that a failed run leaves no partial file (and an existing file stays as it was).
 */
final class AtomicOutput {
    interface Writer {
        void write(Path temp) throws IOException;
    }

    private AtomicOutput() {
    }

    /**
     * @throws UserException when the directory does not exist or the file cannot be written
     */
    static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserException("cannot write " + target + ": directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new UserException("cannot write " + target + ": it is a directory");
        }
        Path temp = createTemp(target, dir, absolute.getFileName().toString());
        boolean moved = false;
        try {
            writer.write(temp);
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Files.createFile rather than createTempFile: the new file gets the umask's permissions, not 0600. */
    private static Path createTemp(Path target, Path dir, String name) {
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw new UserException("cannot write " + target + ": cannot create a temporary file in " + dir);
                }
            } catch (IOException e) {
                throw new UserException("cannot write " + target + ": " + describe(e), e);
            }
        }
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        if (type.equals("AccessDeniedException")) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : type;
    }
}
