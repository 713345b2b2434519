package dev.sysextctl.converter;

import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.build.BuilderImageWriter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The converted F1 image merged by the real systemd-sysext 252 on a scratch root (docs/testing.md §1), and
 * its units checked by the real {@code systemd-analyze verify --root}. The scratch root carries the host's
 * unit files (minus Debian's own docker/containerd units, so that only the converted ones exist), a
 * {@code bin → usr/bin} link and the two host programs the units call besides the image's binaries
 * ({@code mkdir}, {@code kill}).
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "systemd-analyze", "mksquashfs", "unsquashfs"})
class SysextMergeIT {
    @TempDir
    Path tmp;

    private Path scratchRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        TorcxFixtures.write(root.resolve("etc/os-release"), "ID=flatcar\nVERSION_ID=3760.2.0\nSYSEXT_LEVEL=1.0\n");
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("usr/lib/systemd"));
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Shell.shOk("cp -a /usr/lib/systemd/system '" + root.resolve("usr/lib/systemd") + "'"
                + " && rm -f '" + root + "'/usr/lib/systemd/system/docker.* '" + root
                + "'/usr/lib/systemd/system/containerd.*"
                + " && cp /usr/bin/mkdir /usr/bin/kill '" + root.resolve("usr/bin") + "'");
        Files.createDirectories(root.resolve("var/lib/extensions"));
        return root;
    }

    @Test
    void convertedF1MergesAndItsUnitsVerify() throws Exception {
        Path root = scratchRoot();
        Path archive = TorcxFixtures.f1(tmp);
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs())) {
            // 252 skips symlinks in the search dirs under --root: the image itself goes there, named NAME.raw
            new BuilderImageWriter(NativeTools.system(), ImageSpec.defaults()).write(src, root.resolve("var/lib/extensions/docker.raw"));
        }
        String out = mergeAndInspect(root);
        assertThat(section(out, "extensions")).containsExactly("docker");
        assertThat(section(out, "torcx")).as("units mentioning torcx").isEmpty();
        assertThat(section(out, "execs")).containsExactlyInAnyOrder("ok /usr/bin/containerd", "ok /usr/bin/dockerd",
                "ok mkdir", "ok /bin/kill");
        assertThat(section(out, "dropins")).containsExactly("[Unit]", "Upholds=containerd.service", "[Unit]",
                "Upholds=docker.socket");
        List<String> verify = section(out, "verify");
        assertThat(verify).filteredOn(l -> l.matches("^(containerd\\.service|docker\\.service|docker\\.socket):.*"))
                .noneMatch(l -> l.contains("not executable") || l.contains("not found") || l.contains("Failed to")
                        || l.contains("No such file"));
        assertThat(verify).noneMatch(l -> l.contains("torcx"));
        assertThat(verify).contains("verify-rc=0");
        assertThat(Files.exists(root.resolve("usr/bin/containerd"))).as("unmerged afterwards").isFalse();
    }

    /** Negative control: the same checks catch what convert_torcx_image.sh leaves in the units. */
    @Test
    void theScriptsImageFailsTheSameChecks() throws Exception {
        Path root = scratchRoot();
        Path archive = TorcxFixtures.f1(tmp);
        Path script = tmp.resolve("convert_torcx_image.sh");
        Files.writeString(script, ConvertTorcxImageComparisonIT.SCRIPT + "\n");
        Shell.run(List.of("bash", script.toString(), archive.toString(), "docker",
                root.resolve("var/lib/extensions/docker.raw").toString()), java.util.Map.of("ARCH", "x86-64"),
                Files.createDirectories(tmp.resolve("script-work")), 300).assertSuccess();
        String out = mergeAndInspect(root);
        assertThat(section(out, "extensions")).containsExactly("docker");
        assertThat(section(out, "torcx")).extracting(l -> l.substring(l.lastIndexOf('/') + 1))
                .containsExactlyInAnyOrder("containerd.service", "docker.service");
        assertThat(section(out, "execs")).contains("missing /usr/bin/env");
        assertThat(section(out, "verify")).anyMatch(l -> l.contains("/usr/bin/env is not executable"));
    }

    private String mergeAndInspect(Path root) {
        String r = root.toString();
        String units = "containerd.service docker.service docker.socket";
        Shell.Result res = MountNamespace.run(String.join("\n",
                "R='" + r + "'",
                "systemd-sysext --root=\"$R\" merge 2>&1",
                "echo '=== extensions'; cat \"$R/usr/.systemd-sysext/extensions\"",
                "echo '=== torcx'; grep -ril torcx \"$R/usr/lib/systemd\" || true",
                "echo '=== execs'",
                "for u in " + units + "; do sed -n 's/^Exec[A-Za-z]*=[-@:+!|]*\\([^ ]*\\).*/\\1/p' "
                        + "\"$R/usr/lib/systemd/system/$u\"; done | sort -u | while read b; do",
                "  case \"$b\" in /*) p=\"$b\";; *) p=/usr/bin/$b;; esac",
                "  if [ -x \"$R$p\" ]; then echo \"ok $b\"; else echo \"missing $b\"; fi",
                "done",
                "echo '=== dropins'; cat \"$R/usr/lib/systemd/system/multi-user.target.d/10-containerd-service.conf\" "
                        + "\"$R/usr/lib/systemd/system/sockets.target.d/10-docker-socket.conf\"",
                "echo '=== verify'; systemd-analyze verify --root=\"$R\" " + units + " 2>&1; echo \"verify-rc=$?\"",
                "echo '=== end'",
                "systemd-sysext --root=\"$R\" unmerge 2>&1"));
        String out = res.all();
        System.out.println(out);
        res.assertSuccess();
        return out;
    }

    private static List<String> section(String out, String name) {
        String[] parts = out.split("=== ");
        for (String p : parts) {
            if (p.startsWith(name + "\n")) {
                return Arrays.stream(p.substring(name.length() + 1).split("\n")).filter(l -> !l.isBlank()).toList();
            }
        }
        throw new AssertionError("no section " + name + " in\n" + out);
    }
}
