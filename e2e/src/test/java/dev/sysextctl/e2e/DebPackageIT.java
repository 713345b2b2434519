package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the Debian package in a clean Debian 12 root. A minbase bookworm root made with mmdebstrap (cached as a
 * tarball keyed by the recipe and the apt sources, like the test bed's root; the downloaded packages are kept in a
 * cache too, so only the first run fetches the Java runtime) gets {@code apt-get install ./sysextctl_*.deb}, which
 * pulls in a Java runtime and squashfs-tools through the package's Depends; then, in a chroot, {@code sysextctl
 * --version} and a {@code sysextctl build} of a small tree work, {@code man sysextctl} renders the packaged page (man-db
 * installed beside it), dpkg knows the package's files, and the package's launcher left a class-data archive per
 * command run in /var/cache/sysextctl, which a later run maps (docs/cli.md §11).
 */
@Requires(root = true, mounts = true, tools = {"mmdebstrap", "dpkg-deb", "mksquashfs", "unsquashfs", "zstd", "chroot",
        "unshare"})
class DebPackageIT {
    private static final String SUITE = "bookworm";
    private static final Path SOURCES = Path.of("/etc/apt/sources.list.d/debian.sources");

    @TempDir
    Path tmp;

    @Test
    void aptInstallsTheDebInACleanDebian12RootAndItsSysextctlBuildsAnImage() throws Exception {
        Dist dist = Dist.get();
        Path root = Files.createDirectories(tmp.resolve("root"));
        Shell.run("tar", "--zstd", "-xpf", minbaseRoot().toString(), "-C", root.toString()).assertSuccess();
        assertThat(root.resolve("usr/bin/java")).as("a clean root has no Java").doesNotExist();
        Files.copy(dist.deb(), root.resolve("tmp").resolve(dist.deb().getFileName()));
        Files.copy(Path.of("/etc/resolv.conf"), root.resolve("etc/resolv.conf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path archives = Files.createDirectories(cache().resolve("archives/partial")).getParent();
        String r = root.toString();
        String deb = "/tmp/" + dist.deb().getFileName();
        Shell.Result result = MountNamespace.run("set -e\n"
                + "mount -t proc proc " + r + "/proc\n"
                + "mount --rbind /dev " + r + "/dev\n"
                + "mount --bind " + archives + " " + r + "/var/cache/apt/archives\n"
                + "export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8\n"
                + "chroot " + r + " apt-get install -y -q " + deb + " man-db >" + r + "/tmp/apt.log 2>&1"
                + " || { tail -40 " + r + "/tmp/apt.log; exit 1; }\n"
                + "echo '--- version'\n"
                + "chroot " + r + " sysextctl --version\n"
                + "echo '--- build'\n"
                + "mkdir -p " + r + "/tmp/tree/usr/bin\n"
                + "printf '#!/bin/sh\\necho hi\\n' >" + r + "/tmp/tree/usr/bin/hi\n"
                + "chmod 755 " + r + "/tmp/tree/usr/bin/hi\n"
                + "chroot " + r + " sysextctl build /tmp/tree --name hi --arch x86-64 -o /tmp/hi.raw\n"
                + "chroot " + r + " sysextctl inspect /tmp/hi.raw --files\n"
                + "echo '--- man'\n"
                + "chroot " + r + " env MANPAGER=cat MANWIDTH=100 man sysextctl\n"
                + "echo '--- files'\n"
                + "chroot " + r + " dpkg -L sysextctl\n"
                + "echo '--- cds'\n"
                + "chroot " + r + " ls /var/cache/sysextctl\n"
                + "echo '--- shared'\n"
                + "chroot " + r + " env SYSEXTCTL_JAVA_OPTS='-Xshare:on -Xlog:class+load=info' sysextctl --version\n"
                + "echo '--- java'\n"
                + "chroot " + r + " sh -c 'readlink -f \"$(command -v java)\"'\n");
        assertThat(result.exitCode()).as(result.all()).isZero();
        String out = result.stdout();
        String version = dist.jar().getFileName().toString().replaceAll("^sysextctl-|\\.jar$", "");
        assertThat(section(out, "version")).isEqualTo("sysextctl " + version + "\n");
        assertThat(section(out, "build")).contains("/tmp/hi.raw: squashfs", "ARCHITECTURE=x86-64", "usr/bin/hi");
        assertThat(root.resolve("tmp/hi.raw")).isRegularFile();
        assertThat(section(out, "files").lines()).contains("/usr/bin/sysextctl", "/usr/share/sysextctl/sysextctl.jar",
                "/usr/share/bash-completion/completions/sysextctl", "/usr/share/doc/sysextctl/copyright",
                "/usr/share/doc/sysextctl/changelog.gz", "/usr/share/man/man1/sysextctl.1.gz",
                "/usr/share/man/man1/sysextctl-build.1.gz");
        assertThat(section(out, "man")).as("man sysextctl in the clean root").contains("NAME", "sysextctl",
                "SYNOPSIS");
        assertThat(section(out, "java")).as("the Java runtime the Depends pulled in").contains("/usr/lib/jvm/");
        assertThat(section(out, "cds").lines()).as("the launcher's class-data archives, one per command run")
                .contains("java-version.jsa", "java-build.jsa", "java-inspect.jsa");
        assertThat(section(out, "shared").lines().filter(l -> l.contains("[class,load] dev.sysextctl.cli.Main ")))
                .as("a later run maps its archive").singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("shared objects file (top)");
    }

    private static String section(String out, String name) {
        String start = "--- " + name + "\n";
        int i = out.indexOf(start);
        assertThat(i).as("section %s in %s", name, out).isNotNegative();
        int end = out.indexOf("\n--- ", i + start.length());
        return out.substring(i + start.length(), end < 0 ? out.length() : end + 1);
    }

    private static Path cache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sysextctl/debian-root");
    }

    /** A minbase root of Debian 12 with its apt lists, made once per recipe with mmdebstrap. */
    private static synchronized Path minbaseRoot() throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("mmdebstrap", "--quiet", "--mode=root",
                "--variant=minbase", "--skip=cleanup/apt/lists", SUITE));
        String recipe = String.join(" ", argv) + (Files.isRegularFile(SOURCES) ? Files.readString(SOURCES) : "");
        String key;
        try {
            key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(recipe.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path tarball = Files.createDirectories(cache()).resolve("bookworm-minbase-" + key + ".tar.zst");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        Path partial = tarball.resolveSibling(tarball.getFileName() + ".part.tar.zst");
        argv.add(partial.toString());
        if (Files.isRegularFile(SOURCES)) {
            argv.add(SOURCES.toString());
        }
        long start = System.nanoTime();
        Shell.Result r = Shell.run(argv, java.util.Map.of(), null, 600);
        Timings.record("mmdebstrap minbase " + SUITE, java.time.Duration.ofNanos(System.nanoTime() - start));
        if (r.exitCode() != 0) {
            Files.deleteIfExists(partial);
            throw new AssertionError("mmdebstrap failed: " + r.all());
        }
        Files.move(partial, tarball, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return tarball;
    }
}
