package dev.sysextctl.converter;

import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.build.BuilderImageWriter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.elf.RunpathRewriter;
import dev.sysextctl.converter.fixtures.ImageTree;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same archive through a shell re-enactment of convert_torcx_image.sh (docs/torcx.md §3 steps 1–6,
 * its last working version: {@code RELOAD=1 bake.sh}, {@code OS=_any}, here with {@code ARCH=x86-64}) and
 * through sysextctl, both written with the real mksquashfs and read back with unsquashfs. Every path where the
 * two images differ is listed, and each difference must be one of the documented improvements.
 */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs", "tar", "sed", "bash"})
class ConvertTorcxImageComparisonIT {
    /** convert_torcx_image.sh, step by step (§3), with bake.sh's squashfs branch. */
    static final String SCRIPT = String.join("\n",
            "set -euo pipefail",
            "TORCXTAR=\"$1\"; SYSEXTNAME=\"$2\"; OUT=\"$3\"; ARCH=\"${ARCH-}\"; OS=\"${OS-_any}\"",
            "# 1. unpack (no --xattrs/--selinux; --force-local because of the ':' in the name)",
            "rm -rf \"$SYSEXTNAME\"; mkdir -p \"$SYSEXTNAME\"",
            "tar --force-local -xf \"$TORCXTAR\" -C \"$SYSEXTNAME\"",
            "# 2. the manifest is ignored",
            "rm -rf \"$SYSEXTNAME\"/.torcx",
            "# 3. bin/ and lib/ under usr/, nothing else moved",
            "mkdir -p \"$SYSEXTNAME\"/usr",
            "if [ -e \"$SYSEXTNAME\"/bin ]; then mv \"$SYSEXTNAME\"/bin \"$SYSEXTNAME\"/usr/; fi",
            "if [ -e \"$SYSEXTNAME\"/lib ]; then mv \"$SYSEXTNAME\"/lib \"$SYSEXTNAME\"/usr/; fi",
            "# 4. *.service and *.socket only, substring substitutions",
            "for FILE in \"$SYSEXTNAME\"/usr/lib/systemd/system/*.service \"$SYSEXTNAME\"/usr/lib/systemd/system/*.socket; do",
            "  if [ -e \"$FILE\" ]; then",
            "    sed -i -e 's,EnvironmentFile=/run/metadata/torcx,,g' -e 's,Environment=TORCX_IMAGEDIR=.*,,g' \\",
            "      -e 's,\\[Service\\],\\[Service\\]\\nEnvironment=TORCX_BINDIR=/usr/bin\\nEnvironment=TORCX_UNPACKDIR=/"
                    + "\\nEnvironment=TORCX_IMAGEDIR=,g' \\",
            "      -e 's,After=torcx.target,,g' -e 's,Requires=torcx.target,,g' \"$FILE\"",
            "  fi",
            "done",
            "# 5. Upholds= drop-ins for *.wants/ entries (the links stay)",
            "for ENTRY in \"$SYSEXTNAME/usr/lib/systemd/system/\"*.wants/*; do",
            "  [ -e \"$ENTRY\" ] || [ -L \"$ENTRY\" ] || continue",
            "  UNIT=$(basename \"$ENTRY\")",
            "  TARGET=$(echo \"$ENTRY\" | rev | cut -d / -f 2 | rev | sed 's/.wants$//')",
            "  mkdir -p \"$SYSEXTNAME/usr/lib/systemd/system/$TARGET.d\"",
            "  { echo \"[Unit]\"; echo \"Upholds=$UNIT\"; } > \"$SYSEXTNAME/usr/lib/systemd/system/$TARGET.d/10-${UNIT/./-}.conf\"",
            "done",
            "# 6. RELOAD=1 bake.sh SYSEXTNAME",
            "mkdir -p \"$SYSEXTNAME/usr/lib/extension-release.d\"",
            "{ echo \"ID=$OS\"; if [ \"$OS\" != _any ]; then echo SYSEXT_LEVEL=1.0; fi;",
            "  if [ -n \"$ARCH\" ]; then echo \"ARCHITECTURE=$ARCH\"; fi; echo EXTENSION_RELOAD_MANAGER=1; } \\",
            "  > \"$SYSEXTNAME/usr/lib/extension-release.d/extension-release.$SYSEXTNAME\"",
            "rm -f \"$OUT\"",
            "SOURCE_DATE_EPOCH=0 mksquashfs \"$SYSEXTNAME\" \"$OUT\" -all-root -noappend -quiet -no-progress",
            "rm -rf \"$SYSEXTNAME\"");

    @TempDir
    Path tmp;

    /** A difference between the two images, and the documented improvement it is (null when none). */
    record Difference(String path, String what, String improvement) {
        @Override
        public String toString() {
            return path + ": " + what + " => " + (improvement == null ? "UNEXPLAINED" : improvement);
        }
    }

    private List<Difference> compare(Path archive) throws Exception {
        Path script = tmp.resolve("convert_torcx_image.sh");
        Files.writeString(script, SCRIPT + "\n");
        Path work = Files.createDirectories(tmp.resolve("script-work"));
        Path theirs = tmp.resolve("script.raw");
        Shell.Result r = Shell.run(List.of("bash", script.toString(), archive.toString(), "docker", theirs.toString()),
                Map.of("ARCH", "x86-64"), work, 300);
        r.assertSuccess();
        Path ours = tmp.resolve("sysextctl.raw");
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs())) {
            new BuilderImageWriter(NativeTools.system(), ImageSpec.defaults()).write(src, ours);
        }
        ImageTree a = ImageTree.read(theirs, tmp);
        ImageTree b = ImageTree.read(ours, tmp);
        Set<String> paths = new TreeSet<>(a.nodes().keySet());
        paths.addAll(b.nodes().keySet());
        List<Difference> out = new ArrayList<>();
        for (String p : paths) {
            ImageTree.Node x = a.nodes().get(p);
            ImageTree.Node y = b.nodes().get(p);
            if (x == null) {
                out.add(new Difference(p, "only in sysextctl's image (" + y.describe() + ")", onlyOurs(p, y, b)));
            } else if (y == null) {
                out.add(new Difference(p, "only in the script's image (" + x.describe() + ")", onlyTheirs(p, x, b)));
            } else if (x.type() != y.type() || x.mode() != y.mode() || x.uid() != y.uid() || x.gid() != y.gid()) {
                out.add(new Difference(p, x.describe() + " vs " + y.describe(), null));
            } else if (x.type() == 'l' && !x.target().equals(y.target())) {
                out.add(new Difference(p, "link " + x.target() + " vs " + y.target(),
                        TorcxReferences.mentionsTorcx(x.target()) && !TorcxReferences.mentionsTorcx(y.target())
                                ? "symlink into /run/torcx retargeted to /usr" : null));
            } else if (x.type() == '-' && !Arrays.equals(x.content(), y.content())) {
                out.add(new Difference(p, "content", contentImprovement(p, x, y)));
            }
        }
        return out;
    }

    private String contentImprovement(String p, ImageTree.Node x, ImageTree.Node y) throws Exception {
        String theirs = new String(x.content(), StandardCharsets.UTF_8);
        String ours = new String(y.content(), StandardCharsets.UTF_8);
        if (p.equals("usr/lib/extension-release.d/extension-release.docker")) {
            return theirs.equals("ID=_any\nARCHITECTURE=x86-64\nEXTENSION_RELOAD_MANAGER=1\n")
                    && ours.equals("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\n")
                    ? "extension-release also carries SYSEXT_VERSION_ID (the torcx reference)" : null;
        }
        boolean onlyBlankedLines = theirs.replaceAll("\n{2,}", "\n").equals(ours.replaceAll("\n{2,}", "\n"));
        if (p.startsWith("usr/lib/systemd/system/") && (TorcxReferences.mentionsTorcx(theirs) || onlyBlankedLines)
                && !ours.toLowerCase().contains("torcx") && !ours.contains("//usr") && !ours.contains("/usr/bin/env")
                && !ours.contains("\n\n\n")) {
            return p.endsWith(".service") || p.endsWith(".socket")
                    ? "unit rewritten: torcx lines removed (not blanked), ${TORCX_*} resolved to /usr paths, no env "
                            + "PATH= wrapper"
                    : "unit type or drop-in the script does not touch, rewritten";
        }
        if (x.content().length > 4 && x.content()[0] == 0x7f && x.content()[1] == 'E') {
            List<String> before = runpaths(p, x.content());
            List<String> after = runpaths(p + ".ours", y.content());
            return x.content().length == y.content().length && before.stream().anyMatch(s -> s.contains("/run/torcx"))
                    && after.stream().noneMatch(s -> s.contains("/run/torcx"))
                    ? "ELF runpath " + before + " rewritten to " + after : null;
        }
        return TorcxReferences.mentionsTorcx(theirs) && !TorcxReferences.mentionsTorcx(ours)
                ? "torcx paths in a non-unit text file rewritten" : null;
    }

    private List<String> runpaths(String name, byte[] content) throws Exception {
        Path f = tmp.resolve(name.replace('/', '_'));
        Files.write(f, content);
        return RunpathRewriter.rewrite(f, UnaryOperator.identity(), false).runpaths();
    }

    private static String onlyOurs(String p, ImageTree.Node y, ImageTree b) {
        if (p.startsWith("usr/bin/") && y.type() == 'l' && b.nodes().containsKey(y.target().startsWith("/")
                ? y.target().substring(1) : java.nio.file.Path.of("usr/bin").resolve(y.target()).normalize().toString())) {
            return "manifest bin entry outside bin/ linked into /usr/bin";
        }
        for (String dir : List.of("usr/lib/tmpfiles.d", "usr/lib/sysusers.d", "usr/lib/udev/rules.d",
                "usr/lib/systemd/network", "usr/lib/systemd/system")) {
            if (p.equals(dir) && y.type() == 'd') {
                return "directory for manifest-placed entries";
            }
            if (p.startsWith(dir + "/")) {
                return "manifest entry placed where systemd reads it";
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern WANTS = java.util.regex.Pattern.compile(
            "(usr/lib/systemd/system)/([^/]+)\\.wants(?:/([^/]+))?");

    private static String onlyTheirs(String p, ImageTree.Node x, ImageTree ours) {
        java.util.regex.Matcher m = WANTS.matcher(p);
        if (m.matches()) {
            String dropIns = m.group(1) + "/" + m.group(2) + ".d/";
            boolean replaced = m.group(3) == null
                    ? ours.nodes().keySet().stream().anyMatch(k -> k.startsWith(dropIns))
                    : ours.nodes().containsKey(dropIns + "10-" + m.group(3).replaceFirst("\\.", "-") + ".conf");
            return replaced ? "*.wants/ link replaced by its Upholds= drop-in" : null;
        }
        String top = p.contains("/") ? p.substring(0, p.indexOf('/')) : p;
        return top.equals("usr") || top.equals("opt") ? null
                : "content outside usr/ and opt/ dropped or merged instead of shipped where systemd ignores it";
    }

    private static List<String> render(List<Difference> diffs) {
        return diffs.stream().map(d -> d.path() + " [" + d.improvement() + "]").toList();
    }

    @Test
    void f1DiffersOnlyByDocumentedImprovements() throws Exception {
        List<Difference> diffs = compare(TorcxFixtures.f1(tmp));
        System.out.println("F1 differences (script vs sysextctl):");
        diffs.forEach(d -> System.out.println("  " + d));
        assertThat(diffs).allSatisfy(d -> assertThat(d.improvement()).as(d.toString()).isNotNull());
        assertThat(diffs).extracting(Difference::path).containsExactly(
                "usr/lib/extension-release.d/extension-release.docker",
                "usr/lib/systemd/system/containerd.service",
                "usr/lib/systemd/system/docker.service",
                "usr/lib/systemd/system/docker.socket",
                "usr/lib/systemd/system/multi-user.target.wants",
                "usr/lib/systemd/system/multi-user.target.wants/containerd.service",
                "usr/lib/systemd/system/sockets.target.wants",
                "usr/lib/systemd/system/sockets.target.wants/docker.socket");
    }

    @Test
    void f1PlusDiffersOnlyByDocumentedImprovements() throws Exception {
        Path archive = TorcxFixtures.f1PlusBuilder().writeTgz(tmp.resolve("docker:20.10.torcx.tgz"));
        List<Difference> diffs = compare(archive);
        System.out.println("F1+ differences (script vs sysextctl):");
        diffs.forEach(d -> System.out.println("  " + d));
        assertThat(diffs).allSatisfy(d -> assertThat(d.improvement()).as(d.toString()).isNotNull());
        assertThat(diffs).extracting(Difference::path).containsExactly(
                "usr/bin/containerd-abs",
                "usr/bin/ctr-bindir",
                "usr/bin/docker-helper",
                "usr/bin/docker-proxy-rpath",
                "usr/bin/docker-wrapper",
                "usr/bin/runc-abs",
                "usr/lib/extension-release.d/extension-release.docker",
                "usr/lib/systemd/system/containerd.service",
                "usr/lib/systemd/system/docker-prune.service",
                "usr/lib/systemd/system/docker-prune.timer",
                "usr/lib/systemd/system/docker.service",
                "usr/lib/systemd/system/docker.service.d/10-opts.conf",
                "usr/lib/systemd/system/docker.socket",
                "usr/lib/systemd/system/multi-user.target.wants",
                "usr/lib/systemd/system/multi-user.target.wants/containerd.service",
                "usr/lib/systemd/system/sockets.target.wants",
                "usr/lib/systemd/system/sockets.target.wants/docker.socket",
                "usr/lib/systemd/system/timers.target.wants",
                "usr/lib/systemd/system/timers.target.wants/docker-prune.timer",
                "usr/lib/tmpfiles.d",
                "usr/lib/tmpfiles.d/docker.conf");
    }

    @Test
    void theScriptAbortsOnALibCollisionWhileSysextctlMerges() throws Exception {
        Path archive = TorcxFixtures.f1Builder(false).dir("./usr/lib", 0755)
                .dir("./usr/lib/systemd", 0755).file("./usr/lib/systemd/keep.txt", 0644, "x\n")
                .writeTgz(tmp.resolve("docker:20.10.torcx.tgz"));
        Path script = tmp.resolve("convert_torcx_image.sh");
        Files.writeString(script, SCRIPT + "\n");
        Path work = Files.createDirectories(tmp.resolve("script-work"));
        Shell.Result r = Shell.run(List.of("bash", script.toString(), archive.toString(), "docker",
                tmp.resolve("script.raw").toString()), Map.of(), work, 300);
        assertThat(r.exitCode()).as(r.all()).isNotZero();
        assertThat(r.stderr()).contains("mv");
        Path ours = tmp.resolve("sysextctl.raw");
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs())) {
            new BuilderImageWriter(NativeTools.system(), ImageSpec.defaults()).write(src, ours);
        }
        ImageTree b = ImageTree.read(ours, tmp);
        assertThat(b.nodes()).containsKeys("usr/lib/systemd/keep.txt", "usr/lib/systemd/system/docker.service",
                "usr/lib/libltdl.so.7.3.2");
    }
}
