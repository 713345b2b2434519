package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: images made by {@code sysextctl build} (or, where build refuses on purpose, by plain mksquashfs)
 * are offered to the real systemd-sysext 252 on a scratch root (docs/compatibility.md §7, K03–K17 and K44), and
 * {@code sysextctl validate --root} must say what systemd actually did: merged or not, and for the fatal cases
 * the very message it printed.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare"})
class ValidateOracleIT {
    static final String DEBIAN_12 = "ID=debian\nVERSION_ID=12\n";

    @TempDir
    Path tmp;
    int roots;

    /** A scratch OS tree with an os-release and an extension store. */
    final class Root {
        final Path dir;
        final Path store;

        Root(String osRelease) throws Exception {
            dir = tmp.resolve("root" + roots++);
            store = Files.createDirectories(dir.resolve("var/lib/extensions"));
            Files.createDirectories(dir.resolve("etc"));
            Files.writeString(dir.resolve("etc/os-release"), osRelease);
            Files.createDirectories(dir.resolve("usr/share/base"));
            Files.writeString(dir.resolve("usr/share/base/file"), "host\n");
        }

        /** sysextctl build of a one-file tree into the store as NAME.raw (or -o as given). */
        Root build(String name, String... flags) throws Exception {
            Path tree = tree(name, Map.of());
            List<String> args = new ArrayList<>(List.of("build", tree.toString(), "--name", name, "-q", "-o",
                    store.resolve(name + ".raw").toString()));
            args.addAll(List.of(flags));
            Cli.Run r = Cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(name + ": " + r).isZero();
            return this;
        }

        /** What build refuses on purpose, made with plain mksquashfs (files: path → content). */
        Root raw(String name, Map<String, String> files, Map<String, String> strictXattrs) throws Exception {
            Path tree = tree(name, files);
            setStrict(tree, strictXattrs);
            Shell.shOk("mksquashfs '" + tree + "' '" + store.resolve(name + ".raw") + "' -noappend -all-root -quiet "
                    + "-no-progress");
            return this;
        }

        /** A directory extension in the store. */
        Root dir(String name, Map<String, String> files, Map<String, String> strictXattrs) throws Exception {
            Path d = store.resolve(name);
            write(d, "usr/share/" + name + "/file", name);
            files.forEach((p, c) -> write(d, p, c));
            setStrict(d, strictXattrs);
            return this;
        }

        private Path tree(String name, Map<String, String> files) throws Exception {
            Path t = tmp.resolve("tree-" + dir.getFileName() + "-" + name);
            write(t, "usr/share/" + name + "/file", name);
            files.forEach((p, c) -> write(t, p, c));
            return t;
        }

        private void setStrict(Path tree, Map<String, String> strict) throws Exception {
            for (Map.Entry<String, String> e : strict.entrySet()) {
                Files.getFileAttributeView(tree.resolve(e.getKey()), UserDefinedFileAttributeView.class)
                        .write("extension-release.strict", ByteBuffer.wrap(e.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }

        /** Runs the real systemd-sysext merge and compares with validate. */
        void check(boolean initrd) throws Exception {
            Shell.Result sd = MountNamespace.run("systemd-sysext --root='" + dir + "' merge; echo \"rc=$?\"; "
                    + "cat '" + dir + "/usr/.systemd-sysext/extensions' 2>/dev/null | sed 's/^/merged=/'",
                    initrd ? Map.of("SYSTEMD_IN_INITRD", "1") : Map.of());
            String all = sd.stdout() + sd.stderr();
            int rc = Integer.parseInt(all.replaceAll("(?s).*rc=(\\d+).*", "$1"));
            Set<String> merged = new LinkedHashSet<>();
            for (String line : sd.stdout().split("\n")) {
                if (line.startsWith("merged=")) {
                    merged.add(line.substring(7));
                }
            }
            List<String> args = new ArrayList<>(List.of("validate", "--root", dir.toString(), "--json"));
            if (initrd) {
                args.addAll(List.of("--scope", "initrd"));
            }
            try (Stream<Path> s = Files.list(store)) {
                s.sorted().forEach(p -> args.add(p.toString()));
            }
            Cli.Run v = Cli.run(args.toArray(String[]::new));
            assertThat(v.exit()).as(v.toString()).isIn(0, 3);
            JsonNode images = v.json().get("images");
            Map<String, JsonNode> fatal = new TreeMap<>();
            Map<String, JsonNode> aborted = new TreeMap<>();
            for (JsonNode x : images) {
                switch (x.get("effect").asText()) {
                    case "merge-fails" -> fatal.put(x.get("name").asText(), x);
                    case "merge-aborted" -> aborted.put(x.get("name").asText(), x);
                    default -> { }
                }
            }
            String context = "systemd said (rc " + rc + ", merged " + merged + "):\n" + all + "\nvalidate said:\n"
                    + v.out();
            if (rc != 0) {
                assertThat(fatal).as(context).isNotEmpty();
                assertThat(merged).as(context).isEmpty();
                assertThat(fatal.values()).as(context).anySatisfy(x -> assertThat(sd.stderr())
                        .contains(x.get("systemdMessage").asText()));
                return;
            }
            assertThat(fatal).as(context).isEmpty();
            if (!aborted.isEmpty()) {
                assertThat(merged).as(context).isEmpty();
                assertThat(aborted.values()).as(context).allSatisfy(x -> assertThat(sd.stderr())
                        .contains(x.get("systemdMessage").asText()));
                return;
            }
            for (JsonNode x : images) {
                assertThat(x.get("accepted").asBoolean()).as(x.get("name").asText() + "\n" + context)
                        .isEqualTo(merged.contains(x.get("name").asText()));
            }
            assertThat(v.exit()).as(context).isEqualTo(merged.size() == images.size() ? 0 : 3);
        }

        void check() throws Exception {
            check(false);
        }
    }

    private static void write(Path root, String rel, String content) {
        try {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What {@code build} says about a small tree (with extra files) and flags it should refuse. */
    private Cli.Run refusedBuild(Map<String, String> files, String... flags) {
        Path t = tmp.resolve("refused-" + roots++);
        write(t, "usr/bin/x", "x");
        files.forEach((p, c) -> write(t, p, c));
        List<String> args = new ArrayList<>(List.of("build", t.toString(), "--name", "x", "-o",
                tmp.resolve("never.raw").toString()));
        args.addAll(List.of(flags));
        Cli.Run r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(tmp.resolve("never.raw")).doesNotExist();
        return r;
    }

    private static String rel(String name) {
        return "usr/lib/extension-release.d/extension-release." + name;
    }

    @Test
    void k03ToK05IdAndVersionId() throws Exception {
        new Root(DEBIAN_12).build("k03fedora", "--os", "fedora")
                .build("k04any", "--os", "_any", "--os-version", "99", "--arch", "x86-64")
                .build("k04case", "--os", "Debian", "--os-version", "12")
                .build("k05ver", "--os", "debian", "--os-version", "12.0")
                .build("k05ok", "--os", "debian", "--os-version", "12").check();
    }

    @Test
    void k06ToK08SysextLevel() throws Exception {
        new Root(DEBIAN_12 + "SYSEXT_LEVEL=1.0\n")
                .build("k06level", "--os", "debian", "--sysext-level", "1.0", "--os-version", "11")
                .build("k07other", "--os", "debian", "--sysext-level", "2.0", "--os-version", "12")
                .build("k08v12", "--os", "debian", "--os-version", "12")
                .build("k08v11", "--os", "debian", "--os-version", "11").check();
    }

    @Test
    void k09ToK11MissingVersionsOnEitherSide() throws Exception {
        new Root("ID=debian\nSYSEXT_LEVEL=1.0\n").build("k09id", "--os", "debian")
                .build("k09v7", "--os", "debian", "--os-version", "7").check();
        new Root("ID=arch\n").build("k10", "--os", "arch", "--os-version", "5", "--sysext-level", "9").check();
        new Root(DEBIAN_12).build("k11level", "--os", "debian", "--sysext-level", "1")
                .build("k11both", "--os", "debian", "--os-version", "12", "--sysext-level", "77").check();
    }

    @Test
    void k12Architectures() throws Exception {
        Root r = new Root(DEBIAN_12).build("k12x8664", "--arch", "x86-64").build("k12any", "--arch", "_any")
                .build("k12amd64alias", "--arch", "amd64").build("k12arm64", "--arch", "arm64");
        assertThat(refusedBuild(Map.of(), "--set", "ARCHITECTURE=x86_64").err()).contains("error[bad-architecture]");
        for (String spelling : List.of("x86_64", "X86-64", "amd64")) {
            String name = "k12raw" + spelling.replaceAll("[^a-zA-Z0-9]", "");
            r.raw(name, Map.of(rel(name), "ID=_any\nARCHITECTURE=" + spelling + "\n"), Map.of());
        }
        r.check();
    }

    @Test
    void k13ScopesInTheSystemAndInTheInitrd() throws Exception {
        for (boolean initrd : new boolean[] {false, true}) {
            Root r = new Root(DEBIAN_12).build("k13none", "--arch", "x86-64")
                    .build("k13system", "--arch", "x86-64", "--scope", "system")
                    .build("k13initrdsystem", "--arch", "x86-64", "--scope", "initrd,system")
                    .build("k13initrd", "--arch", "x86-64", "--scope", "initrd")
                    .build("k13portable", "--arch", "x86-64", "--scope", "portable")
                    .build("k13initrdportable", "--arch", "x86-64", "--scope", "initrd portable")
                    .build("k13upper", "--arch", "x86-64", "--set", "SYSEXT_SCOPE=System");
            r.check(initrd);
        }
    }

    @Test
    void k14AndK44EmptyFields() throws Exception {
        assertThat(refusedBuild(Map.of(), "--set", "ID=").err()).contains("error[missing-id]");
        assertThat(refusedBuild(Map.of(), "--set", "SYSEXT_SCOPE=").err()).contains("error[empty-scope]");
        new Root(DEBIAN_12)
                .raw("k14noid", Map.of(rel("k14noid"), "VERSION_ID=12\n"), Map.of())
                .raw("k14empty", Map.of(rel("k14empty"), ""), Map.of())
                .raw("k44scope", Map.of(rel("k44scope"), "ID=debian\nVERSION_ID=12\nSYSEXT_SCOPE=\n"), Map.of())
                .build("k44arch", "--os", "debian", "--os-version", "12", "--set", "ARCHITECTURE=").check();
    }

    @Test
    void k15WithoutExtensionRelease() throws Exception {
        new Root(DEBIAN_12).dir("k15dir", Map.of(), Map.of()).build("k15good", "--os", "debian", "--os-version", "12")
                .check();
        new Root(DEBIAN_12).raw("k15raw", Map.of(), Map.of()).build("k15good", "--os", "debian", "--os-version", "12")
                .check();
    }

    @Test
    void k16TheXattrFallbackOfDirectories() throws Exception {
        String other = rel("other");
        new Root(DEBIAN_12)
                .dir("x0", Map.of(other, "ID=_any\n"), Map.of())
                .dir("x1", Map.of(other, "ID=_any\n"), Map.of(other, "0"))
                .dir("x2", Map.of(other, "ID=_any\n"), Map.of(other, "false"))
                .dir("x3", Map.of(other, "ID=_any\n"), Map.of(other, "1"))
                .dir("x4", Map.of(other, "ID=_any\n"), Map.of(other, "maybe"))
                .dir("x5", Map.of(other, "ID=_any\n", rel("third"), "ID=_any\n"), Map.of(other, "0", rel("third"), "0"))
                .dir("x6", Map.of(rel("x6"), "ID=_any\n", other, "ID=fedora\n"), Map.of())
                .check();
    }

    @Test
    void k17NameMismatchInRawImages() throws Exception {
        Root noXattr = new Root(DEBIAN_12);
        Cli.Run b = Cli.run("build", noXattr.tree("t", Map.of()).toString(), "--name", "other", "-q", "-o",
                noXattr.store.resolve("k17a.raw").toString(), "--os", "debian", "--os-version", "12");
        assertThat(b.exit()).as(b.toString()).isZero();
        noXattr.check();
        String other = rel("other");
        new Root(DEBIAN_12).raw("k17b", Map.of(other, "ID=_any\n"), Map.of(other, "0")).check();
        new Root(DEBIAN_12).raw("k17c", Map.of(other, "ID=_any\n", rel("third"), "ID=_any\n"),
                Map.of(other, "0", rel("third"), "0")).check();
    }

    @Test
    void k18OsReleaseInAnImageAbortsTheWholeMerge() throws Exception {
        assertThat(refusedBuild(Map.of("usr/lib/os-release", "ID=debian\n")).err())
                .contains("error[os-release-in-image]");
        new Root(DEBIAN_12).raw("k18bad", Map.of(rel("k18bad"), "ID=_any\n", "usr/lib/os-release", "ID=debian\n"),
                Map.of()).build("k18good", "--os", "debian", "--os-version", "12").check();
    }
}
