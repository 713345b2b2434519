package dev.sysextctl.builder.source;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.error.SysextctlException;
import java.nio.file.Path;

/** Scans the archive named by the argument in a JVM of its own and prints the paths, for ZstdNoexecIT. */
public final class ScanMain {
    private ScanMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Fixtures.scan(TarSource.open(Path.of(args[0]))).entries().forEach(e -> System.out.println(e.path()));
        } catch (SysextctlException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }
}
