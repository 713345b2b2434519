package dev.sysextctl.core.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lint of a confext (docs/cli.md §3.1): etc/ is the image, usr/ and opt/ are left out with a warning, anything
 * else is an error, the other class's release file is misplaced, etc/os-release is refused; and a sysext's etc/
 * content points to --class confext.
 */
class ConfextLintTest {
    private static final ReleaseFile RELEASE = EnvFile.parse("ID=debian\nVERSION_ID=13\n");
    private static final String OWN = "etc/extension-release.d/extension-release.c";

    private static List<TreeEntry> tree(String... files) {
        List<TreeEntry> out = new ArrayList<>();
        out.add(TreeEntry.file(OWN, 0644, 10));
        for (String f : files) {
            out.add(TreeEntry.file(f, 0644, 1));
        }
        return out;
    }

    private static List<Finding> confext(ReleaseFile release, List<TreeEntry> entries) {
        return ImageLinter.lint("c", release, entries, ExtensionClass.CONFEXT).asList();
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.id() + " " + f.severity().name().toLowerCase() + " " + f.path()).toList();
    }

    @Test
    void aConfextOfEtcIsClean() {
        assertThat(confext(RELEASE, tree("etc/motd.d/50-hello"))).isEmpty();
    }

    @Test
    void contentOutsideEtcIsAnErrorAndUsrOrOptIsLeftOutWithAWarning() {
        List<Finding> f = confext(RELEASE, tree("etc/a", "var/lib/x", "var/lib/y", "srv/z", "usr/bin/tool",
                "opt/app/bin"));
        assertThat(ids(f)).containsExactlyInAnyOrder("outside-etc error var", "outside-etc error srv",
                "usr-content warning usr/bin/tool", "usr-content warning opt/app/bin");
        Finding var = f.stream().filter(x -> x.path().equals("var")).findFirst().orElseThrow();
        assertThat(var.message()).isEqualTo("var (2 entries) is outside etc/; systemd-confext silently ignores it");
        Finding usr = f.stream().filter(x -> x.path().equals("usr/bin/tool")).findFirst().orElseThrow();
        assertThat(usr.message()).contains("systemd-confext does not merge", "left out of the image");
        assertThat(usr.fix()).contains("--class sysext");
    }

    @Test
    void aSysextReleaseInAConfextAndAConfextReleaseInASysextAreMisplaced() {
        List<Finding> inConfext = confext(RELEASE, tree("etc/a", "usr/lib/extension-release.d/extension-release.c"));
        assertThat(ids(inConfext)).containsExactly(
                "misplaced-release error usr/lib/extension-release.d/extension-release.c");
        assertThat(inConfext.get(0).fix()).contains("--class sysext");

        List<TreeEntry> sysext = List.of(TreeEntry.file("usr/lib/extension-release.d/extension-release.s", 0644, 3),
                TreeEntry.file("usr/bin/tool", 0755, 3),
                TreeEntry.file("etc/extension-release.d/extension-release.s", 0644, 3));
        List<Finding> inSysext = ImageLinter.lint("s", RELEASE, sysext, ExtensionClass.SYSEXT).asList();
        assertThat(ids(inSysext)).containsExactly(
                "misplaced-release error etc/extension-release.d/extension-release.s");
        assertThat(inSysext.get(0).fix()).contains("--class confext");
        assertThat(inSysext.get(0).message()).isEqualTo("a confext's release file in a sysext build; it is left out "
                + "of the image, which systemd-confext then ignores");
    }

    @Test
    void osReleaseInEtcIsRefusedInAConfext() {
        assertThat(ids(confext(RELEASE, tree("etc/os-release"))))
                .containsExactly("os-release-in-etc error etc/os-release");
    }

    @Test
    void aConfextWithNothingButItsReleaseIsEmpty() {
        List<Finding> f = confext(RELEASE, tree());
        assertThat(ids(f)).containsExactly("empty-image error ");
        assertThat(f.get(0).message()).contains("nothing under etc/");
        assertThat(f.get(0).fix()).isEqualTo("add content under etc/");
    }

    @Test
    void theConfextsOwnFieldsAreChecked() {
        ReleaseFile r = EnvFile.parse("ID=debian\nCONFEXT_SCOPE=\nCONFEXT_LEVEL=a b\nSYSEXT_SCOPE=\n"
                + "CONFEXT_VERSION_ID=1 2\n");
        List<Finding> f = confext(r, tree("etc/a"));
        assertThat(f).extracting(Finding::id).containsExactlyInAnyOrder("empty-scope", "invalid-release-value",
                "invalid-version");
        assertThat(f).extracting(Finding::message).anyMatch(m -> m.startsWith("CONFEXT_SCOPE is present but empty"))
                .anyMatch(m -> m.startsWith("CONFEXT_LEVEL='a b'")).anyMatch(m -> m.startsWith("CONFEXT_VERSION_ID="));
        assertThat(ids(confext(EnvFile.parse("ID=debian\nCONFEXT_SCOPE=System\n"), tree("etc/a"))))
                .containsExactly("unknown-scope warning ");
    }

    @Test
    void linksIntoUsrAndAnyOsWithoutArchitectureAreFineInAConfext() {
        List<TreeEntry> t = tree("etc/a");
        t.add(TreeEntry.symlink("etc/localtime", "/usr/share/zoneinfo/Etc/UTC"));
        t.add(TreeEntry.symlink("etc/resolv.conf", "/run/systemd/resolve/stub-resolv.conf"));
        assertThat(ids(confext(EnvFile.parse("ID=_any\n"), t)))
                .containsExactly("absolute-symlink warning etc/resolv.conf");
    }

    @Test
    void aSysextsEtcContentPointsToAConfext() {
        List<TreeEntry> sysext = List.of(TreeEntry.file("usr/bin/tool", 0755, 3), TreeEntry.file("etc/tool.conf", 0644,
                3));
        List<Finding> f = ImageLinter.lint("s", RELEASE, sysext).asList();
        assertThat(ids(f)).containsExactly("etc-content warning etc/tool.conf");
        assertThat(f.get(0).fix()).startsWith("build it as a confext of its own (sysextctl build --class confext)");
    }
}
