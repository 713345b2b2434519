package dev.sysextctl.provision.sysupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Sha256SumsTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    @Test
    void readsBothSha256sumModesAndKeepsLinesVerbatim() {
        String text = A + "  docker-1-x86-64.raw\n" + B.toUpperCase() + " *kubernetes-v1-arm64.raw\n";
        Sha256Sums s = Sha256Sums.parse(text);
        assertThat(s.entries()).extracting(Sha256Sums.Entry::fileName)
                .containsExactly("docker-1-x86-64.raw", "kubernetes-v1-arm64.raw");
        assertThat(s.find("kubernetes-v1-arm64.raw").orElseThrow().sha256()).isEqualTo(B);
        assertThat(s.render()).isEqualTo(text);
    }

    @Test
    void appendingKeepsTheOtherEntries() {
        Sha256Sums s = Sha256Sums.parse(A + "  other.raw\n").with(B, "docker-2-x86-64.raw").with(B, "other.raw");
        assertThat(s.render()).isEqualTo(A + "  other.raw\n" + B + "  docker-2-x86-64.raw\n");
        assertThat(Sha256Sums.empty().with(A, "x.raw").render()).isEqualTo(A + "  x.raw\n");
    }

    @Test
    void refusesWhatSysupdateRefuses() {
        assertThatThrownBy(() -> Sha256Sums.parse(A + "  x.raw")).hasMessageContaining("newline");
        assertThatThrownBy(() -> Sha256Sums.parse(A + " x.raw\nbad\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> Sha256Sums.parse(A + "  sub/x.raw\n")).hasMessageContaining("invalid file");
        assertThatThrownBy(() -> Sha256Sums.parse(A + "  \\x.raw\n")).hasMessageContaining("invalid file");
        assertThatThrownBy(() -> Sha256Sums.parse("abc  x.raw\n")).hasMessageContaining("line 1");
        assertThat(Sha256Sums.parse("").entries()).isEmpty();
    }
}
