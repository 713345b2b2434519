package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.validate.ImageValidator;
import dev.sysextctl.builder.validate.ImageVerdict;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiImageFs;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieChroot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confexts built in every format and read back by the real tools (docs/cli.md §2.5): unsquashfs, fsck.erofs, and for
 * the DDI systemd-dissect 257 ({@code --validate}, {@code --json=short}) beside the DDI systemd-repart 257 makes with
 * {@code --make-ddi=confext} of the same tree (Debian trixie, as DdiPeersIT).
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "mkfs.erofs", "fsck.erofs", "openssl",
    "unshare", "chroot"})
class ConfextBuildIT {
    static final String SEED = "0c1a9a8e-1111-4222-8333-444455556666";
    static final String RELEASE_PATH = "etc/extension-release.d/extension-release.motd";

    @TempDir
    Path tmp;
    Path tree;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());
    ReleaseFile release;

    @BeforeEach
    void setUp() throws Exception {
        tree = tmp.resolve("tree");
        Fixtures.file(tree, "etc/motd.d/50-hello", "Hello from a confext\n");
        Fixtures.file(tree, "etc/hello/hello.conf", "greeting=hi\n");
        Files.createSymbolicLink(tree.resolve("etc/hello/current.conf"), Path.of("hello.conf"));
        Fixtures.file(tree, "usr/share/doc/hello/README", "left out\n");
        release = spec(BuildFormat.SQUASHFS, null).toReleaseFile();
    }

    private ImageSpec spec(BuildFormat format, DdiSettings ddi) {
        return ImageSpec.builder().extensionClass(ExtensionClass.CONFEXT).os("_any").architecture("x86-64")
                .sysextLevel("2").scope("system").version("1.0").format(format).ddi(ddi).sourceDateEpoch(77).build();
    }

    private BuildReport build(BuildFormat format, DdiSettings ddi, String out) throws Exception {
        ImageSpec s = spec(format, ddi);
        return new ImageBuilder(tools).build(BuildRequest.builder("motd").source(new DirectorySource(tree)).spec(s)
                .extensionRelease(s.toReleaseFile()).output(tmp.resolve(out)).build());
    }

    /** The tree the confext must hold: etc/ of the source and its release file, nothing else. */
    private List<String> expectedPaths() {
        return List.of("etc", "etc/extension-release.d", RELEASE_PATH, "etc/hello", "etc/hello/current.conf",
                "etc/hello/hello.conf", "etc/motd.d", "etc/motd.d/50-hello");
    }

    private static List<String> listed(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (var s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> out.add(root.relativize(p).toString()));
        }
        return out.stream().sorted().toList();
    }

    @Test
    void aConfextFileNamedNameDotConfextDotRawIsValidatedUnderNameAsSystemdConfext257NamesIt() throws Exception {
        build(BuildFormat.SQUASHFS, null, "motd.confext.raw");
        TargetOs trixie = new TargetOs("debian", List.of(), "13", null, "2", "x86-64", "system");
        ImageValidator validator = new ImageValidator(tools);
        ImageVerdict v = validator.validate(tmp.resolve("motd.confext.raw"), null, trixie, new SystemdVersion(257),
                null);
        assertThat(v).extracting(ImageVerdict::accepted, ImageVerdict::name, ImageVerdict::extensionClass,
                ImageVerdict::rule).containsExactly(true, "motd", ExtensionClass.CONFEXT, "any-os");
        assertThat(validator.validate(tmp.resolve("motd.confext.raw"), null, trixie, new SystemdVersion(257),
                ExtensionClass.CONFEXT).name()).isEqualTo("motd");
        // before 255 the suffix is not stripped: the name is motd.confext, whose release file it does not carry
        ImageVerdict old = validator.validate(tmp.resolve("motd.confext.raw"), null, trixie, new SystemdVersion(254),
                ExtensionClass.CONFEXT);
        assertThat(old.accepted()).isFalse();
        assertThat(old.name()).isEqualTo("motd.confext");
    }

    @Test
    void squashfsConfextReadsBackWithUnsquashfsAndIsReproducible() throws Exception {
        BuildReport one = build(BuildFormat.SQUASHFS, null, "one.raw");
        BuildReport two = build(BuildFormat.SQUASHFS, null, "two.raw");
        assertThat(one.sha256()).isEqualTo(two.sha256());
        assertThat(Files.readAllBytes(tmp.resolve("one.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("two.raw")));
        assertThat(one.extensionClass()).isEqualTo(ExtensionClass.CONFEXT);
        assertThat(one.hierarchies()).containsExactly("etc");
        Shell.shOk("unsquashfs -d '" + tmp.resolve("x") + "' '" + tmp.resolve("one.raw") + "' >/dev/null");
        assertThat(listed(tmp.resolve("x"))).isEqualTo(expectedPaths());
        assertThat(Shell.shOk("unsquashfs -cat '" + tmp.resolve("one.raw") + "' " + RELEASE_PATH).stdout())
                .isEqualTo("ID=_any\nCONFEXT_LEVEL=2\nARCHITECTURE=x86-64\nCONFEXT_SCOPE=system\n"
                        + "CONFEXT_VERSION_ID=1.0\n")
                .isEqualTo(release.render());
        assertThat(Files.readSymbolicLink(tmp.resolve("x/etc/hello/current.conf"))).isEqualTo(Path.of("hello.conf"));
        assertThat(Shell.shOk("unsquashfs -lln '" + tmp.resolve("one.raw") + "'").stdout())
                .contains("0/0").doesNotContain("usr");
    }

    @Test
    void erofsConfextReadsBackWithFsckErofsAndIsReproducible() throws Exception {
        BuildReport one = build(BuildFormat.EROFS, null, "one.raw");
        BuildReport two = build(BuildFormat.EROFS, null, "two.raw");
        assertThat(one.sha256()).isEqualTo(two.sha256());
        Shell.shOk("fsck.erofs --extract='" + tmp.resolve("x") + "' '" + tmp.resolve("one.raw") + "'");
        assertThat(listed(tmp.resolve("x"))).isEqualTo(expectedPaths());
        assertThat(Files.readString(tmp.resolve("x").resolve(RELEASE_PATH))).isEqualTo(release.render());
        assertThat(Files.readString(tmp.resolve("x/etc/motd.d/50-hello"))).isEqualTo("Hello from a confext\n");
    }

    @Test
    void directoryConfextIsTheTreeItself() throws Exception {
        BuildReport one = build(BuildFormat.DIRECTORY, null, "motd");
        assertThat(listed(tmp.resolve("motd"))).isEqualTo(expectedPaths());
        assertThat(one.sha256()).isEqualTo(build(BuildFormat.DIRECTORY, null, "again").sha256());
    }

    @Test
    void ddiConfextPassesSystemdDissectAndHasTheLayoutOfSystemdRepartsConfextDdi() throws Exception {
        DdiBuildIT.keyPair(tmp);
        DdiSettings signed = new DdiSettings(null, tmp.resolve("key.pem"), tmp.resolve("cert.pem"),
                UUID.fromString(SEED));
        BuildReport one = build(BuildFormat.DDI, signed, "sysextctl.raw");
        assertThat(one.sha256()).isEqualTo(build(BuildFormat.DDI, signed, "again.raw").sha256());
        build(BuildFormat.DDI, null, "unsigned.raw");
        // repart copies the tree as it is: give it what the confext holds
        Path repartTree = tmp.resolve("repart-tree");
        Shell.shOk("mkdir -p '" + repartTree + "' && cp -a '" + tree.resolve("etc") + "' '" + repartTree + "/' && "
                + "mkdir -p '" + repartTree.resolve("etc/extension-release.d") + "'");
        Files.writeString(repartTree.resolve(RELEASE_PATH), release.render());
        Shell.Result r = TrixieChroot.run(tmp, "mkdir -p /etc/verity.d && cp cert.pem /etc/verity.d/test.crt\n"
                + "for f in sysextctl unsigned; do echo \"$f: $(systemd-dissect --validate $f.raw 2>&1)\"; done\n"
                + "systemd-repart --make-ddi=confext --copy-source=/work/repart-tree --private-key=key.pem "
                + "--certificate=cert.pem --seed=" + SEED + " repart.raw >/dev/null 2>&1\n"
                + "for f in sysextctl repart; do sfdisk --json $f.raw > $f.sfdisk.json; "
                + "systemd-dissect --json=short --image-policy='*' $f.raw > $f.dissect.json; done\n");
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout().lines()).containsExactly("sysextctl: OK", "unsigned: OK");
        assertThat(DdiPeersIT.partitions(tmp.resolve("sysextctl.sfdisk.json")))
                .isEqualTo(DdiPeersIT.partitions(tmp.resolve("repart.sfdisk.json")))
                .containsExactly("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 root-x86-64 GUID:60",
                        "2C7357ED-EBD2-46D9-AEC1-23D437EC2BF5 root-x86-64-verity GUID:60",
                        "41092B05-9FC8-4523-994F-2DEF0408B176 root-x86-64-verity-sig -");
        assertThat(DdiPeersIT.mounts(tmp.resolve("sysextctl.dissect.json")))
                .isEqualTo(DdiPeersIT.mounts(tmp.resolve("repart.dissect.json")))
                .contains("root root-x86-64 erofs x86-64 signed");
        // The kernel here has no dm-verity, so systemd-dissect cannot mount either image to read its release file
        // (no confextRelease in its JSON): the file systems are compared with sysextctl's reader, path by path.
        List<String> repartPaths;
        try (DdiImageFs fs = DdiImageFs.of(DdiImage.open(tmp.resolve("repart.raw")))) {
            repartPaths = fs.walk().stream().map(e -> e.path()).filter(p -> !p.isEmpty()).sorted().toList();
        }
        try (DdiImageFs fs = DdiImageFs.of(DdiImage.open(tmp.resolve("sysextctl.raw")))) {
            assertThat(new String(fs.read(RELEASE_PATH))).isEqualTo(release.render());
            assertThat(new String(fs.read("etc/motd.d/50-hello"))).isEqualTo("Hello from a confext\n");
            assertThat(fs.walk().stream().map(e -> e.path()).filter(p -> !p.isEmpty()).sorted().toList())
                    .isEqualTo(repartPaths).isEqualTo(expectedPaths());
        }
    }
}
