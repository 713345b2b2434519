package dev.sysextctl.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
