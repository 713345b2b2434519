package dev.sysextctl.provision.sysupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** docs/compatibility.md §6.2, including the runs U01/U02 made with the real sysupdate 257. */
class MatchPatternTest {
    private static final MatchPattern DOCKER = MatchPattern.parse("docker-@v-%a.raw", "x86-64");

    @Test
    void bakeryPatternReadsTheVersion() {
        assertThat(DOCKER.version("docker-28.0.4-x86-64.raw")).contains("28.0.4");
        assertThat(DOCKER.version("docker-1.1-rc1-x86-64.raw")).contains("1.1-rc1");
        assertThat(DOCKER.version("docker-28.0.4-arm64.raw")).isEmpty();
        assertThat(DOCKER.version("docker-28.0.4-x86-64.raw.bak")).isEmpty();
        assertThat(DOCKER.version("docker--x86-64.raw")).isEmpty();
    }

    @Test
    void tildeVersionsAreNeverOffered() {
        assertThat(DOCKER.version("docker-2.0~beta-x86-64.raw")).isEmpty();
        assertThat(MatchPattern.invalidVersionReason("2.0~beta")).contains("it contains '~'");
        assertThat(MatchPattern.invalidVersionReason("1.2,3_4+5-6")).isEmpty();
        assertThat(MatchPattern.invalidVersionReason("..")).isPresent();
        assertThat(MatchPattern.invalidVersionReason("")).isPresent();
    }

    @Test
    void aShorterNameAlsoMatchesALongerNamesFiles() {
        // why release refuses docker and docker-compose in one directory
        assertThat(DOCKER.version("docker-compose-2.0-x86-64.raw")).contains("compose-2.0");
    }

    @Test
    void escapesAndInvalidPatterns() {
        assertThat(MatchPattern.forExtension("a@b%c")).isEqualTo("a@@b%%c-@v-%a.raw");
        assertThat(MatchPattern.parse(MatchPattern.forExtension("a@b%c"), "arm64").version("a@b%c-1-arm64.raw"))
                .contains("1");
        assertThatThrownBy(() -> MatchPattern.parse("x-@v@u.raw", "x86-64"))
                .hasMessageContaining("separated by a literal");
        assertThatThrownBy(() -> MatchPattern.parse("x-*.raw", "x86-64")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> MatchPattern.parse("x.raw", "x86-64")).hasMessageContaining("no @v");
        assertThatThrownBy(() -> MatchPattern.parse("x-@v-@v.raw", "x86-64")).hasMessageContaining("twice");
        assertThat(MatchPattern.unusableNameReason("a|b")).isPresent();
        assertThat(MatchPattern.unusableNameReason("docker")).isEmpty();
    }
}
