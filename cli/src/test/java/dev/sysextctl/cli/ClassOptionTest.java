package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --class sysext|confext|all} on the node commands (docs/cli.md §6), on directory images (no mounts). */
class ClassOptionTest {
    @TempDir
    Path root;

    @BeforeEach
    void node() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        image("etc/extensions/s", "usr/lib/extension-release.d/extension-release.s", "usr/share/s");
        image("var/lib/confexts/c", "etc/extension-release.d/extension-release.c", "etc/c.d");
    }

    private void image(String dir, String release, String content) throws Exception {
        Path d = root.resolve(dir);
        Files.createDirectories(d.resolve(release).getParent());
        Files.writeString(d.resolve(release), "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(d.resolve(content));
        Files.writeString(d.resolve(content).resolve("f"), "x");
    }

    private Cli.Run run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--root", root.toString()));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void listOfConfextsSearchesTheirDirectoriesAndNamesTheClass() throws Exception {
        Cli.Run r = run("list", "--class", "confext", "--systemd-version", "257", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("searchDirs").toString()).isEqualTo("[\"/run/confexts\",\"/var/lib/confexts\","
                + "\"/usr/local/lib/confexts\",\"/usr/lib/confexts\"]");
        assertThat(j.path("images").size()).isEqualTo(1);
        assertThat(j.path("images").get(0).path("name").asText()).isEqualTo("c");
        assertThat(j.path("images").get(0).path("class").asText()).isEqualTo("confext");
        assertThat(j.path("images").get(0).path("compatible").asBoolean()).isTrue();
    }

    @Test
    void listOfAllHasAClassColumnAndTheDefaultListIsUnchanged() {
        Cli.Run all = run("list", "--class", "all", "--systemd-version", "257", "--no-legend");
        assertThat(all.exit()).as(all.toString()).isZero();
        List<String> lines = all.out().lines().toList();
        assertThat(lines.get(0)).startsWith("CLASS   NAME ");
        assertThat(lines.get(1)).startsWith("sysext  s    directory active");
        assertThat(lines.get(2)).startsWith("confext c    directory active");
        Cli.Run plain = run("list", "--systemd-version", "257");
        assertThat(plain.out().lines().findFirst().orElseThrow()).startsWith("NAME ");
        assertThat(plain.out()).contains("1 image listed.").doesNotContain("confext");
    }

    @Test
    void statusOfAllListsEachClassHierarchiesWithTheirClass() throws Exception {
        Cli.Run r = run("status", "--class", "all", "--systemd-version", "257", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> rows = new ArrayList<>();
        r.json().path("hierarchies").forEach(h -> rows.add(h.path("class").asText() + " " + h.path("hierarchy")
                .asText() + " " + h.path("merged").asBoolean()));
        assertThat(rows).containsExactly("sysext /opt false", "sysext /usr false", "confext /etc false");
        Cli.Run text = run("status", "--class", "confext", "--systemd-version", "257", "--no-legend");
        assertThat(text.out().lines().toList()).containsExactly("HIERARCHY CLASS   EXTENSIONS SINCE",
                "/etc      confext none       -");
    }

    @Test
    void confextsOnARootWhoseSystemdIsNotKnownAreHandledBy257sRulesAsValidateChecksThemAndTheNoteSaysSo()
            throws Exception {
        String note = "note: the systemd of " + root.toRealPath() + " is not known (no systemd found in the tree): "
                + "confexts are handled by systemd 257's rules, sysexts by 252's; --systemd-version N names it";
        Cli.Run list = run("list", "--class", "confext", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.json().path("systemdVersion").asInt()).isEqualTo(257);
        assertThat(list.json().path("images").get(0).path("name").asText()).isEqualTo("c");
        assertThat(list.errLines()).containsExactly(note);
        Cli.Run all = run("list", "--class", "all", "--no-legend");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(all.out().lines().toList()).hasSize(3);
        assertThat(all.errLines()).containsExactly(note);
        for (String[] cmd : List.of(new String[] {"status", "--class", "confext"},
                new String[] {"merge", "--class", "confext", "--dry-run"},
                new String[] {"explain", "c", "--class", "confext"},
                new String[] {"mask", "m", "--class", "confext"})) {
            Cli.Run r = run(cmd);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.errLines()).as(r.toString()).containsExactly(note);
        }
        assertThat(root.resolve("var/lib/confexts/m")).isDirectory();
        // sysexts alone: 252 assumed, as always, without a note; -q drops the note
        assertThat(run("list").errLines()).isEmpty();
        assertThat(run("list", "--class", "confext", "-q").errLines()).isEmpty();
        // a root whose systemd is known to be 252 still refuses confexts
        Path lib = root.resolve("usr/lib/systemd/libsystemd-shared-252.so");
        Files.createDirectories(lib.getParent());
        Files.writeString(lib, "");
        Cli.Run old = run("list", "--class", "confext");
        assertThat(old.exit()).isEqualTo(2);
        assertThat(old.errLines()).containsExactly("sysextctl: confexts need systemd 254 or later, and the rules in "
                + "force are systemd 252 (detected from " + lib.toRealPath() + "); give --systemd-version 254 or "
                + "later, or --class sysext");
    }

    @Test
    void confextsWithSystemd252AreOneUsageLineSayingWhatToDo() {
        Cli.Run r = run("merge", "--class", "confext", "--systemd-version", "252");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly("sysextctl: confexts need systemd 254 or later, and the rules in "
                + "force are systemd 252 (--systemd-version); give --systemd-version 254 or later, or --class "
                + "sysext");
        assertThat(root.resolve("run/sysextctl.lock")).doesNotExist();
    }

    @Test
    void aWrongClassOrAllForEnableIsAUsageError() {
        Cli.Run bogus = run("list", "--class", "portable");
        assertThat(bogus.exit()).isEqualTo(2);
        assertThat(bogus.errLines()).hasSize(1);
        assertThat(bogus.err()).contains("'portable'").contains("sysext, confext or all");
        Cli.Run enable = run("enable", "--class", "all", "--systemd-version", "257",
                root.resolve("var/lib/confexts/c").toString());
        assertThat(enable.exit()).isEqualTo(2);
        assertThat(enable.errLines()).containsExactly("sysextctl: enable works on one class of extension; give "
                + "--class sysext or --class confext");
    }

    @Test
    void maskOfAllMasksInEachClassDirectoryAndPrintsOneDocumentPerClass() throws Exception {
        Cli.Run r = run("mask", "m", "--class", "all", "--systemd-version", "257", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.isArray()).isTrue();
        assertThat(j.get(0).path("class").asText()).isEqualTo("sysext");
        assertThat(j.get(0).path("change").path("created").toString()).isEqualTo("[\"/etc/extensions/m\"]");
        assertThat(j.get(1).path("class").asText()).isEqualTo("confext");
        assertThat(j.get(1).path("change").path("created").toString()).isEqualTo("[\"/var/lib/confexts/m\"]");
        assertThat(root.resolve("var/lib/confexts/m")).isEmptyDirectory();
    }

    @Test
    void helpListsTheClassesUnderNode() {
        String help = Cli.run("merge", "--help").out();
        assertThat(help).contains("--class=CLASS").contains("sysext, confext, all");
        int node = help.indexOf("\nNode:");
        assertThat(node).isPositive();
        assertThat(help.indexOf("--class=CLASS", node)).isBetween(node, help.indexOf("\nOutput:"));
    }

    /** One name in both classes: a confext foo enabled (linked), a sysext foo enabled (linked), images in /opt. */
    private void bothNamedFoo() throws Exception {
        image("opt/foo-sys", "usr/lib/extension-release.d/extension-release.foo", "usr/share/foo");
        image("opt/foo-conf", "etc/extension-release.d/extension-release.foo", "etc/foo.d");
    }

    @Test
    void enablingAConfextWithoutClassSaysItIsAConfextAndWhichClassToGive() throws Exception {
        bothNamedFoo();
        Cli.Run r = run("enable", "/opt/foo-conf", "--systemd-version", "257");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.errLines()).containsExactly("sysextctl: foo-conf is a confext (it carries "
                + "etc/extension-release.d/extension-release.NAME, not usr/lib/extension-release.d/…), so "
                + "systemd-sysext would not merge it; enable it with --class confext");
        assertThat(root.resolve("etc/extensions/foo")).doesNotExist();
    }

    @Test
    void disablingANameOnlyTheOtherClassHasNamesThatClass() throws Exception {
        bothNamedFoo();
        assertThat(run("enable", "/opt/foo-conf", "--class", "confext", "--systemd-version", "257").exit()).isZero();
        Cli.Run r = run("disable", "foo", "--systemd-version", "257");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.errLines()).containsExactly("sysextctl: no image named 'foo' in /etc/extensions, "
                + "/run/extensions, /var/lib/extensions; a confext named 'foo' is in /var/lib/confexts/foo: disable it "
                + "with --class confext (--class all disables both)");
        assertThat(root.resolve("var/lib/confexts/foo")).isSymbolicLink();
    }

    @Test
    void withClassAllANameInBothClassesIsHandledInBothAndANameInOneInThatOne() throws Exception {
        bothNamedFoo();
        assertThat(run("enable", "/opt/foo-sys", "--systemd-version", "257").exit()).isZero();
        assertThat(run("enable", "/opt/foo-conf", "--class", "confext", "--systemd-version", "257").exit()).isZero();
        Cli.Run both = run("disable", "foo", "--class", "all", "--systemd-version", "257");
        assertThat(both.exit()).as(both.toString()).isZero();
        assertThat(both.out().lines().toList()).containsExactly("sysexts:", "removed /etc/extensions/foo",
                "confexts:", "removed /var/lib/confexts/foo");
        assertThat(run("enable", "/opt/foo-conf", "--class", "confext", "--systemd-version", "257").exit()).isZero();
        Cli.Run one = run("disable", "foo", "--class", "all", "--systemd-version", "257", "--json");
        assertThat(one.exit()).as(one.toString()).isZero();
        assertThat(one.json().size()).isEqualTo(1);
        assertThat(one.json().get(0).path("class").asText()).isEqualTo("confext");
        assertThat(one.json().get(0).path("change").path("removed").toString())
                .isEqualTo("[\"/var/lib/confexts/foo\"]");
        Cli.Run text = run("disable", "foo", "--class", "all", "--systemd-version", "257");
        assertThat(text.exit()).as("neither class has it now").isEqualTo(1);
        assertThat(text.errLines().get(0)).startsWith("sysextctl: no image named 'foo' in /etc/extensions");
        Cli.Run mask = run("mask", "foo", "--class", "all", "--systemd-version", "257");
        assertThat(mask.exit()).as(mask.toString()).isZero();
        assertThat(root.resolve("etc/extensions/foo")).isEmptyDirectory();
        assertThat(root.resolve("var/lib/confexts/foo")).isEmptyDirectory();
    }
}
