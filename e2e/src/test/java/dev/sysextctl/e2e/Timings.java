package dev.sysextctl.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Where the bed's times go: one line per measurement in {@code target/e2e-timings.txt} (failsafe runs in the
 * module's directory) and on stderr. Measurements, never assertions: speed targets belong to benchmarks.
 */
final class Timings {
    private static final Path FILE = Path.of("target", "e2e-timings.txt");

    private Timings() {
    }

    static synchronized void record(String what, Duration took) {
        String line = String.format("%-60s %7d ms%n", what, took.toMillis());
        System.err.print("e2e timing: " + line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("e2e timing: cannot write " + FILE.toAbsolutePath() + ": " + e.getMessage());
        }
    }
}
