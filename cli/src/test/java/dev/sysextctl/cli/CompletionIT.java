package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sysextctl completion bash}, printed by the packaged jar, sourced into a real bash: its completion
 * function is called as bash calls it on TAB (COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT) and COMPREPLY is read.
 */
@Requires(tools = {"bash"})
class CompletionIT {
    @TempDir
    static Path dir;
    static Path script;

    @BeforeAll
    static void script() throws Exception {
        script = dir.resolve("sysextctl.bash");
        Shell.Result r = Jar.run(List.of(), dir, "completion", "bash");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Files.writeString(script, r.stdout());
    }

    /** What bash offers on TAB after {@code line} (the last word is the one completed). */
    static List<String> complete(String line) {
        String[] words = line.split(" ", -1);
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append("'");
        }
        // compopt (which the script calls for some values) works only inside a completion that bash started on
        // TAB; here the function is called directly, so it is stubbed out: the candidates are unaffected.
        Shell.Result r = Shell.run("bash", "--norc", "--noprofile", "-c", "source '" + script + "' && "
                + "compopt() { :; } && COMP_WORDS=(" + array + " ) && COMP_CWORD=" + (words.length - 1) + " && COMP_LINE='" + line
                + "' && COMP_POINT=${#COMP_LINE} && _complete_sysextctl sysextctl && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Arrays.stream(r.stdout().split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    @Test
    void aCommandPrefixCompletesToTheCommand() {
        assertThat(complete("sysextctl bu")).containsExactly("build");
        assertThat(complete("sysextctl compl")).containsExactly("completion");
        assertThat(complete("sysextctl compo")).containsExactly("compose");
    }

    @Test
    void anOptionPrefixAfterBuildCompletesToItsOptions() {
        assertThat(complete("sysextctl build --for")).containsExactlyInAnyOrder("--format", "--force");
    }

    @Test
    void enumOptionsOfferTheirValues() {
        assertThat(complete("sysextctl list --json ")).containsExactly("pretty", "short", "off");
        assertThat(complete("sysextctl completion ")).containsExactly("bash", "zsh", "fish");
    }

    @Test
    void formatCompressionEngineAndIgnitionVersionCompleteToTheirValues() {
        assertThat(complete("sysextctl build --format ")).containsExactly("squashfs", "erofs", "directory", "ddi");
        assertThat(complete("sysextctl build --compression lz")).containsExactly("lz4", "lz4hc", "lzo");
        assertThat(complete("sysextctl merge --engine ")).containsExactly("auto", "systemd", "native");
        assertThat(complete("sysextctl ignition --ignition-version ")).containsExactly("3.3.0", "3.4.0");
    }

    @Test
    void zshGetsTheSameScriptThroughBashcompinit() {
        Shell.Result r = Jar.run(List.of(), dir, "completion", "zsh");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).startsWith("#compdef sysextctl\n").contains("bashcompinit")
                .contains("_complete_sysextctl");
    }
}
