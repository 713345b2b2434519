package dev.sysextctl.merger.it;

import static dev.sysextctl.merger.it.Differential.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.it.Differential.Pair;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.testing.Requires;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where sysextctl's native engine deliberately differs from systemd-sysext 252. Each test runs the same layout
 * through both, asserts what systemd does (as docs/compatibility.md §7 records it) and what sysextctl does instead.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare"})
class DeliberateDifferencesIT {
    static final String E = "/etc/extensions";
    static final String VL = "/var/lib/extensions";
    static final String SHARE = "/usr/share/sysext-test/";

    @TempDir
    Path tmp;

    /** K15: a raw image without extension-release aborts systemd's whole merge; sysextctl skips it. */
    @Test
    void rawImageWithoutReleaseIsSkippedNotAFailureOfEverything() {
        Pair p = run(tmp, "d-k15", l -> l.raw(E, Ext.named("r").noRelease()).directory(VL, Ext.named("good")),
                r -> r.probes(SHARE + "good"));
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).contains("Failed to read metadata for image r: No medium found");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().rc()).as("%s", p).isZero();
        assertThat(p.nativeRun().usrExtensions()).containsExactly("good");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'r'");
    }

    /** K17: a raw image whose only release file names another extension, or has two candidates. */
    @Test
    void rawImagesWithMismatchedOrAmbiguousReleaseAreSkipped() {
        Pair p = run(tmp, "d-k17", l -> l.raw(E, Ext.named("nx").noRelease()
                .releaseFile("extension-release.other", Ext.DEBIAN_12, null))
                .raw(E, Ext.named("two").noRelease().releaseFile("extension-release.o1", Ext.DEBIAN_12, "0")
                        .releaseFile("extension-release.o2", Ext.DEBIAN_12, "0"))
                .raw(E, Ext.named("good")), r -> r);
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).containsAnyOf("Failed to read metadata for image nx: No medium found",
                "Failed to read metadata for image two: Name not unique on network");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().rc()).as("%s", p).isZero();
        assertThat(p.nativeRun().usrExtensions()).containsExactly("good");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'nx'").contains("skipped broken image 'two'")
                .contains("several extension-release files qualify");
    }

    /** K18: an image carrying usr/lib/os-release makes systemd merge nothing (and exit 0); sysextctl skips it. */
    @Test
    void imageWithOsReleaseIsSkippedTheRestMerged() {
        Pair p = run(tmp, "d-k18", l -> l.directory(VL, Ext.named("bad").file("usr/lib/os-release", "ID=debian\n"))
                .directory(VL, Ext.named("good")), r -> r);
        assertThat(p.systemd().rc()).as("%s", p).isZero();
        assertThat(p.systemd().output()).contains("Extension image contains /usr/lib/os-release file, which is not "
                + "allowed (it may carry /etc/os-release), refusing.");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().usrExtensions()).as("%s", p).containsExactly("good");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'bad'").contains("usr/lib/os-release");
    }

    /** K24: an empty file m.raw aborts systemd's merge; sysextctl skips it (its name stays taken: no fallback). */
    @Test
    void emptyRawFileIsSkipped() {
        Pair p = run(tmp, "d-k24", l -> l.raw(VL, Ext.named("m")).file(E, "m.raw", new byte[0])
                .raw(E, Ext.named("other")), r -> r.probes(SHARE + "m"));
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).contains("Failed to read metadata for image m: Package not installed");
        assertThat(p.nativeRun().rc()).as("%s", p).isZero();
        assertThat(p.nativeRun().usrExtensions()).containsExactly("other");
        assertThat(p.nativeRun().files().get(SHARE + "m")).isNull();
        assertThat(p.nativeRun().output()).contains("skipped broken image 'm'").contains("an empty file");
    }

    /** K36: a junk file aborts systemd's merge; sysextctl merges the valid directory next to it. */
    @Test
    void junkFileIsSkipped() {
        byte[] junk = new byte[1 << 20];
        new Random(36).nextBytes(junk);
        Pair p = run(tmp, "d-k36", l -> l.file(E, "junk.raw", junk).directory(VL, Ext.named("valid")), r -> r);
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).contains("Failed to read metadata for image junk: Package not installed");
        assertThat(p.nativeRun().rc()).isZero();
        assertThat(p.nativeRun().usrExtensions()).containsExactly("valid");
    }

    /**
     * 150 extensions: systemd 252 writes each layer as an absolute path, its overlay options outgrow the page
     * mount(2) takes, it merges nothing and exits 0; sysextctl writes the layers relative to the extensions
     * directory and merges all 150, the highest name on top.
     */
    @Test
    void moreExtensionsThanOneMountPageHoldsAreMerged() {
        String[] names = new String[150];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format("ext-%03d", i + 1);
        }
        Pair p = run(tmp, "d-many", l -> {
            for (String n : names) {
                l.directory(VL, Ext.named(n).file("usr/share/sysext-test/top", n));
            }
        }, r -> r.probes(SHARE + "top", SHARE + "ext-001", SHARE + "ext-150"));
        assertThat(p.systemd().rc()).as("%s", p).isZero();
        assertThat(p.systemd().output()).contains("Failed to mount sysext (type overlay)");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().rc()).as("%s", p).isZero();
        assertThat(p.nativeRun().usrExtensions()).containsExactly(names);
        assertThat(p.nativeRun().files().get(SHARE + "top")).isEqualTo("ext-150");
        assertThat(p.nativeRun().files().get(SHARE + "ext-001")).isEqualTo("ext-001");
        assertThat(p.nativeRun().files().get(SHARE + "ext-150")).isEqualTo("ext-150");
    }

    /** K43: systemd 252's status fails under --root while something is merged; sysextctl's works. */
    @Test
    void statusWorksUnderRoot() {
        Pair p = run(tmp, "d-k43", l -> l.raw(E, Ext.named("a")).raw(E, Ext.named("b")),
                r -> r.after("echo '## systemd'; systemd-sysext --root=\"$R\" status 2>&1; echo \"rc=$?\"; "
                        + "echo '## sysextctl'; " + Lab.java() + " -cp '" + Lab.classpath() + "' "
                        + dev.sysextctl.merger.lab.LabMain.class.getName() + " status \"$R\""));
        for (var s : java.util.List.of(p.systemd(), p.nativeRun())) {
            assertThat(s.extra()).as("%s", p).contains("Failed to open '/usr/.systemd-sysext/extensions': No such "
                    + "file or directory").contains("rc=1");
            String ours = s.extra().substring(s.extra().indexOf("## sysextctl"));
            assertThat(ours).contains("\"hierarchy\" : \"/usr\"").contains("\"merged\" : true")
                    .contains("\"extensions\" : [ \"a\", \"b\" ]");
        }
    }

    /** K27: a link whose target carries another extension's release aborts systemd's merge (chroot mode). */
    @Test
    void linkToAnImageOfAnotherNameIsSkipped() {
        Pair p = run(tmp, "d-k27", l -> l.raw("/srv/store", "real-1.2.raw", Ext.named("link1"))
                .raw("/srv/store", "real2.raw", Ext.named("real2"))
                .link(E, "link1.raw", "/srv/store/real-1.2.raw").link(E, "alias2.raw", "/srv/store/real2.raw"),
                r -> r, Lab.Mode.CHROOT);
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).contains("Failed to read metadata for image alias2: No medium found");
        assertThat(p.nativeRun().usrExtensions()).as("%s", p).containsExactly("link1");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'alias2'")
                .contains("extension-release.real2");
    }

    /** K28: a directory extension inside /usr makes the overlay fail (ELOOP), systemd merges nothing (exit 0). */
    @Test
    void directoryExtensionInsideUsrIsSkipped() {
        Pair p = run(tmp, "d-k28", l -> l.directory("/usr/lib/extensions", Ext.named("ud"))
                .raw("/usr/local/lib/extensions", Ext.named("ul")), r -> r, Lab.Mode.CHROOT);
        assertThat(p.systemd().rc()).as("%s", p).isZero();
        assertThat(p.systemd().output()).contains("Too many levels of symbolic links");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().usrExtensions()).as("%s", p).containsExactly("ul");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'ud'").contains("nested layers");
    }

    /** K34: no os-release: systemd logs the error and exits 0; sysextctl exits 1 with the same words. */
    @Test
    void missingOsReleaseIsAFailure() {
        Pair p = run(tmp, "d-k34", l -> l.remove("etc/os-release").raw(E, Ext.named("a")), r -> r);
        assertThat(p.systemd().rc()).as("%s", p).isZero();
        assertThat(p.systemd().output()).contains("Failed to acquire 'os-release' data of OS tree");
        assertThat(p.nativeRun().rc()).isEqualTo(1);
        assertThat(p.nativeRun().output()).contains("Failed to acquire 'os-release' data of OS tree");
        assertThat(p.nativeRun().mergedHierarchies()).isEmpty();
        Pair q = run(tmp, "d-k34b", l -> l.osRelease("VERSION_ID=12\n").raw(E, Ext.named("a")), r -> r);
        assertThat(q.systemd().rc()).as("%s", q).isZero();
        assertThat(q.systemd().output()).contains("'ID' field not found or empty in 'os-release' data of OS tree");
        assertThat(q.nativeRun().rc()).isEqualTo(1);
        assertThat(q.nativeRun().output()).contains("'ID' field not found or empty in 'os-release' data of OS tree");
    }

    /** K32: a bad $SYSTEMD_SYSEXT_HIERARCHIES is a usage error: exit 2 (docs/cli.md §1.2), systemd exits 1. */
    @Test
    void badHierarchiesVariableIsAUsageError() {
        for (String value : new String[] {"usr", ""}) {
            Pair p = run(tmp, "d-k32" + value.length(), l -> l.raw(E, Ext.named("a")),
                    r -> r.env("SYSTEMD_SYSEXT_HIERARCHIES", value));
            assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
            assertThat(p.nativeRun().rc()).isEqualTo(2);
            for (var s : java.util.List.of(p.systemd(), p.nativeRun())) {
                assertThat(s.output()).contains("Failed to parse $SYSTEMD_SYSEXT_HIERARCHIES environment variable: "
                        + "Invalid argument");
                assertThat(s.mergedHierarchies()).isEmpty();
            }
        }
    }

    /** docs/compatibility.md §1.2: under --root systemd 252 skips symlinks in search dirs; sysextctl chases them inside the root. */
    @Test
    void symlinksAreFollowedInsideTheRoot() {
        Pair p = run(tmp, "d-link", l -> l.raw("/opt/extensions/lnk", "lnk-1.0.raw", Ext.named("lnk"))
                .link(E, "lnk.raw", "../../opt/extensions/lnk/lnk-1.0.raw")
                .link(E, "abs.raw", "/opt/extensions/lnk/lnk-1.0.raw"), r -> r.probes(SHARE + "lnk"));
        assertThat(p.systemd().output()).as("%s", p).contains("No extensions found.");
        assertThat(p.systemd().mergedHierarchies()).isEmpty();
        assertThat(p.nativeRun().usrExtensions()).as("%s", p).containsExactly("lnk");
        assertThat(p.nativeRun().files().get(SHARE + "lnk")).isEqualTo("lnk");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'abs'");
    }

    /**
     * docs/compatibility.md §4.7: when the new overlay cannot be mounted, systemd's refresh has already unmerged the old one (and exits
     * 0); sysextctl's refresh puts the previous merge back and exits 1.
     */
    @Test
    void failedRefreshKeepsThePreviousMerge() {
        String deep = "mkdir -p \"$R/deep/l1/usr/lib/extension-release.d\" \"$R/deep/l1/usr/share/deep\" "
                + "\"$R/deep/l0\" \"$R/deep/l0b\" \"$R/deep/m1\" \"$R/var/lib/extensions/deep\" && printf "
                + "'ID=debian\\nVERSION_ID=12\\n' > \"$R/deep/l1/usr/lib/extension-release.d/extension-release.deep\" "
                + "&& echo deep > \"$R/deep/l1/usr/share/deep/f\" && mount -t overlay -o "
                + "\"lowerdir=$R/deep/l1:$R/deep/l0\" o1 \"$R/deep/m1\" && mount -t overlay -o "
                + "\"lowerdir=$R/deep/m1:$R/deep/l0b\" o2 \"$R/var/lib/extensions/deep\" || echo NODEEP; ";
        Pair p = run(tmp, "d-refresh", l -> l.raw(E, Ext.named("a")), r -> r.after(deep + "echo '## refresh'; "
                + Lab.command(r, "refresh") + " 2>&1; echo \"rc=$?\"; echo '## marker'; cat "
                + "\"$R/usr/.systemd-sysext/extensions\" 2>&1; grep -c ' - overlay sysext ' /proc/self/mountinfo"));
        assertThat(p.systemd().extra()).as("%s", p).doesNotContain("NODEEP").contains("rc=0")
                .contains("Unmerged '" + p.systemdRoot() + "/usr'.");
        assertThat(p.systemd().extra()).contains("No such file or directory");
        assertThat(p.nativeRun().extra()).as("%s", p).contains("rc=1").contains("the previous merge was put back");
        String marker = p.nativeRun().extra().substring(p.nativeRun().extra().indexOf("## marker"));
        assertThat(marker).contains("\na\n").endsWith("1\n");
    }
}
