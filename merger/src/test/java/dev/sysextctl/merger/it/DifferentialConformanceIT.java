package dev.sysextctl.merger.it;

import static dev.sysextctl.merger.it.Differential.assertSame;
import static dev.sysextctl.merger.it.Differential.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.it.Differential.Pair;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance scenarios of docs/compatibility.md §7 where sysextctl behaves as systemd-sysext 252: each layout is
 * merged by the real systemd-sysext and by the native engine, in separate private mount namespaces, and the test
 * compares which extensions were merged, the overlay's layer order, the content at conflicting paths, the
 * marker files, the log lines, and the tree after unmerge. Each test also pins systemd's observed result from the
 * spec, so a different oracle would show. Deliberate differences are in {@link DeliberateDifferencesIT}.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare", "setfattr"})
class DifferentialConformanceIT {
    static final String E = "/etc/extensions";
    static final String VL = "/var/lib/extensions";
    static final String SHARE = "/usr/share/sysext-test/";

    @TempDir
    Path tmp;

    @Test
    void k01RawImageMergedWithMarkersReadOnlyAndUnmerged() {
        Pair p = run(tmp, "k01", l -> l.raw(E, Ext.named("foo")), r -> r.probes(SHARE + "foo", SHARE + "host")
                .after("touch \"$R/usr/x\" 2>&1"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("foo");
        assertThat(p.nativeRun().files().get(SHARE + "foo")).isEqualTo("foo");
        assertThat(p.nativeRun().h("/usr").lowerDirs()).containsExactly("/run/systemd/sysext/meta/usr",
                "/run/systemd/sysext/extensions/foo/usr", "<R>/usr");
        assertThat(p.nativeRun().extra()).contains("Read-only file system");
        assertThat(p.nativeRun().unmergeOutput()).contains("Unmerged '" + p.nativeRoot() + "/usr'.");
    }

    @Test
    void k02DirectoryExtensionInVarLib() {
        Pair p = run(tmp, "k02", l -> l.directory(VL, Ext.named("bar")), r -> r.probes(SHARE + "bar"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("bar");
    }

    @Test
    void k03OtherOsIsIgnored() {
        Pair p = run(tmp, "k03", l -> l.raw(E, Ext.named("fed").release("ID=fedora\nVERSION_ID=12\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().output()).contains("No suitable extensions found (1 ignored due to incompatible "
                + "version).");
    }

    @Test
    void k04AnyOsMatchesAndIdIsCaseSensitive() {
        Pair p = run(tmp, "k04", l -> l.raw(E, Ext.named("any").release("ID=_any\nVERSION_ID=99\n"))
                .raw(E, Ext.named("cap").release("ID=Debian\nVERSION_ID=12\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("any");
    }

    @Test
    void k05VersionIdIsComparedAsAString() {
        Pair p = run(tmp, "k05", l -> l.raw(E, Ext.named("v").release("ID=debian\nVERSION_ID=12.0\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
    }

    @Test
    void k06SysextLevelWinsOverVersionId() {
        Pair p = run(tmp, "k06", l -> l.osRelease("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n")
                .raw(E, Ext.named("lvl").release("ID=debian\nVERSION_ID=11\nSYSEXT_LEVEL=1.0\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("lvl");
    }

    @Test
    void k07SysextLevelMismatchIsRefused() {
        Pair p = run(tmp, "k07", l -> l.osRelease("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n")
                .raw(E, Ext.named("lvl").release("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=2.0\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
    }

    @Test
    void k08HostLevelExtensionWithoutLevelFallsBackToVersionId() {
        Pair p = run(tmp, "k08", l -> l.osRelease("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n")
                .raw(E, Ext.named("v12")).raw(E, Ext.named("v11").release("ID=debian\nVERSION_ID=11\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("v12");
    }

    @Test
    void k09HostWithLevelButNoVersionIdFallsThrough() {
        Pair p = run(tmp, "k09", l -> l.osRelease("ID=debian\nSYSEXT_LEVEL=1.0\n")
                .raw(E, Ext.named("idonly").release("ID=debian\n"))
                .raw(E, Ext.named("v7").release("ID=debian\nVERSION_ID=7\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("idonly", "v7");
    }

    @Test
    void k10RollingReleaseHostMatchesById() {
        Pair p = run(tmp, "k10", l -> l.osRelease("ID=arch\n")
                .raw(E, Ext.named("arch").release("ID=arch\nVERSION_ID=5\nSYSEXT_LEVEL=9\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("arch");
    }

    @Test
    void k11LevelOnlyExtensionNeedsVersionIdWhenHostHasNoLevel() {
        Pair p = run(tmp, "k11", l -> l.raw(E, Ext.named("lvlonly").release("ID=debian\nSYSEXT_LEVEL=1\n"))
                .raw(E, Ext.named("both").release("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=77\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("both");
    }

    @Test
    void k12ArchitectureNamesAreSystemdsExactly() {
        Pair p = run(tmp, "k12", l -> {
            String[][] arch = {{"a1", "x86-64"}, {"a2", "_any"}, {"a3", "x86_64"}, {"a4", "X86-64"}, {"a5", "amd64"},
                {"a6", "arm64"}};
            for (String[] a : arch) {
                l.raw(E, Ext.named(a[0]).release(Ext.DEBIAN_12 + "ARCHITECTURE=" + a[1] + "\n"));
            }
        }, r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("a1", "a2");
    }

    private static void scopes(dev.sysextctl.merger.lab.Layout l) {
        String[][] scopes = {{"s1", null}, {"s2", "system"}, {"s3", "initrd system"}, {"s4", "initrd"},
            {"s5", "portable"}, {"s6", "initrd portable"}, {"s7", "System"}};
        for (String[] s : scopes) {
            l.raw(E, Ext.named(s[0]).release(Ext.DEBIAN_12 + (s[1] == null ? "" : "SYSEXT_SCOPE=" + s[1] + "\n")));
        }
    }

    @Test
    void k13ScopeInTheSystem() {
        Pair p = run(tmp, "k13s", DifferentialConformanceIT::scopes, r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("s1", "s2", "s3");
    }

    @Test
    void k13ScopeInTheInitrd() {
        Pair p = run(tmp, "k13i", DifferentialConformanceIT::scopes, r -> r.env("SYSTEMD_IN_INITRD", "1"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("s3", "s4", "s6");
    }

    @Test
    void k14ExtensionWithoutIdAndEmptyReleaseAreIgnored() {
        Pair p = run(tmp, "k14", l -> l.raw(E, Ext.named("noid").release("VERSION_ID=12\n"))
                .raw(E, Ext.named("empty").release("")), r -> r);
        assertSame(p);
        assertThat(p.systemd().output()).contains("(2 ignored due to incompatible version)");
    }

    @Test
    void k15DirectoryWithoutReleaseIsIgnored() {
        Pair p = run(tmp, "k15", l -> l.directory(VL, Ext.named("d").noRelease()), r -> r);
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.systemd().rc()).isZero();
    }

    @Test
    void k16ReleaseFallbackByStrictXattrInDirectories() {
        Pair p = run(tmp, "k16", l -> {
            l.directory(VL, Ext.named("x1").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12, null));
            l.directory(VL, Ext.named("x2").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12, "0"));
            l.directory(VL, Ext.named("x3").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12,
                    "false"));
            l.directory(VL, Ext.named("x4").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12, "1"));
            l.directory(VL, Ext.named("x5").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12,
                    "maybe"));
            l.directory(VL, Ext.named("x6").noRelease().releaseFile("extension-release.o1", Ext.DEBIAN_12, "0")
                    .releaseFile("extension-release.o2", Ext.DEBIAN_12, "0"));
            l.directory(VL, Ext.named("x7").releaseFile("extension-release.other", Ext.DEBIAN_12, null));
        }, r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("x2", "x3", "x7");
    }

    @Test
    void k17RawImageWithFallbackReleaseMarkedNotStrict() {
        Pair p = run(tmp, "k17", l -> l.raw(E, Ext.named("rx").noRelease()
                .releaseFile("extension-release.other", Ext.DEBIAN_12, "0")), r -> r.probes(SHARE + "rx"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("rx");
    }

    @Test
    void k18ForceMergesAnImageCarryingOsRelease() {
        Pair p = run(tmp, "k18", l -> l.host("usr/lib/os-release", "ID=debian\nVERSION_ID=12\nNAME=host\n")
                .directory(VL, Ext.named("bad").file("usr/lib/os-release", "ID=debian\nNAME=ext\n"))
                .directory(VL, Ext.named("good")), r -> r.force().probes("/usr/lib/os-release"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("bad", "good");
        assertThat(p.systemd().files().get("/usr/lib/os-release")).isEqualTo("ID=debian");
    }

    @Test
    void k19OptIsMergedAndItsMountPointStaysOtherHierarchiesAreNot() {
        Pair p = run(tmp, "k19", l -> l.raw(E, Ext.named("multi").file("opt/multi/bin", "opt").file("etc/multi",
                "etc").file("var/multi", "var").file("srv/multi", "srv")),
                r -> r.probes("/opt/multi/bin", "/etc/multi", "/srv/multi"));
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).containsExactly("/opt", "/usr");
        assertThat(p.nativeRun().h("/opt").lowerDirs()).containsExactly("/run/systemd/sysext/meta/opt",
                "/run/systemd/sysext/extensions/multi/opt");
        assertThat(p.nativeRun().h("/opt").extensions()).isEqualTo("multi");
        assertThat(p.nativeRun().files().get("/etc/multi")).isNull();
        assertThat(p.nativeRun().treeAfter()).contains("./opt drwxr-xr-x");
    }

    @Test
    void k20EmptyOptInTheImageIsNotMerged() {
        Pair p = run(tmp, "k20", l -> l.raw(E, Ext.named("eo").dir("opt")), r -> r);
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).containsExactly("/usr");
    }

    @Test
    void k21LayerOrderIsStrverscmpImprovedHighestOnTop() {
        Pair p = run(tmp, "k21", l -> {
            l.host("usr/bin/common", "host");
            for (String n : List.of("a", "b", "B", "foo-2", "foo-10", "0x")) {
                l.raw(E, Ext.named(n).file("usr/bin/common", n));
            }
        }, r -> r.probes("/usr/bin/common"));
        assertSame(p);
        assertThat(p.systemd().files().get("/usr/bin/common")).isEqualTo("0x");
        assertThat(p.nativeRun().h("/usr").lowerDirs()).containsExactly("/run/systemd/sysext/meta/usr",
                "/run/systemd/sysext/extensions/0x/usr", "/run/systemd/sysext/extensions/foo-10/usr",
                "/run/systemd/sysext/extensions/foo-2/usr", "/run/systemd/sysext/extensions/b/usr",
                "/run/systemd/sysext/extensions/a/usr", "/run/systemd/sysext/extensions/B/usr", "<R>/usr");
        assertThat(p.systemd().output()).contains("Using extensions 'B', 'a', 'b', 'foo-2', 'foo-10', '0x'.");
    }

    @Test
    void k21NumericVersionsAndASingleExtensionOverTheHost() {
        Pair p = run(tmp, "k21b", l -> l.host("usr/bin/common", "host")
                .raw(E, Ext.named("foo-2").file("usr/bin/common", "foo-2"))
                .raw(E, Ext.named("foo-10").file("usr/bin/common", "foo-10")), r -> r.probes("/usr/bin/common"));
        assertSame(p);
        assertThat(p.systemd().files().get("/usr/bin/common")).isEqualTo("foo-10");
    }

    @Test
    void k22FirstSearchDirectoryWinsThenTheNext() {
        String[] dirs = {"/etc/extensions", "/run/extensions", "/var/lib/extensions", "/usr/local/lib/extensions",
            "/usr/lib/extensions"};
        for (int drop = 0; drop < dirs.length; drop++) {
            int from = drop;
            Pair p = run(tmp, "k22-" + drop, l -> {
                for (int i = from; i < dirs.length; i++) {
                    l.raw(dirs[i], Ext.named("dup").file("usr/share/sysext-test/dup", dirs[i]));
                }
            }, r -> r.probes(SHARE + "dup"));
            assertSame(p);
            assertThat(p.systemd().files().get(SHARE + "dup")).isEqualTo(dirs[drop]);
        }
    }

    @Test
    void k23DirectoryAndRawOfTheSameNameInOneDirectoryFirstReaddirEntryWins() {
        Pair p = run(tmp, "k23", l -> l.directory(E, Ext.named("same").file("usr/share/sysext-test/which", "dir"))
                .raw(E, Ext.named("same").file("usr/share/sysext-test/which", "raw")), r -> r.probes(SHARE + "which"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("same");
    }

    @Test
    void k24EmptyDirectoryMasksALowerImage() {
        Pair p = run(tmp, "k24", l -> l.raw(VL, Ext.named("m")).emptyDir(E, "m").raw(E, Ext.named("other")),
                r -> r.probes(SHARE + "m"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("other");
        assertThat(p.systemd().files().get(SHARE + "m")).isNull();
    }

    @Test
    void k24DevNullLinkDoesNotMaskUnderRoot() {
        Pair p = run(tmp, "k24n", l -> l.raw(VL, Ext.named("m")).link(E, "m.raw", "/dev/null"),
                r -> r.probes(SHARE + "m"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("m");
    }

    @Test
    void k25DevNullLinksDoNotMaskInAChroot() {
        Pair p = run(tmp, "k25", l -> l.raw(VL, Ext.named("m")).link(E, "m.raw", "/dev/null")
                .raw(VL, Ext.named("n")).link(E, "n", "/dev/null"), r -> r.probes(SHARE + "m", SHARE + "n"),
                Lab.Mode.CHROOT);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("m", "n");
    }

    @Test
    void k26OnlyValidNamesAreDiscovered() {
        Pair p = run(tmp, "k26", l -> {
            l.raw(E, "v.img", Ext.named("v"));
            l.raw(E, ".raw", Ext.named(""));
            l.raw(E, ".#tmp.raw", Ext.named(".#tmp"));
            l.raw(E, "v.RAW", Ext.named("v"));
            l.raw(E, "v.raw.bak", Ext.named("v"));
            l.fifo(E, "fifo.raw");
            l.directory(E, Ext.named(".hidden"));
            l.directory(E, Ext.named("d.raw"));
            l.raw(E, "w.sysext.raw", Ext.named("w.sysext"));
            l.directory(E, Ext.named("sp ace"));
        }, r -> r.setup("mkdir \"$R/etc/extensions/$(printf 'bad\\377')\" && mkdir -p \"$R/etc/extensions/$(printf "
                + "'bad\\377')/usr/lib/extension-release.d\" && printf 'ID=debian\\nVERSION_ID=12\\n' > "
                + "\"$R/etc/extensions/$(printf 'bad\\377')/usr/lib/extension-release.d/extension-release.$(printf "
                + "'bad\\377')\""));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactlyInAnyOrder(".hidden", "d.raw", "sp ace", "w.sysext");
    }

    @Test
    void k27SymlinksAreFollowedInAChrootAndTheNameComesFromTheLink() {
        Pair p = run(tmp, "k27", l -> {
            l.raw("/srv/store", "real-1.2.raw", Ext.named("link1"));
            l.directory("/srv/store", "dirext", Ext.named("ldir"));
            l.link(E, "link1.raw", "/srv/store/real-1.2.raw");
            l.link(E, "ldir", "/srv/store/dirext");
            l.link(E, "dangling.raw", "/srv/store/missing.raw");
        }, r -> r.probes(SHARE + "link1", SHARE + "ldir"), Lab.Mode.CHROOT);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("ldir", "link1");
    }

    @Test
    void k28RawImageInUsrLocalLibInAChroot() {
        Pair p = run(tmp, "k28", l -> l.raw("/usr/local/lib/extensions", Ext.named("ul")), r -> r.probes(SHARE + "ul"),
                Lab.Mode.CHROOT);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("ul");
    }

    @Test
    void k30SecondMergeSaysAlreadyMerged() {
        Pair p = run(tmp, "k30", l -> l.raw(E, Ext.named("a")), r -> r.after(Lab.command(r, "merge")
                + " 2>&1; echo \"second-rc=$?\""));
        assertSame(p);
        for (var s : List.of(p.systemd(), p.nativeRun())) {
            assertThat(s.extra()).as("%s", p).contains("Hierarchy '/usr' is already merged").contains("second-rc=1");
        }
    }

    @Test
    void k31RefreshAddsRemovesAndSaysNoExtensionsFound() {
        Pair p = run(tmp, "k31", l -> l.raw(E, Ext.named("a")).raw("/stash", Ext.named("b")),
                r -> r.after("mv \"$R/stash/b.raw\" \"$R/etc/extensions/\"; echo @@refresh1; " + Lab.command(r,
                        "refresh") + " 2>&1; echo \"rc=$?\"; cat \"$R/usr/.systemd-sysext/extensions\"; "
                        + "rm \"$R\"/etc/extensions/*.raw; echo @@refresh2; " + Lab.command(r, "refresh")
                        + " 2>&1; echo \"rc=$?\"; echo @@refresh3; " + Lab.command(r, "refresh") + " 2>&1; "
                        + "echo \"rc=$?\"; echo '## merge'; " + Lab.command(r, "merge") + " 2>&1; echo \"rc=$?\"; "
                        + "grep -c ' - overlay sysext ' /proc/self/mountinfo"));
        assertSame(p);
        List<String> s = Differential.logLines(p.systemd().extra(), p.systemdRoot());
        List<String> n = Differential.logLines(p.nativeRun().extra(), p.nativeRoot());
        assertThat(n).as("%s", p).isEqualTo(s).containsExactly("Using extensions 'a', 'b'.", "Unmerged '<R>/usr'.",
                "Merged extensions into '<R>/usr'.", "No extensions found.", "Unmerged '<R>/usr'.",
                "No extensions found.", "No extensions found.");
        assertThat(p.nativeRun().extra()).contains("a\nb\n").endsWith("0\n");
    }

    @Test
    void k32HierarchiesFromTheEnvironment() {
        Pair p = run(tmp, "k32a", l -> l.raw(E, Ext.named("h").file("opt/h", "opt")), r -> r.env(
                "SYSTEMD_SYSEXT_HIERARCHIES", "/usr"));
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).containsExactly("/usr");
        Pair q = run(tmp, "k32b", l -> l.mkdirs("/srv").raw(E, Ext.named("h").file("srv/h", "srv")),
                r -> r.env("SYSTEMD_SYSEXT_HIERARCHIES", "/srv:/usr").hierarchies("/usr", "/opt", "/srv")
                        .probes("/srv/h"));
        assertSame(q);
        assertThat(q.systemd().mergedHierarchies()).containsExactly("/srv", "/usr");
        assertThat(q.nativeRun().h("/srv").lowerDirs()).containsExactly("/run/systemd/sysext/meta/srv",
                "/run/systemd/sysext/extensions/h/srv");
    }

    @Test
    void k33ReleaseFileSyntax() {
        Pair p = run(tmp, "k33", l -> l.raw(E, Ext.named("q1").release("ID=\"debian\"\nVERSION_ID='12'\n"))
                .raw(E, Ext.named("q2").release("ID = debian\nVERSION_ID = 12\n"))
                .raw(E, Ext.named("q3").release("export ID=debian\nVERSION_ID=12\n"))
                .raw(E, Ext.named("q4").release("ID=debian\r\nVERSION_ID=12\r\n"))
                .raw(E, Ext.named("q5").release("ID=debian\nVERSION_ID=12 # c\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("q1", "q2", "q4");
    }

    @Test
    void k34HostOsReleaseOnlyInUsrLibThenEtcWins() {
        Pair p = run(tmp, "k34a", l -> l.remove("etc/os-release").host("usr/lib/os-release", Ext.DEBIAN_12)
                .raw(E, Ext.named("a")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("a");
        Pair q = run(tmp, "k34b", l -> l.host("usr/lib/os-release", Ext.DEBIAN_12).osRelease("ID=fedora\n")
                .raw(E, Ext.named("a")), r -> r);
        assertSame(q);
        assertThat(q.systemd().mergedHierarchies()).isEmpty();
    }

    @Test
    void k35ForceMergesIncompatibleAndReleaselessDirectories() {
        Pair p = run(tmp, "k35", l -> l.directory(VL, Ext.named("fed").release("ID=fedora\n"))
                .directory(VL, Ext.named("none").noRelease()), r -> r.force().probes(SHARE + "fed", SHARE + "none"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("fed", "none");
    }

    @Test
    void k37ForeignMountWithStaleMarkerIsStackedOnAndLeftAlone() {
        Pair p = run(tmp, "k37", l -> l.host("usr/.systemd-sysext/dev", "0:1\n").raw(E, Ext.named("a")),
                r -> r.setup("mount --bind \"$R/usr\" \"$R/usr\"").probes(SHARE + "a"));
        assertSame(p);
        assertThat(p.nativeRun().h("/usr").lowerDirs()).last().isEqualTo("<R>/usr");
        assertThat(p.nativeRun().mountsAfter()).as("%s", p).hasSize(1).allMatch(m -> m.contains(" - ext4 ")
                || !m.contains(" - overlay "));
        assertThat(p.nativeRun().files().get(SHARE + "a")).isEqualTo("a");
    }

    @Test
    void k37UnmergeLeavesAForeignMountAlone() {
        Pair p = run(tmp, "k37b", l -> l.host("usr/.systemd-sysext/dev", "0:1\n"),
                r -> r.setup("mount --bind \"$R/usr\" \"$R/usr\"").verb("unmerge"));
        assertSame(p);
        assertThat(p.nativeRun().rc()).isZero();
        assertThat(p.nativeRun().mountsAfter()).hasSize(1);
    }

    @Test
    void k38SymlinkedOptIsMergedWhereItPoints() {
        Pair p = run(tmp, "k38", l -> l.host("var/opt/hostfile", "host").link("/", "opt", "var/opt")
                .raw(E, Ext.named("o").file("opt/o/file", "ext")), r -> r.probes("/opt/o/file", "/opt/hostfile"));
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).containsExactly("/opt", "/usr");
        assertThat(p.nativeRun().h("/opt").lowerDirs()).containsExactly("/run/systemd/sysext/meta/opt",
                "/run/systemd/sysext/extensions/o/opt", "<R>/var/opt");
    }

    @Test
    void k39WhiteoutsAndOpaqueDirectoriesHideHostFiles() {
        Pair p = run(tmp, "k39", l -> l.host("usr/share/sysext-test/victim", "host").host("usr/share/od/hostfile",
                "host").directory(VL, Ext.named("wo").whiteout("usr/share/sysext-test/victim").opaque("usr/share/od")
                .file("usr/share/od/extfile", "ext")),
                r -> r.probes(SHARE + "victim", "/usr/share/od/hostfile", "/usr/share/od/extfile"));
        assertSame(p);
        assertThat(p.systemd().files().get(SHARE + "victim")).isNull();
        assertThat(p.systemd().files().get("/usr/share/od/hostfile")).isNull();
        assertThat(p.systemd().files().get("/usr/share/od/extfile")).isEqualTo("ext");
    }

    @Test
    void k40ReleaseSymlinksInsideTheImage() {
        Pair p = run(tmp, "k40", l -> l.raw(E, Ext.named("ls").noRelease()
                .releaseFile("extension-release.real", Ext.DEBIAN_12, null)
                .symlink("usr/lib/extension-release.d/extension-release.ls", "extension-release.real"))
                .raw(E, Ext.named("rl").noRelease().releaseFile("target", Ext.DEBIAN_12, "0")
                        .symlink("usr/lib/extension-release.d/extension-release.other", "target")
                        .releaseFile("extension-release.sentinel", "", null)
                        .file("etc/os-release", "ID=debian\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("ls");
    }

    @Test
    void k41ForceWithAnOptOnlyDirectory() {
        Pair p = run(tmp, "k41", l -> l.directory(VL, Ext.bare("oo").noRelease().file("opt/oo/f", "oo")),
                r -> r.force().probes("/opt/oo/f"));
        assertSame(p);
        assertThat(p.systemd().mergedHierarchies()).containsExactly("/opt");
    }

    @Test
    void k42BlockDeviceImage() {
        Pair p = run(tmp, "k42", l -> l.mkdirs(E).raw("/store", "blk.img", Ext.named("blk")),
                r -> r.setup("L=$(losetup -f --show -r \"$R/store/blk.img\") || exit 98; "
                        + "mknod \"$R/etc/extensions/blk\" b $(stat -c '%Hr %Lr' \"$L\")")
                        .after("losetup -d \"$L\"").probes(SHARE + "blk"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).as("%s", p).containsExactly("blk");
    }

    @Test
    void k44EmptyScopeRefusesEmptyArchitectureAccepts() {
        Pair p = run(tmp, "k44", l -> l.raw(E, Ext.named("es").release(Ext.DEBIAN_12 + "SYSEXT_SCOPE=\n"))
                .raw(E, Ext.named("ea").release(Ext.DEBIAN_12 + "ARCHITECTURE=\n")), r -> r);
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("ea");
    }

    @Test
    void erofsAndExt4ImagesMergeLikeSquashfs() {
        Pair p = run(tmp, "fmt", l -> {
            l.mkdirs(E);
            Ext.named("ero").erofs(l.path(E).resolve("ero.raw"));
            Ext.named("ext").ext4(l.path(E).resolve("ext.raw"));
        }, r -> r.probes(SHARE + "ero", SHARE + "ext"));
        assertSame(p);
        assertThat(p.systemd().usrExtensions()).containsExactly("ero", "ext");
        assertThat(new String(p.nativeRun().files().get(SHARE + "ext").getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8)).isEqualTo("ext");
    }
}
