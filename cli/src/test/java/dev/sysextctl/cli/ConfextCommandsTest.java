package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --class}, {@code validate --class}/{@code --confext-level} and {@code inspect} of a confext through
 * picocli (docs/cli.md §2.5, §4, §5): exit codes, one-line errors, the JSON {@code class} (directory images: no
 * native tool needed).
 */
class ConfextCommandsTest {
    @TempDir
    Path tmp;
    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("etc/motd.d"));
        Files.writeString(tree.resolve("etc/motd.d/50-hello"), "hello\n");
    }

    private Path build(String name, String... more) throws Exception {
        Path out = tmp.resolve(name);
        String[] base = {"build", tree.toString(), "--name", name, "--class", "confext", "--format", "directory",
            "-o", out.toString(), "--os", "debian", "--level", "2"};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        Cli.Run r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return out;
    }

    @Test
    void buildMakesAConfextAndSaysSo() throws Exception {
        Path out = tmp.resolve("motd");
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "motd", "--class", "CONFEXT", "--format", "directory",
                "-o", out.toString(), "--os", "debian", "--level", "2", "--scope", "system", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("class").asText()).isEqualTo("confext");
        assertThat(j.get("hierarchies").toString()).isEqualTo("[\"etc\"]");
        assertThat(j.get("extensionRelease").toString())
                .isEqualTo("{\"ID\":\"debian\",\"CONFEXT_LEVEL\":\"2\",\"CONFEXT_SCOPE\":\"system\"}");
        assertThat(Files.readString(out.resolve("etc/extension-release.d/extension-release.motd")))
                .isEqualTo("ID=debian\nCONFEXT_LEVEL=2\nCONFEXT_SCOPE=system\n");
        Cli.Run text = Cli.run("build", tree.toString(), "--name", "motd", "--class", "confext", "--format",
                "directory", "-o", tmp.resolve("m2").toString());
        assertThat(text.out()).contains("  class        confext\n", "  hierarchies  etc\n");
    }

    @Test
    void oneImageHasOneNameInInspectValidateListAndExplain() throws Exception {
        // a root whose systemd is not known: confexts by systemd-confext 257's rules, which strip the class suffix
        // of a directory (c.confext/ is confext c), as inspect and validate do without --systemd-version
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=13\n");
        Files.createDirectories(root.resolve("var/lib/confexts"));
        Path image = root.resolve("var/lib/confexts/c.confext");
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "c", "--class", "confext", "--format", "directory",
                "-o", image.toString(), "--os", "debian", "--os-version", "13");
        assertThat(b.exit()).as(b.toString()).isZero();
        Cli.Run inspect = Cli.run("inspect", image.toString(), "--json");
        assertThat(inspect.json().get("name").asText()).isEqualTo("c");
        assertThat(inspect.json().get("lint").toString()).doesNotContain("file-name-mismatch");
        Cli.Run validate = Cli.run("validate", image.toString(), "--os", "debian", "--os-version", "13", "--json");
        assertThat(validate.exit()).as(validate.toString()).isZero();
        assertThat(validate.json().get("images").get(0).get("name").asText()).isEqualTo("c");
        Cli.Run list = Cli.run("list", "--root", root.toString(), "--class", "confext", "--json", "-q");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.json().get("images").get(0).get("name").asText()).isEqualTo("c");
        assertThat(list.json().get("images").get(0).get("state").asText()).isEqualTo("active");
        Cli.Run explain = Cli.run("explain", "c", "--root", root.toString(), "--class", "confext");
        assertThat(explain.exit()).as(explain.toString()).isZero();
        assertThat(explain.out()).contains("/var/lib/confexts/c.confext");
        // the release named, the older rules keep the suffix everywhere
        assertThat(Cli.run("inspect", image.toString(), "--json", "--systemd-version", "256").json().get("name")
                .asText()).isEqualTo("c.confext");
        assertThat(Cli.run("list", "--root", root.toString(), "--class", "confext", "--json", "--systemd-version",
                "256").json().get("images").get(0).get("name").asText()).isEqualTo("c.confext");
    }

    @Test
    void anUnknownClassIsAUsageErrorOnOneLine() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "motd", "--class", "portable");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines().get(0)).contains("unknown class 'portable'; use sysext or confext");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
        assertThat(tmp.resolve("motd.raw")).doesNotExist();
    }

    @Test
    void contentOutsideEtcIsRefusedWithExit3AndNothingWritten() throws Exception {
        Files.createDirectories(tree.resolve("var/lib"));
        Files.writeString(tree.resolve("var/lib/state"), "x");
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "motd", "--class", "confext", "--format",
                "directory", "-o", tmp.resolve("motd").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("error[outside-etc] var: var (3 entries) is outside etc/; systemd-confext silently "
                + "ignores it");
        assertThat(tmp.resolve("motd")).doesNotExist();
    }

    @Test
    void withTheTargetsSystemdUnknownAConfextIsCheckedBy257AndASysextBy252() throws Exception {
        Path confext = build("motd");
        Path sysext = tmp.resolve("tool");
        Files.createDirectories(sysext.resolve("usr/lib/extension-release.d"));
        Files.writeString(sysext.resolve("usr/lib/extension-release.d/extension-release.tool"), "ID=debian\n");
        Cli.Run r = Cli.run("validate", confext.toString(), "--os", "debian", "--confext-level", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("target: ID=debian CONFEXT_LEVEL=2 (x86-64, system) from the given fields, "
                + "systemd 257 rules (its systemd is not known: --systemd-version N names it)\n")
                .contains("motd: confext accepted [version-match]")
                .endsWith("systemd-confext 257 merge would merge motd\n");
        Cli.Run both = Cli.run("validate", sysext.toString(), confext.toString(), "--os", "debian",
                "--confext-level", "2", "--json");
        assertThat(both.exit()).as(both.toString()).isZero();
        assertThat(both.json().get("systemdVersion").asInt()).isEqualTo(252);
        assertThat(both.json().get("confextSystemdVersion").asInt()).isEqualTo(257);
        assertThat(both.json().get("mergeOutcome").asText()).isEqualTo("systemd-sysext 252 merge would merge tool; "
                + "systemd-confext 257 merge would merge motd");
        Cli.Run sysextOnly = Cli.run("validate", sysext.toString(), "--os", "debian", "--json");
        assertThat(sysextOnly.json().has("confextSystemdVersion")).isFalse();
    }

    @Test
    void againstASystemdWithoutSystemdConfextEveryLineSaysThereIsNone() throws Exception {
        Path image = build("motd");
        Cli.Run r = Cli.run("validate", image.toString(), "--os", "debian", "--confext-level", "2",
                "--systemd-version", "252");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).startsWith("target: ID=debian CONFEXT_LEVEL=2 (x86-64, system) from the given fields, "
                + "systemd 252 rules\n")
                .contains("motd: confext refused [confext-unsupported]")
                .contains("why: systemd 252 has no systemd-confext (systemd 254 and later merge confexts), so this "
                        + "confext is never merged there; give --systemd-version 254 or later when the target runs "
                        + "a newer systemd")
                .endsWith("systemd 252 has no systemd-confext: no confext is merged there\n")
                .doesNotContain("systemd-confext 252");
        assertThat(r.errLines()).containsExactly("sysextctl: 1 of 1 image would be refused by systemd 252, which has "
                + "no systemd-confext; see the reasons above");
    }

    @Test
    void validateChecksTheConfextLevelAndTheClassCanBeForced() throws Exception {
        Path image = build("motd");
        Cli.Run ok = Cli.run("validate", image.toString(), "--os", "debian", "--confext-level", "2",
                "--systemd-version", "257", "--json");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.json().get("images").get(0).get("class").asText()).isEqualTo("confext");
        assertThat(ok.json().get("target").get("confextLevel").asText()).isEqualTo("2");
        Cli.Run bad = Cli.run("validate", image.toString(), "--os", "debian", "--confext-level", "3",
                "--systemd-version", "257");
        assertThat(bad.exit()).isEqualTo(3);
        assertThat(bad.out()).contains("motd: confext refused [confext-level] Extension 'motd' is for API level '2', "
                + "but running on API level '3'");
        assertThat(bad.errLines()).containsExactly(
                "sysextctl: 1 of 1 image would be refused by systemd-confext 257; see the reasons above");
        Cli.Run asSysext = Cli.run("validate", image.toString(), "--os", "debian", "--confext-level", "2",
                "--systemd-version", "257", "--class", "sysext");
        assertThat(asSysext.exit()).isEqualTo(3);
        assertThat(asSysext.out()).contains("[no-release-data]");
    }

    @Test
    void inspectNamesTheClass() throws Exception {
        Path image = build("motd");
        Cli.Run r = Cli.run("inspect", image.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("class        confext\n",
                "release      etc/extension-release.d/extension-release.motd");
        assertThat(Cli.run("inspect", image.toString(), "--json").json().get("class").asText()).isEqualTo("confext");
    }
}
