package dev.sysextctl.e2e;

import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The release files {@code scripts/package} writes, made from the reactor's jar ({@code cli/target/sysextctl.jar})
 * once per JVM into {@code e2e/target/dist} and shared by the tests that need them (a run costs a jlink and two
 * image builds).
 *
 * @param dir the output directory
 * @param jar {@code sysextctl-VERSION.jar}
 * @param deb {@code sysextctl_DEBVERSION_all.deb}
 * @param raw {@code sysextctl-VERSION-ARCH.raw}, sysextctl as a system extension
 * @param sums {@code SHA256SUMS}
 */
public record Dist(Path dir, Path jar, Path deb, Path raw, Path sums) {
    private static Dist shared;

    /** The shared release files, made on first use. */
    public static synchronized Dist get() {
        if (shared == null) {
            shared = make(TestEnvironment.repository().resolve("e2e/target/dist"));
        }
        return shared;
    }

    /** Runs {@code scripts/package --jar cli/target/sysextctl.jar --out OUT}. */
    public static Dist make(Path out) {
        Path repo = TestEnvironment.repository();
        Path jar = repo.resolve("cli/target/sysextctl.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; build it first: ./mvnw -B -q -DskipTests -pl cli -am package");
        }
        long start = System.nanoTime();
        Shell.Result r = Shell.run(List.of(repo.resolve("scripts/package").toString(), "--jar", jar.toString(),
                "--out", out.toString()), Map.of(), repo, 900);
        Timings.record("scripts/package --out " + out.getFileName(), Duration.ofNanos(System.nanoTime() - start));
        if (r.exitCode() != 0) {
            throw new AssertionError("scripts/package failed (exit " + r.exitCode() + "):\n" + r.all());
        }
        return new Dist(out, one(out, "sysextctl-*.jar"), one(out, "sysextctl_*_all.deb"), one(out, "sysextctl-*.raw"),
                out.resolve("SHA256SUMS"));
    }

    /** Every file in the directory, by name. */
    public List<Path> files() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path one(Path dir, String glob) {
        try (var s = Files.newDirectoryStream(dir, glob)) {
            List<Path> found = new java.util.ArrayList<>();
            s.forEach(found::add);
            if (found.size() != 1) {
                throw new AssertionError("scripts/package wrote " + found.size() + " files " + glob + " in " + dir);
            }
            return found.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
