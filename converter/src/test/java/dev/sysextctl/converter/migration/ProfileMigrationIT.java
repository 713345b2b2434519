package dev.sysextctl.converter.migration;

import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.build.BuilderImageWriter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.fixtures.ImageTree;
import dev.sysextctl.converter.fixtures.SquashfsArchives;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.converter.profile.ProfileRequest;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * F2 with a real {@code docker:19.03.torcx.squashfs}: the whole profile migration with real images, installed
 * with {@code --enable}, and the installed set merged by the real systemd-sysext 252.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "systemd-sysext"})
class ProfileMigrationIT {
    @TempDir
    Path tmp;

    @Test
    void f2MigratesFromTheSquashfsArchiveAndTheEnabledSetMerges() throws Exception {
        Path sq = SquashfsArchives.write(TorcxFixtures.f1Builder(false), tmp.resolve("src/docker:19.03.torcx.squashfs"));
        Path root = TorcxFixtures.f2(tmp.resolve("root"), sq);
        TorcxFixtures.write(root.resolve("etc/os-release"), "ID=flatcar\nVERSION_ID=3760.2.0\nSYSEXT_LEVEL=1.0\n");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"),
                Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
        NativeTools tools = NativeTools.system();
        MigrationResult r = ProfileMigration.run(new MigrationRequest(ProfileRequest.of(root), tmp.resolve("out"),
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), true),
                new BuilderImageWriter(tools, ImageSpec.defaults()), tools.unsquashfs());
        System.out.println(r.summary());
        assertThat(r.exitCode()).isZero();
        MigratedImage docker = r.report().images().get(0);
        assertThat(docker.archive()).isEqualTo("/var/lib/torcx/store/docker:19.03.torcx.squashfs");
        assertThat(docker.format()).isEqualTo("squashfs");
        Path image = tmp.resolve("out/docker-19.03-x86-64.raw");
        ImageTree t = ImageTree.read(image, tmp);
        assertThat(t.text("usr/lib/extension-release.d/extension-release.docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=19.03\nEXTENSION_RELOAD_MANAGER=1\n");
        assertThat(t.nodes()).containsKeys("usr/bin/dockerd", "usr/lib/systemd/system/containerd.service");
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker.raw")))
                .isEqualTo(Path.of("/opt/extensions/docker/docker-19.03-x86-64.raw"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw")))
                .isEqualTo(Path.of("/dev/null"));

        // systemd-sysext 252 skips symlinks in search dirs under --root (docs/compatibility.md §1.2): look at the
        // installed set from inside the root instead, where /etc/extensions links resolve like on a node.
        Files.createDirectories(root.resolve("usr/bin"));
        for (String l : new String[] {"bin", "sbin", "lib", "lib64"}) {
            Files.createSymbolicLink(root.resolve(l), Path.of("usr/" + l));
        }
        Shell.Result m = MountNamespace.run(String.join("\n",
                "R='" + root + "'",
                "mkdir -p \"$R/proc\" \"$R/dev\" \"$R/run\" \"$R/sys\" \"$R/tmp\"",
                "mount --bind \"$R\" \"$R\"",
                "mount -t proc proc \"$R/proc\"",
                "mount --rbind /dev \"$R/dev\"",
                "mount --rbind /sys \"$R/sys\"",
                "mount -t tmpfs tmpfs \"$R/run\" && mount --make-shared \"$R/run\"",
                "mount -t tmpfs tmpfs \"$R/tmp\"",
                "H='" + tmp.resolve("host-usr") + "'",
                "mkdir -p \"$H\" && mount --bind /usr \"$H\"",
                "mount -t overlay overlay -o lowerdir=\"$R/usr\":\"$H\" \"$R/usr\"",
                "chroot \"$R\" systemd-sysext merge 2>&1",
                "echo '=== merged'; cat \"$R/usr/.systemd-sysext/extensions\"",
                "test -x \"$R/usr/bin/dockerd\" && echo dockerd-present",
                "test -x \"$R/usr/bin/addon\" && echo addon-present",
                "echo '=== end'",
                "chroot \"$R\" systemd-sysext unmerge 2>&1"));
        System.out.println(m.all());
        m.assertSuccess();
        assertThat(m.stdout()).contains("=== merged\naddon_01\ndocker\n").contains("dockerd-present")
                .contains("addon-present");
    }
}
