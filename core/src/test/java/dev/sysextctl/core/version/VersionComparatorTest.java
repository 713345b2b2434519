package dev.sysextctl.core.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** strverscmp_improved as docs/compatibility.md §4.2 and systemd's own comments describe it. */
class VersionComparatorTest {
    private static int cmp(String a, String b) {
        return Integer.signum(VersionComparator.compareVersions(a, b));
    }

    @Test
    void systemdsDocumentedOrder() {
        List<String> ordered = List.of("122.1", "123~rc1-1", "123", "123-a", "123-a.1", "123-1", "123-1.1",
                "123^post1", "123.a-1", "123.1-1", "123a-1", "124-1");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                assertThat(cmp(ordered.get(i), ordered.get(j))).as(ordered.get(i) + " vs " + ordered.get(j))
                        .isEqualTo(Integer.signum(i - j));
            }
        }
    }

    @Test
    void extensionLayerOrderOfScenarioK21() {
        List<String> names = new ArrayList<>(List.of("foo-10", "0x", "b", "B", "foo-2", "a"));
        Collections.shuffle(names, new java.util.Random(7));
        names.sort(VersionComparator.INSTANCE);
        assertThat(names).containsExactly("B", "a", "b", "foo-2", "foo-10", "0x");
    }

    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({
        "1.1, 1.1-rc1, -1",
        "1.10, 1.9, 1",
        "1.2, 1.10, -1",
        "00123, 123, 0",
        "123_a, 123a, 0",
        "a_b, ab, -1",
        "foo, 0x, -1",
        "abc, abcde, -1",
        "1~beta, 1, -1",
        "1~beta, 1~alpha, 1",
        "1.0~rc1, 1.0~rc2, -1",
        "1^a, 1-a, 1",
        "1.0, 1.0, 0",
        "'', 1, -1",
        "'', '', 0",
        "1-, 1-, 0",
        "24.0.10, 24.0.9, 1",
        "v1.32.2, v1.32.10, -1",
        "Z, a, -1"
    })
    void pairs(String a, String b, int expected) {
        assertThat(cmp(a, b)).isEqualTo(expected);
        assertThat(cmp(b, a)).isEqualTo(-expected);
    }

    @Test
    void nonAsciiIsASeparator() {
        assertThat(cmp("1ü2", "12")).isEqualTo(cmp("1_2", "12"));
    }
}
