package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.validate.ImageValidator;
import dev.sysextctl.builder.validate.ImageVerdict;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieChroot;
import dev.sysextctl.testing.TrixieTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real systemd-confext 257 (Debian trixie) merges the confexts {@code build --class confext} made, in the
 * chroot of TrixieChroot: the right ones (its verdicts are those of {@code validate}), their /etc files, its marker
 * and status (docs/compatibility.md §2.7).
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "mkfs.erofs", "unshare", "chroot"})
class ConfextMergeIT {
    static final String OS_RELEASE = "ID=debian\nVERSION_ID=13\nSYSEXT_LEVEL=1\nCONFEXT_LEVEL=2\n";

    @TempDir
    Path tmp;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    private Path build(String name, ExtensionClass cls, BuildFormat format, String level, String file)
            throws Exception {
        Path tree = tmp.resolve("tree-" + name);
        Fixtures.file(tree, (cls == ExtensionClass.CONFEXT ? "etc/" : "usr/share/") + name + "/" + file, name + "\n");
        ImageSpec spec = ImageSpec.builder().extensionClass(cls).os("debian").sysextLevel(level).format(format)
                .build();
        Path out = tmp.resolve("images/" + name + ".raw");
        new ImageBuilder(tools).build(BuildRequest.builder(name).source(new DirectorySource(tree)).spec(spec)
                .extensionRelease(spec.toReleaseFile()).output(out).build());
        return out;
    }

    @Test
    void systemdConfextMergesTheConfextsBuiltAndIgnoresWhatValidateRefuses() throws Exception {
        List<Path> images = new ArrayList<>();
        images.add(build("motd", ExtensionClass.CONFEXT, BuildFormat.SQUASHFS, "2", "50-hello"));
        images.add(build("tuning", ExtensionClass.CONFEXT, BuildFormat.EROFS, "2", "tuning.conf"));
        images.add(build("future", ExtensionClass.CONFEXT, BuildFormat.SQUASHFS, "3", "f.conf"));
        images.add(build("tools", ExtensionClass.SYSEXT, BuildFormat.SQUASHFS, "1", "t"));

        TargetOs target = TargetOs.fromOsRelease(EnvFile.parse(OS_RELEASE), "x86-64", "system");
        List<String> accepted = new ArrayList<>();
        for (Path image : images) {
            ImageVerdict v = new ImageValidator(tools).validate(image, null, target, new SystemdVersion(257),
                    ExtensionClass.CONFEXT);
            if (v.accepted()) {
                accepted.add(v.name());
            }
        }
        assertThat(accepted).containsExactly("motd", "tuning");

        Path node = Files.createDirectories(tmp.resolve("node"));
        for (String d : new String[] {"upper", "work", "root"}) {
            Files.createDirectory(node.resolve(d));
        }
        Shell.Result r = MountNamespace.run(TrixieChroot.mountRoot(TrixieTools.chroot(), node.resolve("upper"),
                node.resolve("work"), node.resolve("root").toString())
                + "rm -f $R/etc/os-release && printf '" + OS_RELEASE.replace("\n", "\\n") + "' > $R/etc/os-release\n"
                + "mkdir -p $R/run/confexts && cp " + tmp.resolve("images") + "/*.raw $R/run/confexts/\n"
                + "chroot $R systemd-confext merge 2>&1\n"
                + "echo \"motd: $(cat $R/etc/motd/50-hello)\"\n"
                + "echo \"tuning: $(cat $R/etc/tuning/tuning.conf)\"\n"
                + "echo \"future: $(ls $R/etc/future 2>&1 >/dev/null | wc -l)\"\n"
                + "echo \"status: $(chroot $R systemd-confext status --json=short)\"\n"
                + "echo \"marker: $(cat $R/etc/.systemd-confext/confexts | tr '\\n' ' ')\"\n"
                + "echo \"usr: $(ls $R/usr/share/tools 2>&1 >/dev/null | wc -l)\"\n"
                + "chroot $R systemd-confext unmerge >/dev/null 2>&1\n"
                + "echo \"after unmerge: $(ls $R/etc/tuning 2>&1 >/dev/null | wc -l)\"\n");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Using extensions 'motd.raw', 'tuning.raw'.", "Merged extensions into '/etc'.",
                "motd: motd", "tuning: tuning", "future: 1", "usr: 1", "after unmerge: 1");
        assertThat(r.stdout()).containsPattern("status: \\[\\{\"hierarchy\":\"/etc\",\"extensions\":\\[\"motd\","
                + "\"tuning\"\\]");
        assertThat(r.stdout()).contains("marker: motd tuning");
    }
}
