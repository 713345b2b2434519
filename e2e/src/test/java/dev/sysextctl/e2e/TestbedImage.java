package dev.sysextctl.e2e;

import com.github.dockerjava.api.DockerClient;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.testcontainers.DockerClientFactory;

/**
 * The node image, made by {@code scripts/testbed-image} (built or imported at most once per JVM; the script itself
 * caches the root file system and skips the import when the image exists).
 */
public final class TestbedImage {
    private static String reference;
    private static OsRelease osRelease;

    private TestbedImage() {
    }

    /** The image reference ({@code sysextctl-testbed:KEY}); runs the script on first use. */
    public static synchronized String reference() {
        if (reference == null) {
            Path script = TestEnvironment.repository().resolve("scripts/testbed-image");
            if (!Files.isExecutable(script)) {
                throw new AssertionError(script + " is missing or not executable; the test bed cannot be built");
            }
            long start = System.nanoTime();
            Shell.Result r = Shell.run(List.of(script.toString()), Map.of(), TestEnvironment.repository(), 900);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (r.exitCode() != 0) {
                throw new AssertionError("scripts/testbed-image failed (exit " + r.exitCode() + "):\n" + r.stderr());
            }
            String[] lines = r.stdout().strip().split("\n");
            reference = lines[lines.length - 1].strip();
            // Nothing said and slow: another run (scripts/test's background build) held the lock and built it.
            String how = r.stderr().contains("building") ? "built" : r.stderr().contains("importing") ? "imported"
                    : took.toSeconds() >= 5 ? "waited for another build" : "cached";
            Timings.record("testbed image (" + how + ") " + reference, took);
        }
        return reference;
    }

    /**
     * The os-release of the node image ({@code /usr/lib/os-release}), read once from a container that is created
     * and removed without ever starting.
     */
    public static synchronized OsRelease osRelease() {
        if (osRelease == null) {
            String image = reference();
            Node.hookOnce();
            DockerClient docker = DockerClientFactory.instance().client();
            String id = docker.createContainerCmd(image).withNetworkDisabled(true).exec().getId();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    docker.copyArchiveFromContainerCmd(id, "/usr/lib/os-release").exec())) {
                if (tar.getNextEntry() == null) {
                    throw new AssertionError("the node image " + image + " has no /usr/lib/os-release");
                }
                osRelease = OsRelease.parse(new String(tar.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the os-release of " + image, e);
            } finally {
                docker.removeContainerCmd(id).withForce(true).exec();
            }
        }
        return osRelease;
    }
}
