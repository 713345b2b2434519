package dev.sysextctl.cli;

import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the packaged {@code cli/target/sysextctl.jar} in its own JVM (integration tests). */
final class Jar {
    private Jar() {
    }

    static Path path() {
        Path jar = TestEnvironment.repository().resolve("cli/target/sysextctl.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; integration tests run after 'package'");
        }
        return jar;
    }

    /** {@code java -jar sysextctl.jar ARGS}, optionally prefixed (e.g. by setpriv), in {@code dir}. */
    static Shell.Result run(List<String> prefix, Path dir, String... args) {
        return run(prefix, Path.of("/tmp"), dir, args);
    }

    /** {@link #run(List, Path, String...)} with {@code java.io.tmpdir} at {@code tmpdir}. */
    static Shell.Result run(List<String> prefix, Path tmpdir, Path dir, String... args) {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of("java", "-Djava.io.tmpdir=" + tmpdir, "-jar", path().toString()));
        argv.addAll(List.of(args));
        return Shell.run(argv, Map.of(), dir, 600);
    }
}
