package eu.erpdetachement.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout the tests run in, and its files: the tests that hold docs and deployment files to the code read them here. */
final class RepositoryFiles {

    private RepositoryFiles() {
    }

    /** The checkout's root: the nearest folder up from the working directory with the parent POM and contracts/. */
    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("contracts")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No checkout root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
