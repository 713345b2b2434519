package dev.sysextctl.merger.it;

import static dev.sysextctl.merger.it.ConfextDifferential.assertSame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.it.ConfextDifferential.Pair;
import dev.sysextctl.merger.it.ConfextDifferential.Scenario;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.core.image.ddi.DdiSigner;
import dev.sysextctl.core.image.ddi.DdiWriter;
import dev.sysextctl.core.image.ddi.Gpt;
import dev.sysextctl.core.image.ddi.GptPartition;
import dev.sysextctl.core.image.ddi.PartitionTypes;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The confext scenarios of docs/compatibility.md §7 (K45 and later): each layout is put on the same root (the trixie
 * tree, its {@code /etc/os-release} Debian 12 unless a scenario changes it) and merged by the real
 * systemd-confext 257 and by the native engine ({@code --class confext}), in separate private mount namespaces;
 * {@link ConfextDifferential#assertSame} compares exit codes, the overlay on {@code /etc}, the markers, the whole
 * merged {@code /etc} entry by entry, the log lines, and {@code /etc} after the unmerge. Each test also pins
 * systemd-confext's own result, so a different oracle would show.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "mkfs.erofs", "unshare", "chroot", "setfattr",
        "openssl"})
class ConfextConformanceIT {
    static final String VL = "/var/lib/confexts";
    static final String DEBIAN_12 = Ext.DEBIAN_12;

    @TempDir
    Path tmp;

    private Pair run(String id, Consumer<Layout> build) {
        return ConfextDifferential.run(tmp, id, Scenario.of(build));
    }

    @Test
    void k45SquashfsConfextMergedIntoEtcWithMarkers() {
        Pair p = run("k45", l -> l.raw(VL, Ext.confext("foo")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("foo");
        assertThat(p.systemd().options()).isEqualTo("ro,nosuid,nodev,noexec,relatime");
        assertThat(p.systemd().entry("foo.conf")).startsWith("f 644 0:0 ./foo.conf");
        assertThat(p.systemd().output()).contains("Using extensions 'foo.raw'.", "Merged extensions into '/etc'.");
    }

    @Test
    void k46OrderByNameAndVersionLastWins() {
        Pair p = run("k46", l -> {
            for (String n : new String[] {"a", "b", "B", "foo-2", "foo-10"}) {
                l.raw(VL, Ext.confext(n).file("etc/common.conf", n));
            }
        });
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("B", "a", "b", "foo-2", "foo-10");
        assertThat(p.systemd().lowerDirs()).startsWith("/run/systemd/sysext/meta/etc",
                "/run/systemd/sysext/confexts/foo-10/etc");
    }

    @Test
    void k47RunBeatsVarLib() {
        Pair p = ConfextDifferential.run(tmp, "k47", Scenario.of(l -> l.raw(VL, Ext.confext("dup")
                .file("etc/where", "var-lib"))).run(r -> r.raw("confexts", Ext.confext("dup").file("etc/where",
                "run"))));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("dup");
        assertThat(p.systemd().tree()).contains("# " + sha256("run") + "  ./where");
    }

    @Test
    void k48EmptyDirectoryMasksTheName() {
        Pair p = ConfextDifferential.run(tmp, "k48", Scenario.of(l -> l.raw(VL, Ext.confext("m"))
                .raw(VL, Ext.confext("other"))).run(r -> r.emptyDir("confexts", "m")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("other");
    }

    @Test
    void k49ConfextLevelMatchAndMismatch() {
        Pair p = run("k49", l -> l.osRelease(DEBIAN_12 + "CONFEXT_LEVEL=1.0\nSYSEXT_LEVEL=2.0\n")
                .raw(VL, Ext.confext("lvl1").release("ID=debian\nVERSION_ID=11\nCONFEXT_LEVEL=1.0\n"))
                .raw(VL, Ext.confext("lvl2").release("ID=debian\nVERSION_ID=12\nCONFEXT_LEVEL=2.0\n"))
                .raw(VL, Ext.confext("sys2").release("ID=debian\nVERSION_ID=11\nSYSEXT_LEVEL=2.0\n")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("lvl1");
    }

    @Test
    void k50OtherIdOrVersionIdIsIgnored() {
        Pair p = run("k50", l -> l.raw(VL, Ext.confext("fed").release("ID=fedora\nVERSION_ID=12\n"))
                .raw(VL, Ext.confext("old").release("ID=debian\nVERSION_ID=11\n"))
                .raw(VL, Ext.confext("any").release("ID=_any\n")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("any");
    }

    @Test
    void k51IdLikeOfTheHostMatches() {
        Pair p = run("k51", l -> l.osRelease("ID=ubuntu\nID_LIKE=\"debian fancy\"\nVERSION_ID=12\n")
                .raw(VL, Ext.confext("deb").release("ID=debian\nVERSION_ID=12\n"))
                .raw(VL, Ext.confext("fed").release("ID=fedora\nVERSION_ID=12\n")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("deb");
    }

    @Test
    void k52ArchitectureMismatchIsIgnored() {
        Pair p = run("k52", l -> {
            String[][] arch = {{"a1", "x86-64"}, {"a2", "_any"}, {"a3", "arm64"}, {"a4", "x86_64"}};
            for (String[] a : arch) {
                l.raw(VL, Ext.confext(a[0]).release(DEBIAN_12 + "ARCHITECTURE=" + a[1] + "\n"));
            }
        });
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("a1", "a2");
    }

    private static void scopes(Layout l) {
        String[][] scopes = {{"s1", null}, {"s2", "CONFEXT_SCOPE=system"}, {"s3", "CONFEXT_SCOPE=initrd"},
            {"s4", "CONFEXT_SCOPE=initrd system"}, {"s5", "SYSEXT_SCOPE=initrd"}};
        for (String[] s : scopes) {
            l.raw(VL, Ext.confext(s[0]).release(DEBIAN_12 + (s[1] == null ? "" : s[1] + "\n")));
        }
    }

    @Test
    void k53sConfextScopeInTheSystem() {
        Pair p = run("k53s", ConfextConformanceIT::scopes);
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("s1", "s2", "s4", "s5");
    }

    @Test
    void k53iConfextScopeInTheInitrd() {
        Pair p = ConfextDifferential.run(tmp, "k53i", Scenario.of(ConfextConformanceIT::scopes)
                .env("SYSTEMD_IN_INITRD", "1"));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("s3", "s4");
    }

    @Test
    void k54DirectoryWithoutReleaseIsIgnored() {
        Pair p = run("k54", l -> l.directory(VL, Ext.confext("norel").noRelease())
                .raw(VL, Ext.confext("good")));
        assertSame(p);
        assertThat(p.systemd().rc()).isZero();
        assertThat(p.systemd().merged()).containsExactly("good");
    }

    @Test
    void k55SysextInTheConfextDirectoryIsIgnoredAndOneWithBothReleasesMerged() {
        Pair p = run("k55", l -> l.raw(VL, Ext.named("sx").file("etc/sx.conf", "sx"))
                .directory(VL, Ext.named("sxd").file("etc/sxd.conf", "sxd"))
                .raw(VL, Ext.confext("both").file("usr/lib/extension-release.d/extension-release.both", DEBIAN_12)));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("both");
        assertThat(p.systemd().entry("sx.conf")).isNull();
    }

    @Test
    void k56DirectoryConfext() {
        Pair p = run("k56", l -> l.directory(VL, Ext.confext("dir").file("etc/dir.d/x", "x")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("dir");
    }

    @Test
    void k57ErofsConfext() {
        Pair p = run("k57", l -> {
            l.mkdirs(VL);
            Ext.confext("ero").file("etc/ero.d/x", "erofs").erofs(l.path(VL).resolve("ero.raw"));
        });
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("ero");
    }

    /*
     * K58: the opaque directory and the whiteout are in squashfs images: the root here is itself an overlay, which
     * hides trusted.overlay.* attributes and turns 0:0 character devices of its upper layer into whiteouts of its own,
     * so a directory image in it would show neither.
     */
    @Test
    void k58OverlappingFilesAndOpaqueDirectories() {
        Pair p = run("k58", l -> l.host("etc/od/host-only", "host").host("etc/shared.d/host", "host")
                .directory(VL, Ext.confext("x1").file("etc/shared.d/f", "x1").file("etc/od/x1", "x1"))
                .raw(VL, Ext.confext("x2").file("etc/shared.d/f", "x2").opaque("etc/od")
                        .file("etc/od/x2", "x2")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("x1", "x2");
        assertThat(p.systemd().tree()).contains("# " + sha256("x2") + "  ./shared.d/f");
        assertThat(p.systemd().entry("od/host-only")).isNull();
        assertThat(p.systemd().entry("od/x1")).isNull();
        assertThat(p.systemd().entry("od/x2")).isNotNull();
        assertThat(p.systemd().entry("shared.d/host")).isNotNull();
    }

    @Test
    void k58wWhiteoutHidesTheHostFile() {
        Pair p = run("k58w", l -> l.host("etc/victim", "host")
                .raw(VL, Ext.confext("wo").whiteout("etc/victim")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("wo");
        assertThat(p.systemd().entry("victim")).isNull();
    }

    @Test
    void k59HostFilesShadowedAndRestoredByUnmerge() {
        Pair p = run("k59", l -> l.host("etc/shadowed.conf", "host\n")
                .raw(VL, Ext.confext("sh").file("etc/shadowed.conf", "ext\n").symlink("etc/link", "shadowed.conf")));
        assertSame(p);
        assertThat(p.systemd().before()).contains("# " + sha256("host\n") + "  ./shadowed.conf");
        assertThat(p.systemd().tree()).contains("# " + sha256("ext\n") + "  ./shadowed.conf");
        assertThat(p.systemd().entry("link")).contains("shadowed.conf");
        assertThat(p.systemd().unmergeOutput()).contains("Unmerged '/etc'.");
    }

    @Test
    void k60RefreshAfterAddingAnImage() {
        Pair p = ConfextDifferential.run(tmp, "k60", Scenario.of(l -> l.raw(VL, Ext.confext("first")))
                .run(r -> r.raw("stage", Ext.confext("late")))
                .thenRefresh("cp \"$R/run/stage/late.raw\" \"$R/var/lib/confexts/\""));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("first");
        assertThat(p.systemd().refreshConfexts()).isEqualTo("first\nlate");
    }

    @Test
    void k61UsrContentOfAConfextIsNotMerged() {
        Pair p = run("k61", l -> l.raw(VL, Ext.confext("withusr").file("usr/share/withusr/x", "usr")
                .file("opt/withusr/y", "opt")));
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("withusr");
        assertThat(p.systemd().transcript()).doesNotContain("overlay sysext");
    }

    @Test
    void k62NothingToMerge() {
        Pair p = run("k62", l -> l.mkdirs(VL));
        assertSame(p);
        assertThat(p.systemd().merged()).isEmpty();
        assertThat(p.systemd().output()).contains("No extensions found");
    }

    @Test
    void k63ConfextDdisWithoutVerityAndUnsignedWithVerity() {
        Pair p = run("k63", l -> {
            try {
                l.mkdirs(VL);
                Path plainFs = Ext.confext("cplain").file("etc/cplain.d/x", "plain ddi").erofs(tmp.resolve("cplain.erofs"));
                plainDdi(plainFs, l.path(VL).resolve("cplain.raw"));
                Path verityFs = Ext.confext("cverity").file("etc/cverity.d/x", "verity ddi")
                        .erofs(tmp.resolve("cverity.erofs"));
                DdiWriter.write(verityFs, l.path(VL).resolve("cverity.raw"), "x86-64", new UUID(7, 8), null);
            } catch (java.io.IOException | dev.sysextctl.core.error.SysextctlException e) {
                throw new IllegalStateException(e);
            }
        });
        assertSame(p);
        assertThat(p.systemd().merged()).containsExactly("cplain", "cverity");
        assertThat(p.systemd().tree()).contains("# " + sha256("plain ddi") + "  ./cplain.d/x",
                "# " + sha256("verity ddi") + "  ./cverity.d/x");
        assertThat(p.systemd().options()).isEqualTo("ro,nosuid,nodev,noexec,relatime");
    }

    @Test
    void k64ASignedConfextDdiUnderAPolicyWithVerityButNotSignedIsMountedUnverified() {
        // systemd 257 ignores the signature partition where the policy leaves signed out ("policy dictates to
        // ignore"): no root hash, so the data partition is mounted unverified, on this kernel without device-mapper
        // too; under its default policy it would need dm-verity and fail the whole merge
        Pair p = ConfextDifferential.run(tmp, "k64", Scenario.of(l -> {
            try {
                l.mkdirs(VL);
                dev.sysextctl.testing.Shell.shOk("cd '" + tmp + "' && openssl req -x509 -newkey rsa:2048 -nodes "
                        + "-keyout key.pem -out cert.pem -days 3650 -subj /CN=k64 2>&1");
                Path fs = Ext.confext("csigned").file("etc/csigned.d/x", "signed ddi").erofs(tmp.resolve("cs.erofs"));
                DdiWriter.write(fs, l.path(VL).resolve("csigned.raw"), "x86-64", new UUID(9, 10), DdiSigner.of(
                        new NativeTools(new ZtProcessRunner()).openssl(), tmp.resolve("key.pem"),
                        tmp.resolve("cert.pem")));
            } catch (dev.sysextctl.core.error.SysextctlException e) {
                throw new IllegalStateException(e);
            }
        }).imagePolicy("root=verity+absent:usr=absent"));
        assertSame(p);
        assertThat(p.systemd().rc()).isZero();
        assertThat(p.systemd().merged()).containsExactly("csigned");
        assertThat(p.systemd().tree()).contains("# " + sha256("signed ddi") + "  ./csigned.d/x");
    }

    @Test
    void k65AnUnsignedConfextDdiUnderAPolicyWithVerityOnlyIsMountedUnverified() {
        // systemd 257 counts a verity partition without a signature partition as verity, so the policy admits it,
        // but nothing gives it a root hash (no NAME.roothash, no user.verity.roothash): it mounts the data partition
        // unverified, on this kernel without device-mapper too; a signed-only policy refuses it and fails the merge
        Consumer<Layout> build = l -> {
            try {
                l.mkdirs(VL);
                Path fs = Ext.confext("cunsigned").file("etc/cunsigned.d/x", "unsigned ddi")
                        .erofs(tmp.resolve("cu-" + l.hashCode() + ".erofs"));
                DdiWriter.write(fs, l.path(VL).resolve("cunsigned.raw"), "x86-64", new UUID(11, 12), null);
            } catch (dev.sysextctl.core.error.SysextctlException e) {
                throw new IllegalStateException(e);
            }
        };
        Pair p = ConfextDifferential.run(tmp, "k65", Scenario.of(build).imagePolicy("root=verity+absent:usr=absent"));
        assertSame(p);
        assertThat(p.systemd().rc()).isZero();
        assertThat(p.systemd().merged()).containsExactly("cunsigned");
        assertThat(p.systemd().tree()).contains("# " + sha256("unsigned ddi") + "  ./cunsigned.d/x");
        Pair signedOnly = ConfextDifferential.run(tmp, "k65s", Scenario.of(build)
                .imagePolicy("root=signed+absent:usr=absent"));
        assertThat(signedOnly.systemd().rc()).as("%s", signedOnly.systemd().output()).isEqualTo(1);
        assertThat(signedOnly.systemd().merged()).isEmpty();
        assertThat(signedOnly.systemd().output()).contains("Image does not match image policy");
        // the native engine refuses that image alone (docs/compatibility.md §8)
        assertThat(signedOnly.nativeRun().merged()).isEmpty();
        assertThat(signedOnly.nativeRun().output()).contains("[image-policy]");
    }

    /** A GPT holding {@code fs} in an x86-64 root partition and nothing else (systemd-repart with Verity= off). */
    private static void plainDdi(Path fs, Path out) throws java.io.IOException {
        long bytes = java.nio.file.Files.size(fs);
        long dataSectors = (bytes + 4095) / 4096 * 8;
        long sectors = 40 + dataSectors + 40;
        GptPartition root = new GptPartition(PartitionTypes.of("x86-64", PartitionTypes.Role.ROOT).orElseThrow(),
                new UUID(3, 4), "root-x86-64", 40, 40 + dataSectors - 1, 0);
        try (FileChannel c = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                FileChannel in = FileChannel.open(fs)) {
            c.write(ByteBuffer.allocate(1), sectors * 512 - 1);
            Gpt.of(new UUID(5, 6), sectors, List.of(root)).write(c);
            long done = 0;
            while (done < bytes) {
                done += in.transferTo(done, bytes - done, c.position(40 * 512 + done));
            }
        }
    }

    static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
