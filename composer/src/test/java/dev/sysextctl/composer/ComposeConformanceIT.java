package dev.sysextctl.composer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code compose} against the real thing: each scenario's base and extensions are merged by systemd-sysext 252
 * under {@code --root} in a private mount namespace, and the composed image, unpacked with unsquashfs, must show
 * the same entries (type, mode, owner, content, link target) under {@code usr/} and {@code opt/}. The one
 * deliberate difference: systemd's marker directory {@code usr/.systemd-sysext} (a live merge's, docs/cli.md
 * §10) is in the merged {@code /usr} and not in the image, which {@link #listing} leaves out
 * and {@link #theMarkerIsTheOnlyDifference} checks.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unsquashfs", "unshare",
        "mkfs.erofs", "setfattr"})
class ComposeConformanceIT {
    private static final String RELEASE = "ID=debian\nVERSION_ID=12\n";
    private static final String MARKER = "usr/.systemd-sysext";
    private static final String OPT_MARKER = "opt/.systemd-sysext";

    @TempDir
    Path tmp;

    /** A tree written as root: files, directories, symlinks with modes and owners. */
    static final class Tree {
        final Path root;

        Tree(Path root) {
            this.root = root;
        }

        Tree file(String path, String content) {
            return file(path, content, 0644, 0, 0);
        }

        Tree file(String path, String content, int mode, int uid, int gid) {
            try {
                Path p = root.resolve(path);
                Files.createDirectories(p.getParent());
                Files.writeString(p, content);
                own(p, mode, uid, gid);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Tree dir(String path, int mode, int uid, int gid) {
            try {
                Path p = root.resolve(path);
                Files.createDirectories(p);
                own(p, mode, uid, gid);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        Tree link(String path, String target) {
            try {
                Path p = root.resolve(path);
                Files.createDirectories(p.getParent());
                Files.createSymbolicLink(p, Path.of(target));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** An overlayfs whiteout at {@code path}: a character device 0:0. */
        Tree whiteout(String path) {
            try {
                Files.createDirectories(root.resolve(path).getParent());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Shell.run("mknod", root.resolve(path).toString(), "c", "0", "0").assertSuccess();
            return this;
        }

        /** Marks the directory {@code path} opaque, as overlayfs reads it: {@code trusted.overlay.opaque=y}. */
        Tree opaque(String path) {
            Shell.run("setfattr", "-n", OverlayTree.OPAQUE_XATTR, "-v", "y", root.resolve(path).toString())
                    .assertSuccess();
            return this;
        }

        private static void own(Path p, int mode, int uid, int gid) throws IOException {
            Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** One scenario: a base, extensions (squashfs unless named otherwise) and what to check on the report. */
    final class Scenario {
        final Path dir;
        final Tree base;
        final List<Path> extensions = new ArrayList<>();
        boolean force;

        Scenario(String name) throws IOException {
            dir = Files.createDirectories(tmp.resolve(name));
            base = new Tree(dir.resolve("base")).file("usr/lib/os-release", RELEASE)
                    .file("usr/bin/base-tool", "base\n", 0755, 0, 0).file("usr/share/base/readme", "base readme\n");
        }

        Scenario ext(String name, Consumer<Tree> content) {
            return ext(name, RELEASE, "squashfs", content);
        }

        Scenario ext(String name, String release, String format, Consumer<Tree> content) {
            Tree t = new Tree(dir.resolve("trees/" + name)).file("usr/lib/extension-release.d/extension-release."
                    + name, release);
            content.accept(t);
            Path image = dir.resolve("images/" + name + (format.equals("directory") ? "" : ".raw"));
            try {
                Files.createDirectories(image.getParent());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            switch (format) {
                case "squashfs" -> Shell.run("mksquashfs", t.root.toString(), image.toString(), "-quiet",
                        "-no-progress").assertSuccess();
                case "erofs" -> Shell.run("mkfs.erofs", "--quiet", image.toString(), t.root.toString()).assertSuccess();
                default -> Shell.run("cp", "-a", t.root.toString(), image.toString()).assertSuccess();
            }
            extensions.add(image);
            return this;
        }

        /** Composes, merges with systemd-sysext, compares; returns the report. */
        ComposeReport check() throws Exception {
            Path out = dir.resolve("composed.raw");
            ComposeReport report = new Composer(NativeTools.system()).compose(new ComposeRequest(base.root,
                    extensions, out, BuildFormat.SQUASHFS, null, force));
            Path unpacked = dir.resolve("unpacked");
            Shell.run("unsquashfs", "-q", "-n", "-d", unpacked.toString(), out.toString()).assertSuccess();
            String expected = systemdView();
            assertThat(expected).as("systemd merged something").contains(MARKER);
            assertThat(listing(unpacked)).isEqualTo(withoutMarker(expected));
            return report;
        }

        /** The merged /usr and /opt of systemd-sysext merge --root over a copy of the base. */
        String systemdView() throws IOException {
            Path root = Files.createTempDirectory(dir, "root");
            Shell.run("cp", "-a", base.root + "/.", root.toString()).assertSuccess();
            StringBuilder copy = new StringBuilder("mkdir -p '" + root + "/var/lib/extensions' && ");
            for (Path e : extensions) {
                copy.append("cp -a '").append(e).append("' '").append(root).append("/var/lib/extensions/' && ");
            }
            Shell.Result r = MountNamespace.run(copy + "systemd-sysext --root='" + root + "'"
                    + (force ? " --force" : "") + " merge >&2 && " + listScript(root));
            assertThat(r.exitCode()).as(r.all()).isZero();
            return r.stdout();
        }
    }

    private static String listScript(Path dir) {
        return "cd '" + dir + "' && { find usr opt -printf '%p %y %m %U:%G -> %l\\n' 2>/dev/null; "
                + "find usr opt -type f -exec sha256sum {} + 2>/dev/null; } | LC_ALL=C sort";
    }

    /** Every entry under usr/ and opt/: path, type, mode, owner, link target; every file's sha256. */
    static String listing(Path dir) {
        return Shell.run("sh", "-c", listScript(dir)).assertSuccess().stdout();
    }

    static String withoutMarker(String listing) {
        return String.join("\n", Arrays.stream(listing.split("\n"))
                .filter(l -> !l.startsWith(MARKER) && !l.contains("  " + MARKER) && !l.startsWith(OPT_MARKER)
                        && !l.contains("  " + OPT_MARKER)).toList()) + "\n";
    }

    @Test
    void overridesBetweenExtensionsTheUpperWins() throws Exception {
        Scenario s = new Scenario("override").ext("alpha", t -> t.file("usr/bin/tool", "alpha\n", 0755, 0, 0))
                .ext("beta", t -> t.file("usr/bin/tool", "beta\n", 0755, 0, 0));
        ComposeReport r = s.check();
        assertThat(Files.readString(s.dir.resolve("unpacked/usr/bin/tool"))).isEqualTo("beta\n");
        assertThat(r.conflicts()).containsExactly(new Conflict("usr/bin/tool", "beta", List.of("alpha")));
    }

    @Test
    void directoriesInSeveralLayersMerge() throws Exception {
        ComposeReport r = new Scenario("dirs").ext("a", t -> t.file("usr/share/base/a", "a\n"))
                .ext("b", t -> t.file("usr/share/base/b", "b\n").file("usr/share/b-only/x", "x\n")).check();
        assertThat(r.changes()).contains(new PathChange("usr/share/base/a", "a", PathChange.ADDED, List.of()),
                new PathChange("usr/share/b-only", "b", PathChange.ADDED, List.of()));
    }

    @Test
    void aSymlinkReplacingADirectoryHidesItWhole() throws Exception {
        Scenario s = new Scenario("symlink-dir");
        s.base.file("usr/share/doc/old/file", "old\n").file("usr/share/doc/other", "other\n");
        ComposeReport r = s.ext("docs", t -> t.link("usr/share/doc", "../local/doc")
                .file("usr/local/doc/new", "new\n")).check();
        assertThat(r.changes()).contains(new PathChange("usr/share/doc", "docs", PathChange.REPLACED_DIRECTORY,
                List.of("base")));
    }

    @Test
    void aFileReplacingADirectory() throws Exception {
        Scenario s = new Scenario("file-dir");
        s.base.file("usr/lib/thing/inner", "inner\n");
        s.ext("f", t -> t.file("usr/lib/thing", "now a file\n")).check();
    }

    @Test
    void aDirectoryReplacingAFile() throws Exception {
        Scenario s = new Scenario("dir-file");
        s.base.file("usr/lib/conf", "a file\n");
        ComposeReport r = s.ext("d", t -> t.file("usr/lib/conf/part", "part\n")).check();
        assertThat(r.changes()).contains(new PathChange("usr/lib/conf", "d", PathChange.REPLACED_BY_DIRECTORY,
                List.of("base")));
    }

    @Test
    void anOptExtension() throws Exception {
        Scenario s = new Scenario("opt");
        s.base.file("opt/base/keep", "keep\n");
        s.ext("vendor", t -> t.file("opt/vendor/bin/run", "run\n", 0755, 0, 0).file("usr/bin/vendor", "v\n"))
                .check();
        assertThat(s.dir.resolve("unpacked/opt/vendor/bin/run")).exists();
    }

    @Test
    void anOptExtensionOverABaseWithoutOptCreatesItAsSystemdDoes() throws Exception {
        Scenario s = new Scenario("no-opt").ext("vendor", t -> t.file("opt/vendor/run", "run\n")
                .file("usr/bin/vendor", "v\n"));
        s.check();
        assertThat(listing(s.dir.resolve("unpacked"))).contains("opt d 755 0:0", "opt/vendor/run f 644 0:0");
    }

    @Test
    void twentyExtensionsInVersionOrder() throws Exception {
        Scenario s = new Scenario("many");
        for (int i = 1; i <= 20; i++) {
            int n = i;
            s.ext("app-" + n, t -> t.file("usr/share/app/shared", "from " + n + "\n")
                    .file("usr/share/app/own-" + n, n + "\n").dir("usr/lib/app-" + n + "/empty", 0755, 0, 0));
        }
        ComposeReport r = s.check();
        // strverscmp: app-20 is the top layer, not app-9
        assertThat(Files.readString(s.dir.resolve("unpacked/usr/share/app/shared"))).isEqualTo("from 20\n");
        assertThat(r.layers().get(r.layers().size() - 1).name()).isEqualTo("app-20");
        assertThat(r.conflicts()).singleElement().satisfies(c -> assertThat(c.losers()).hasSize(19));
    }

    @Test
    void modesAndOwnersAreKept() throws Exception {
        Scenario s = new Scenario("owners");
        s.base.dir("usr", 0750, 7, 7).dir("usr/share", 0711, 3, 4);
        s.ext("own", t -> t.file("usr/bin/suid", "s\n", 04755, 0, 0)
                .dir("usr/lib/private", 0700, 12, 34).file("usr/lib/private/key", "k\n", 0600, 1000, 1000)
                .dir("usr/share/sticky", 01777, 0, 0));
        s.check();
        // the hierarchy shows systemd's top layer, not the base's usr/ (0750 7:7)
        assertThat(listing(s.dir.resolve("unpacked"))).contains("usr d 755 0:0", "usr/bin/suid f 4755 0:0", "usr/lib/private d 700 12:34",
                "usr/lib/private/key f 600 1000:1000", "usr/share/sticky d 1777 0:0");
    }

    @Test
    void emptyDirectoriesAndSymlinksOverFiles() throws Exception {
        Scenario s = new Scenario("empty");
        s.base.file("usr/bin/editor", "ed\n", 0755, 0, 0).link("usr/bin/vi", "editor");
        s.ext("e", t -> t.dir("usr/share/empty", 0755, 0, 0).link("usr/bin/editor", "vim")
                .file("usr/bin/vi", "not a link\n", 0755, 0, 0)).check();
    }

    @Test
    void erofsAndDirectoryExtensionsWithSquashfs() throws Exception {
        new Scenario("formats").ext("ero", RELEASE, "erofs", t -> t.file("usr/share/x/ero", "ero\n"))
                .ext("plain", RELEASE, "directory", t -> t.file("usr/share/x/plain", "plain\n")
                        .file("usr/share/x/ero", "plain wins\n"))
                .ext("sq", t -> t.file("usr/share/x/sq", "sq\n")).check();
    }

    @Test
    void anOpaqueDirectoryInASquashfsExtensionHidesTheLowerContents() throws Exception {
        opaqueScenario("opaque-squashfs", "squashfs");
    }

    @Test
    void anOpaqueDirectoryInAnErofsExtensionHidesTheLowerContents() throws Exception {
        opaqueScenario("opaque-erofs", "erofs");
    }

    /**
     * The base and a lower extension put files in {@code usr/share/data}; the top extension's {@code usr/share/data}
     * is opaque, so systemd's overlay shows only its files there, while a directory beside it still merges.
     */
    private void opaqueScenario(String name, String format) throws Exception {
        Scenario s = new Scenario(name);
        s.base.file("usr/share/data/old", "old\n").file("usr/share/data/sub/deep", "deep\n")
                .file("usr/share/other/kept", "kept\n");
        s.ext("a", t -> t.file("usr/share/data/from-a", "a\n"));
        s.ext("top", RELEASE, format, t -> t.file("usr/share/data/new", "new\n").opaque("usr/share/data")
                .file("usr/share/other/added", "added\n"));
        ComposeReport r = s.check();
        Path data = s.dir.resolve("unpacked/usr/share/data");
        assertThat(data.resolve("new")).hasContent("new");
        assertThat(data.resolve("old")).doesNotExist();
        assertThat(data.resolve("from-a")).doesNotExist();
        assertThat(data.resolve("sub")).doesNotExist();
        assertThat(s.dir.resolve("unpacked/usr/share/other/kept")).exists();
        assertThat(r.changes()).contains(new PathChange("usr/share/data", "top", PathChange.OPAQUE,
                List.of("a", "base")));
        // the marker is the overlay's, not content: the composed image does not carry it
        assertThat(Shell.run("getfattr", "--absolute-names", "-n", OverlayTree.OPAQUE_XATTR, data.toString())
                .exitCode()).isNotZero();
    }

    /**
     * K39's whiteouts: the top extension's character devices 0:0 hide the base's file and a lower extension's
     * directory; systemd's overlay shows neither them nor the whiteouts.
     */
    @Test
    void whiteoutsInAnExtensionHideTheLowerEntries() throws Exception {
        Scenario s = new Scenario("whiteout");
        s.base.file("usr/bin/victim", "v\n").file("usr/bin/kept", "k\n");
        s.ext("a", t -> t.file("usr/share/gone/f", "a\n").file("usr/share/stays", "s\n"));
        s.ext("top", t -> t.whiteout("usr/bin/victim").whiteout("usr/share/gone").whiteout("usr/share/never")
                .file("usr/bin/new", "n\n"));
        ComposeReport r = s.check();
        Path u = s.dir.resolve("unpacked/usr");
        assertThat(u.resolve("bin/victim")).doesNotExist();
        assertThat(u.resolve("share/gone")).doesNotExist();
        assertThat(u.resolve("share/never")).doesNotExist();
        assertThat(u.resolve("bin/kept")).exists();
        assertThat(u.resolve("share/stays")).exists();
        assertThat(r.changes()).contains(new PathChange("usr/bin/victim", "top", PathChange.WHITEOUT,
                List.of("base")), new PathChange("usr/share/gone", "top", PathChange.WHITEOUT, List.of("a")));
    }

    @Test
    void anIncompatibleExtensionIsRefusedWithTheReasonAndForceComposesIt() throws Exception {
        Scenario s = new Scenario("force").ext("fed", "ID=fedora\n", "squashfs", t -> t.file("usr/bin/fed", "f\n"));
        assertThatThrownBy(() -> new Composer(NativeTools.system()).compose(new ComposeRequest(s.base.root,
                s.extensions, s.dir.resolve("refused.raw"), BuildFormat.SQUASHFS, null, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("fed").hasMessageContaining("fedora")
                .hasMessageContaining("--force");
        assertThat(s.dir.resolve("refused.raw")).doesNotExist();
        assertThat(s.dir).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".refused"));
        s.force = true;
        s.check();
    }

    @Test
    void theExtensionReleaseFilesStayAndTheImageIsReproducible() throws Exception {
        Scenario s = new Scenario("release").ext("one", t -> t.file("usr/bin/one", "1\n"))
                .ext("two", t -> t.file("usr/bin/two", "2\n"));
        ComposeReport first = s.check();
        assertThat(s.dir.resolve("unpacked/usr/lib/extension-release.d/extension-release.one")).hasContent(
                RELEASE.strip());
        assertThat(s.dir.resolve("unpacked/usr/lib/extension-release.d/extension-release.two")).exists();
        ComposeReport again = new Composer(NativeTools.system()).compose(new ComposeRequest(s.base.root,
                List.of(s.extensions.get(1), s.extensions.get(0)), s.dir.resolve("again.raw"), BuildFormat.SQUASHFS,
                null, false));
        assertThat(again.sha256()).isEqualTo(first.sha256());
    }

    @Test
    void theMarkerIsTheOnlyDifference() throws Exception {
        Scenario s = new Scenario("marker").ext("m", t -> t.file("usr/bin/m", "m\n"));
        s.check();
        String merged = s.systemdView();
        assertThat(merged).contains(MARKER + "/extensions");
        assertThat(s.dir.resolve("unpacked/" + MARKER)).doesNotExist();
        assertThat(withoutMarker(merged)).isEqualTo(listing(s.dir.resolve("unpacked")));
    }

    @Test
    void aDirectoryOutputIsTheSameTree() throws Exception {
        Scenario s = new Scenario("directory").ext("a", t -> t.file("usr/bin/a", "a\n", 0750, 5, 6));
        s.check();
        Path out = s.dir.resolve("composed-dir");
        new Composer(NativeTools.system()).compose(new ComposeRequest(s.base.root, s.extensions, out,
                BuildFormat.DIRECTORY, null, false));
        assertThat(listing(out)).isEqualTo(listing(s.dir.resolve("unpacked")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("usr/bin/a"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.readString(out.resolve("usr/bin/a"), StandardCharsets.UTF_8)).isEqualTo("a\n");
    }
}
