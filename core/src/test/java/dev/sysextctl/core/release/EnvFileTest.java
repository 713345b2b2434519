package dev.sysextctl.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd's env-file rules as docs/compatibility.md §2.2 and scenario K33 measured them. */
class EnvFileTest {

    @Test
    void plainAssignmentsInFileOrder() {
        ReleaseFile r = EnvFile.parse("ID=debian\nVERSION_ID=12\n");
        assertThat(r.fields()).containsExactly(Map.entry("ID", "debian"), Map.entry("VERSION_ID", "12"));
    }

    @Test
    void whitespaceAroundKeyEqualsAndValueIsTrimmed() {
        ReleaseFile r = EnvFile.parse("  ID = debian  \n\tVERSION_ID\t=\t12\t\n");
        assertThat(r.get("ID")).isEqualTo("debian");
        assertThat(r.get("VERSION_ID")).isEqualTo("12");
    }

    @Test
    void doubleAndSingleQuotesAreRemoved() {
        ReleaseFile r = EnvFile.parse("ID=\"debian\"\nNAME='Debian GNU/Linux'\nPRETTY=\"a \\\"b\\\" \\$c\"\n");
        assertThat(r.get("ID")).isEqualTo("debian");
        assertThat(r.get("NAME")).isEqualTo("Debian GNU/Linux");
        assertThat(r.get("PRETTY")).isEqualTo("a \"b\" $c");
    }

    @Test
    void backslashBeforeOrdinaryCharInDoubleQuotesIsKept() {
        assertThat(EnvFile.parse("X=\"a\\nb\"\n").get("X")).isEqualTo("a\\nb");
    }

    @Test
    void singleQuotesAreLiteral() {
        assertThat(EnvFile.parse("X='a\\\"b $c'\n").get("X")).isEqualTo("a\\\"b $c");
    }

    @Test
    void commentLinesStartingWithHashOrSemicolonAreIgnored() {
        ReleaseFile r = EnvFile.parse("# comment\n; another\n  # indented\nID=debian\n");
        assertThat(r.fields()).containsOnlyKeys("ID");
    }

    @Test
    void noInlineComments() {
        assertThat(EnvFile.parse("VERSION_ID=12 # c\n").get("VERSION_ID")).isEqualTo("12 # c");
    }

    @Test
    void exportPrefixBecomesPartOfTheKey() {
        ReleaseFile r = EnvFile.parse("export ID=debian\n");
        assertThat(r.has("ID")).isFalse();
        assertThat(r.get("export ID")).isEqualTo("debian");
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        ReleaseFile r = EnvFile.parse("ID=debian\r\nVERSION_ID=12\r\n");
        assertThat(r.get("ID")).isEqualTo("debian");
        assertThat(r.get("VERSION_ID")).isEqualTo("12");
    }

    @Test
    void lastAssignmentOfARepeatedKeyWins() {
        assertThat(EnvFile.parse("ID=a\nID=b\n").get("ID")).isEqualTo("b");
        assertThat(EnvFile.parsePairs("ID=a\nID=b\n")).hasSize(2);
    }

    @Test
    void lineWithoutEqualsIsDropped() {
        ReleaseFile r = EnvFile.parse("garbage\nID=debian\n");
        assertThat(r.fields()).containsOnlyKeys("ID");
    }

    @Test
    void emptyValueIsPresentButEmpty() {
        ReleaseFile r = EnvFile.parse("SYSEXT_SCOPE=\nARCHITECTURE=\"\"\n");
        assertThat(r.has("SYSEXT_SCOPE")).isTrue();
        assertThat(r.get("SYSEXT_SCOPE")).isEmpty();
        assertThat(r.get("ARCHITECTURE")).isEmpty();
        assertThat(r.get("MISSING")).isEmpty();
        assertThat(r.has("MISSING")).isFalse();
    }

    @Test
    void lastLineWithoutNewlineIsRead() {
        assertThat(EnvFile.parse("ID=debian").get("ID")).isEqualTo("debian");
        assertThat(EnvFile.parse("ID=\"deb").get("ID")).isEqualTo("deb");
    }

    @Test
    void backslashNewlineContinuesAValue() {
        assertThat(EnvFile.parse("X=a\\\nb\nY=1\n").get("X")).isEqualTo("ab");
    }

    @Test
    void quotedAndUnquotedPartsConcatenate() {
        assertThat(EnvFile.parse("X=\"a b\"c\n").get("X")).isEqualTo("a bc");
    }

    @Test
    void assignmentRoundTripsThroughTheParser() {
        for (String v : new String[] {"debian", "12.1", "x86-64", "system initrd", "a\"b", "$HOME", "back\\slash",
            "", "tab\there", "ünïcode", "semi;colon", "#hash"}) {
            String line = EnvFile.assignment("K", v);
            assertThat(EnvFile.parse(line + "\n").get("K")).as(line).isEqualTo(v);
        }
        assertThat(EnvFile.assignment("ID", "debian")).isEqualTo("ID=debian");
        assertThat(EnvFile.assignment("S", "a b")).isEqualTo("S=\"a b\"");
    }

    @Test
    void renderWritesOneAssignmentPerLine() {
        ReleaseFile r = EnvFile.parse("ID=_any\nSYSEXT_SCOPE=\"system initrd\"\n");
        assertThat(r.render()).isEqualTo("ID=_any\nSYSEXT_SCOPE=\"system initrd\"\n");
        assertThat(EnvFile.parse(r.render())).isEqualTo(r);
    }

    /** Latin-1 where systemd ignores bytes (a comment) is fine; a value that is not UTF-8 makes systemd refuse. */
    @Test
    void bytesAreReadAsSystemdReadsThem() throws Exception {
        byte[] latinComment = "# caf\u00e9 au lait\nID=debian\nNAME=\"Caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> EnvFile.parse(latinComment)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the value of NAME is not valid UTF-8");
        byte[] onlyComment = "# caf\u00e9\nID=debian\nNAME=\"Caf\u00c3\u00a9\"\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(EnvFile.parse(onlyComment).fields()).containsExactly(Map.entry("ID", "debian"),
                Map.entry("NAME", "Caf\u00e9"));
        assertThatThrownBy(() -> EnvFile.parse(new byte[] {'I', (byte) 0xff, '=', '1'}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("the key 'I\\xff' is not valid UTF-8");
    }

    @Test
    void osReleaseAndExtensionReleaseBytesGiveTheSameVerdict(@TempDir Path tmp) throws Exception {
        byte[] latin = "# r\u00e9sum\u00e9\nID=debian\n".getBytes(StandardCharsets.ISO_8859_1);
        Path osRelease = Files.write(tmp.resolve("os-release"), latin);
        assertThat(OsReleaseFiles.read(osRelease).get("ID")).isEqualTo("debian");
        assertThat(OsReleaseFiles.parse(latin, "extension-release.x").get("ID")).isEqualTo("debian");
        byte[] bad = "ID=d\u00e9bian\n".getBytes(StandardCharsets.ISO_8859_1);
        Files.write(osRelease, bad);
        assertThatThrownBy(() -> OsReleaseFiles.read(osRelease)).isInstanceOf(OperationFailedException.class)
                .hasMessage(osRelease + ": the value of ID is not valid UTF-8, so systemd refuses the file; save it "
                        + "as UTF-8");
        assertThatThrownBy(() -> OsReleaseFiles.parse(bad, "extension-release.x"))
                .isInstanceOf(OperationFailedException.class).hasMessageStartingWith("extension-release.x: the value "
                        + "of ID is not valid UTF-8");
    }
}
