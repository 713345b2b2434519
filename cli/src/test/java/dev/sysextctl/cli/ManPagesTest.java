package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The man pages in docs/man are those the command model generates now. After changing a command, rewrite them with
 * {@code ./mvnw -B -q -pl cli -am verify -Dtest=ManPagesTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * -Dsysextctl.man.update=true}.
 */
class ManPagesTest {
    static final Path DIR = TestEnvironment.repository().resolve("docs/man");

    @Test
    void theCommittedPagesAreCurrent() throws Exception {
        Map<String, String> pages = ManPages.render();
        if (Boolean.getBoolean("sysextctl.man.update")) {
            ManPages.main(new String[] {DIR.toString()});
        }
        Set<String> committed;
        try (Stream<Path> s = Files.list(DIR)) {
            committed = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(committed).as("docs/man holds exactly the generated pages").isEqualTo(new TreeSet<>(pages.keySet()));
        for (Map.Entry<String, String> e : pages.entrySet()) {
            assertThat(Files.readString(DIR.resolve(e.getKey()))).as(e.getKey() + " is stale; regenerate it (see "
                    + "ManPagesTest)").isEqualTo(e.getValue());
        }
    }

    @Test
    void thereIsAPagePerCommandWithItsOptionsAndExitCodes() {
        Map<String, String> pages = ManPages.render();
        assertThat(pages).containsKeys("sysextctl.1", "sysextctl-build.1", "sysextctl-list.1",
                "sysextctl-completion.1");
        assertThat(pages.get("sysextctl-build.1")).contains(".SH NAME\nsysextctl\\-build \\- Build a sysext image")
                .contains("\\fB\\-\\-format\\fR").contains("Exit codes:");
        assertThat(pages.get("sysextctl.1")).contains(".B build\n").contains(".BR sysextctl\\-build (1)");
    }

    @Test
    void roffControlCharactersAreEscaped() {
        assertThat(ManPages.text(".hidden\n'quote\na\\b-c")).isEqualTo("\\&.hidden\n\\&'quote\na\\eb\\-c");
    }
}
