package dev.sysextctl.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chase_symlinks(CHASE_PREFIX_ROOT): links never lead out of the root. */
class RootedPathsTest {
    @TempDir
    Path root;

    @Test
    void absoluteLinkTargetsStayInsideTheRoot() throws IOException {
        Files.createDirectories(root.resolve("srv/store"));
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/a.raw"), Path.of("/srv/store/a.raw"));
        assertThat(RootedPaths.resolve(root, "/etc/extensions/a.raw"))
                .isEqualTo(root.toAbsolutePath().normalize().resolve("srv/store/a.raw"));
    }

    @Test
    void dotDotStopsAtTheRoot() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/escape"), Path.of("../../../../etc/passwd"));
        Path p = RootedPaths.resolve(root, "etc/escape");
        assertThat(p).isEqualTo(root.toAbsolutePath().normalize().resolve("etc/passwd"));
        assertThat(RootedPaths.isInside(root, p)).isTrue();
        assertThat(RootedPaths.resolve(root, "../../x")).isEqualTo(root.toAbsolutePath().normalize().resolve("x"));
    }

    @Test
    void symlinkedDirectoriesAreFollowed() throws IOException {
        Files.createDirectories(root.resolve("var/opt"));
        Files.createSymbolicLink(root.resolve("opt"), Path.of("var/opt"));
        assertThat(RootedPaths.resolve(root, "/opt/x")).isEqualTo(root.toAbsolutePath().normalize().resolve("var/opt/x"));
    }

    @Test
    void loopsAreAnError() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> RootedPaths.resolve(root, "a")).isInstanceOf(IOException.class)
                .hasMessageContaining("too many levels");
        assertThat(RootedPaths.resolveExisting(root, "a")).isEmpty();
    }

    @Test
    void missingComponentsAreAppended() throws IOException {
        assertThat(RootedPaths.resolve(root, "no/such")).isEqualTo(root.toAbsolutePath().normalize().resolve("no/such"));
        assertThat(RootedPaths.resolveExisting(root, "no/such")).isEmpty();
    }
}
