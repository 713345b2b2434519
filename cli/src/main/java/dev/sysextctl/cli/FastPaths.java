package dev.sysextctl.cli;

import java.util.Optional;

/**
 * Runs whose answer needs no picocli model: {@code sysextctl --version} (or {@code -V}) alone. Building even the
 * top command's model loads picocli (about 170 classes, its annotation proxies and the reflection behind them),
 * several times what printing the version costs; {@link Main} answers these before any of it. The text is the one
 * picocli prints for the same run ({@code FastPathsTest} compares them).
 */
final class FastPaths {
    private FastPaths() {
    }

    /** What to print on stdout for {@code args}, when it needs no command model; empty otherwise. */
    static Optional<String> answer(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return Optional.of(String.join(System.lineSeparator(), BuildVersion.lines())
                    + System.lineSeparator());
        }
        return Optional.empty();
    }
}
