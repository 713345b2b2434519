package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.converter.fixtures.SquashfsArchives;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three writers of "keep this image out" (issue 14): {@code sysextctl mask}, {@code convert torcx-profile
 * --enable} over a Flatcar root whose built-in docker it replaces, and {@code ignition --mask} applied to a root (the
 * mask directory {@code sysextctl mask} writes, plus the {@code /dev/null} link over the built-in's link). For
 * each resulting root, the real systemd-sysext 252 merges it (in a chroot of the root, where links in the search
 * directories are followed as on a booted node) and the set it merges must be the set {@code sysextctl list} says
 * will merge; the forms are described by {@code list} and {@code explain} for what they do (docs/compatibility.md
 * §1.4). The Ignition config is applied by this test (its directories and links, and its files copied from the local image instead of
 * downloaded): the real Ignition files stage runs in e2e's FirstBootIT.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unsquashfs", "unshare", "chroot"})
class MaskFormsAgreeIT {
    private static final String FLATCAR_RELEASE = "ID=flatcar\nVERSION_ID=3760.2.0\nSYSEXT_LEVEL=1.0\n";
    private static final String BUILT_IN = "/usr/share/flatcar/sysext/docker-flatcar.raw";
    private static final Pattern USING = Pattern.compile("Using extensions (.*)\\.");

    @TempDir
    Path tmp;

    @Test
    void maskMakesAnEmptyDirectoryThatKeepsEveryImageOfTheNameOut() throws Exception {
        Path root = flatcarRoot(tmp.resolve("root"));
        image(root.resolve("var/lib/extensions/m.raw"), "m");
        image(root.resolve("var/lib/extensions/other.raw"), "other");
        agree(root, "m", "other");

        Cli.Run r = Cli.run("mask", "m", "--root", root.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(root.resolve("etc/extensions/m")).isEmptyDirectory();
        agree(root, "other");
        assertThat(state(root, "m")).isEqualTo("masked");
    }

    @Test
    void convertEnableDisablesTheBuiltInItReplacesWithADevNullLink() throws Exception {
        Path sq = SquashfsArchives.write(TorcxFixtures.f1Builder(false),
                tmp.resolve("src/docker:19.03.torcx.squashfs"));
        Path root = chrootable(TorcxFixtures.f2(tmp.resolve("root"), sq));
        builtIn(root);
        agree(root, "docker-flatcar");

        Cli.Run r = Cli.run("convert", "torcx-profile", "--root", root.toString(), "-o", tmp.resolve("out").toString(),
                "--enable", "--arch", "x86_64");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"))).hasToString("/dev/null");
        agree(root, "addon_01", "docker");
        assertDescribedAsDisabling(root);
    }

    @Test
    void ignitionMaskMasksTheLinkedBuiltInAndACopyElsewhere() throws Exception {
        Path hello = tmp.resolve("hello.raw");
        image(hello, "hello");
        Cli.Run r = Cli.run("ignition", hello.toString(), "--base-url", "https://example.com/x", "--mask",
                "docker-flatcar");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode config = new ObjectMapper().readTree(r.out());

        Path linked = flatcarRoot(tmp.resolve("linked"));
        builtIn(linked);
        agree(linked, "docker-flatcar");
        applyIgnition(config, linked, hello);
        assertThat(linked.resolve("etc/extensions/docker-flatcar")).isEmptyDirectory();
        assertThat(Files.readSymbolicLink(linked.resolve("etc/extensions/docker-flatcar.raw"))).hasToString("/dev/null");
        agree(linked, "hello");
        assertThat(state(linked, "docker-flatcar")).isEqualTo("masked");

        Path copied = flatcarRoot(tmp.resolve("copied"));
        builtIn(copied);
        image(copied.resolve("var/lib/extensions/docker-flatcar.raw"), "docker-flatcar");
        agree(copied, "docker-flatcar");
        applyIgnition(config, copied, hello);
        agree(copied, "hello");
        assertThat(state(copied, "docker-flatcar")).isEqualTo("masked");
        Cli.Run explain = Cli.run("explain", "docker-flatcar", "--root", copied.toString());
        assertThat(explain.out()).as(explain.toString()).contains("masked");
    }

    /** systemd-sysext 252 merges exactly {@code names}, and list says exactly those will merge. */
    private void agree(Path root, String... names) throws Exception {
        Set<String> expected = new TreeSet<>(Arrays.asList(names));
        assertThat(systemdMerges(root)).as("merged by systemd-sysext 252 in " + root).isEqualTo(expected);
        assertThat(listWillMerge(root)).as("what 'sysextctl list' says will merge in " + root).isEqualTo(expected);
    }

    private void assertDescribedAsDisabling(Path root) throws Exception {
        Cli.Run list = Cli.run("list", "--root", root.toString());
        assertThat(list.out()).as(list.toString()).contains("/etc/extensions/docker-flatcar.raw: a link to /dev/null: "
                + "disables a built-in image whose link it replaces (disabled: 'docker-flatcar' is hidden from "
                + "/etc/extensions; it does not mask");
        Cli.Run explain = Cli.run("explain", "docker-flatcar", "--root", root.toString());
        assertThat(explain.exit()).as(explain.toString()).isZero();
        assertThat(explain.out()).contains("docker-flatcar: disabled: /etc/extensions/docker-flatcar.raw -> /dev/null "
                + "hides it from /etc/extensions");
    }

    private static JsonNode json(Path root) throws Exception {
        Cli.Run r = Cli.run("list", "--root", root.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return r.json();
    }

    private static Set<String> listWillMerge(Path root) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode i : json(root).path("images")) {
            if (i.path("state").asText().equals("active") && !i.path("compatible").asText().equals("false")) {
                out.add(i.path("name").asText());
            }
        }
        return out;
    }

    private static String state(Path root, String name) throws Exception {
        for (JsonNode i : json(root).path("images")) {
            if (i.path("name").asText().equals(name)) {
                return i.path("state").asText();
            }
        }
        return null;
    }

    /** What the real systemd-sysext merges in a chroot of {@code root} (host /usr under the root's own /usr). */
    private static Set<String> systemdMerges(Path root) {
        String script = "R='" + root + "'\n"
                + "mount --bind \"$R\" \"$R\" && mount -t overlay -o \"lowerdir=$R/usr:/usr\" chrootusr \"$R/usr\""
                + " && mount --rbind /dev \"$R/dev\" && mount -t proc proc \"$R/proc\" && mount --rbind /sys \"$R/sys\""
                + " && mount -t tmpfs tmpfs \"$R/run\" || exit 97\n"
                + "chroot \"$R\" systemd-sysext merge 2>&1; echo \"@@rc $?\"\n";
        Shell.Result r = MountNamespace.run(script);
        String out = r.stdout();
        assertThat(out).as(out + r.stderr()).contains("@@rc 0");
        Set<String> merged = new TreeSet<>();
        Matcher m = USING.matcher(out);
        if (m.find()) {
            for (String n : m.group(1).split(", ")) {
                merged.add(n.replace("'", ""));
            }
        } else {
            assertThat(out).as(out).containsAnyOf("No suitable extensions found", "No extensions found");
        }
        return merged;
    }

    /**
     * The config's directories and links made in {@code root} (overwriting), and its files copied from {@code image}.
     */
    private static void applyIgnition(JsonNode config, Path root, Path image) throws Exception {
        for (JsonNode f : config.path("storage").path("files")) {
            Path p = root.resolve(f.path("path").asText().substring(1));
            Files.createDirectories(p.getParent());
            Files.copy(image, p);
        }
        for (JsonNode d : config.path("storage").path("directories")) {
            Path p = root.resolve(d.path("path").asText().substring(1));
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(d.path("overwrite").asBoolean()).as("Ignition replaces " + p + " only with overwrite")
                        .isTrue();
                Files.delete(p);
            }
            assertThat(d.path("mode").asInt()).as("the mode of " + p).isEqualTo(0755);
            Files.createDirectories(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (JsonNode l : config.path("storage").path("links")) {
            Path p = root.resolve(l.path("path").asText().substring(1));
            Files.createDirectories(p.getParent());
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(l.path("overwrite").asBoolean()).as("Ignition replaces " + p + " only with overwrite")
                        .isTrue();
                Files.delete(p);
            }
            Files.createSymbolicLink(p, Path.of(l.path("target").asText()));
        }
    }

    /** Flatcar's built-in docker: the image outside the search directories, linked from /etc/extensions. */
    private void builtIn(Path root) throws Exception {
        image(root.resolve(BUILT_IN.substring(1)), "docker-flatcar");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"), Path.of(BUILT_IN));
    }

    private static Path flatcarRoot(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("usr/lib"));
        Files.writeString(dir.resolve("usr/lib/os-release"), FLATCAR_RELEASE);
        return chrootable(dir);
    }

    /** The merged-usr links and the mount points a chroot needs. */
    private static Path chrootable(Path dir) throws Exception {
        for (String l : List.of("bin", "sbin", "lib", "lib64")) {
            if (!Files.exists(dir.resolve(l), LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(dir.resolve(l), Path.of("usr/" + l));
            }
        }
        for (String d : List.of("dev", "proc", "sys", "run", "tmp", "etc", "usr/share")) {
            Files.createDirectories(dir.resolve(d));
        }
        return dir;
    }

    /** A squashfs image {@code name} for this Flatcar at {@code file}, with one file of its own. */
    private void image(Path file, String name) throws Exception {
        Path t = Files.createTempDirectory(tmp, name + "-tree");
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release." + name),
                "ID=flatcar\nSYSEXT_LEVEL=1.0\n");
        Files.createDirectories(t.resolve("usr/share/masks-agree"));
        Files.writeString(t.resolve("usr/share/masks-agree/" + name), name);
        Files.createDirectories(file.getParent());
        List<String> argv = new ArrayList<>(List.of("mksquashfs", t.toString(), file.toString(), "-noappend",
                "-all-root", "-quiet", "-no-progress"));
        Shell.run(argv).assertSuccess();
    }
}
