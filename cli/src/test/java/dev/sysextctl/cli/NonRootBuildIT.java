package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An ordinary user building from a tar archive gets the image root gets: every entry root's, setuid/setgid/sticky
 * modes, symlinks, hard links, empty directories and device nodes kept, byte for byte the same file.
 */
@Requires(root = true, tools = {"setpriv", "mksquashfs", "unsquashfs", "tar", "mknod"})
class NonRootBuildIT {
    static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    Path work;

    @BeforeEach
    void work() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "sysextctl-nonroot-");
        Files.setAttribute(work, "unix:mode", 0755);
        Path tree = work.resolve("tree");
        Shell.shOk("mkdir -p '" + tree + "' && cd '" + tree + "' && mkdir -p usr/bin usr/lib/app usr/share/empty "
                + "opt/app/spool && printf '#!/bin/sh\\necho app\\n' > usr/bin/app && chmod 4755 usr/bin/app && "
                + "ln usr/bin/app usr/bin/app-hard && ln -s app usr/bin/app-link && chmod 2750 usr/lib/app && "
                + "chmod 1777 opt/app/spool && printf secret > usr/lib/app/key && chmod 0400 usr/lib/app/key && "
                + "chown -R 1234:5678 usr/lib/app && mknod usr/lib/whiteout c 0 0 && "
                + "tar --format=pax -czf ../app.tar.gz . && mkdir ../out && chown 65534:65534 ../out");
    }

    @AfterEach
    void clean() {
        Shell.sh("rm -rf '" + work + "'");
    }

    @Test
    void anUnprivilegedBuildEqualsTheRootBuild() {
        Shell.Result asRoot = Jar.run(List.of(), work, "build", "app.tar.gz", "--name", "app", "--arch", "x86-64",
                "-o", "out/root.raw", "--json");
        assertThat(asRoot.exitCode()).as(asRoot.stderr()).isZero();
        Shell.Result asNobody = Jar.run(NOBODY, work, "build", "app.tar.gz", "--name", "app", "--arch", "x86-64",
                "-o", "out/nobody.raw", "--json");
        assertThat(asNobody.exitCode()).as(asNobody.stderr()).isZero();
        assertThat(Shell.shOk("stat -c %u '" + work.resolve("out/nobody.raw") + "'").stdout().trim()).isEqualTo("65534");

        String rootListing = Shell.shOk("unsquashfs -lln '" + work.resolve("out/root.raw") + "'").stdout();
        String nobodyListing = Shell.shOk("unsquashfs -lln '" + work.resolve("out/nobody.raw") + "'").stdout();
        assertThat(nobodyListing).isEqualTo(rootListing);
        assertThat(nobodyListing).contains("-rwsr-xr-x 0/0", "squashfs-root/usr/bin/app\n",
                "drwxr-s--- 0/0", "squashfs-root/usr/lib/app\n", "drwxrwxrwt 0/0", "squashfs-root/opt/app/spool\n",
                "-r-------- 0/0", "squashfs-root/usr/lib/app/key\n", "lrwxrwxrwx 0/0",
                "squashfs-root/usr/bin/app-link -> app", "drwx", "squashfs-root/usr/share/empty\n",
                "crw-r--r-- 0/0", "0,  0", "squashfs-root/usr/lib/whiteout");
        assertThat(nobodyListing).doesNotContain(" 1234/", " 65534/");
        assertThat(sha(asNobody.stdout())).isEqualTo(sha(asRoot.stdout())).hasSize(64);
        assertThat(Shell.shOk("cmp '" + work.resolve("out/root.raw") + "' '" + work.resolve("out/nobody.raw")
                + "' && echo same").stdout()).contains("same");
    }

    @Test
    void anUnprivilegedKeepOwnershipBuildKeepsTheArchivesOwners() {
        Shell.Result r = Jar.run(NOBODY, work, "build", "app.tar.gz", "--name", "app", "--arch", "x86-64",
                "--keep-ownership", "-o", "out/owned.raw");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("warning[non-root-owner] usr/lib/app/key");
        assertThat(Shell.shOk("unsquashfs -lln '" + work.resolve("out/owned.raw") + "'").stdout())
                .contains("-r-------- 1234/5678");
    }

    private static String sha(String json) {
        return json.replaceAll("(?s).*\"sha256\" : \"([0-9a-f]+)\".*", "$1");
    }
}
