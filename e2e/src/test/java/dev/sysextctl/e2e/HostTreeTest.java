package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTreeTest {
    @TempDir
    Path tmp;

    @Test
    void packsDirectoriesFilesAndLinksAsTheyAreOwnedByRootParentsFirst() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"), Path.of("/dev/null"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker.raw"), Path.of("/opt/extensions/docker/docker.raw"));
        Files.createDirectories(root.resolve("opt/extensions/docker"));
        Path raw = Files.writeString(root.resolve("opt/extensions/docker/docker.raw"), "image");
        Files.setPosixFilePermissions(raw, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(root.resolve("opt"), PosixFilePermissions.fromString("rwxr-x---"));

        List<String> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(pack(root, "/")))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(e.getLongUserId()).isZero();
                assertThat(e.getLongGroupId()).isZero();
                String what = e.isSymbolicLink() ? "-> " + e.getLinkName()
                        : e.isDirectory() ? "dir" : "file " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                entries.add(e.getName() + " " + Integer.toOctalString(e.getMode() & 07777) + " " + what);
            }
        }

        assertThat(entries).containsExactly(
                "etc/ 755 dir",
                "etc/extensions/ 755 dir",
                "etc/extensions/docker-flatcar.raw 777 -> /dev/null",
                "etc/extensions/docker.raw 777 -> /opt/extensions/docker/docker.raw",
                "opt/ 750 dir",
                "opt/extensions/ 755 dir",
                "opt/extensions/docker/ 755 dir",
                "opt/extensions/docker/docker.raw 640 file image");
    }

    @Test
    void aFirstBootTreeMayNotHoldRunOrTmp() throws Exception {
        Files.createDirectories(tmp.resolve("root/run/x"));
        assertThatThrownBy(() -> Node.builder().tree(tmp.resolve("root")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/run");
    }

    private static byte[] pack(Path root, String destination) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            new HostTree(root).transferTo(tar, destination);
            tar.finish();
        }
        return bytes.toByteArray();
    }
}
