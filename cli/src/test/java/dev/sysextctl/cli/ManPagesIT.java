package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code man -l} renders every page in docs/man without a warning from groff. */
@Requires(tools = {"man", "groff"})
class ManPagesIT {
    @Test
    void manRendersEveryPage() throws Exception {
        List<Path> pages;
        try (Stream<Path> s = Files.list(ManPagesTest.DIR)) {
            pages = s.sorted().toList();
        }
        assertThat(pages).hasSizeGreaterThan(10);
        for (Path page : pages) {
            Shell.Result r = Shell.run(List.of("man", "--warnings", "-l", page.toString()),
                    Map.of("MANWIDTH", "80", "MANPAGER", "cat", "PAGER", "cat"), page.getParent(), 60);
            assertThat(r.exitCode()).as(page + ": " + r).isZero();
            assertThat(r.stderr()).as(page + ": " + r).isEmpty();
            String name = page.getFileName().toString().replace(".1", "");
            assertThat(r.stdout()).as(page.toString()).contains("NAME").contains(name).contains("OPTIONS");
        }
    }
}
