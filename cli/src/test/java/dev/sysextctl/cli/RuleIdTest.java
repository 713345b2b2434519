package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.lint.RuleId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/cli.md §3 and {@link RuleId}, the one type for rule ids, list the same ids (issue 13). */
class RuleIdTest {
    private static final Pattern TABLE_ID = Pattern.compile("^\\| `([a-z][a-z0-9-]*)` \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([a-z][a-z0-9]*(?:-[a-z0-9]+)*)`");

    private static String section3() throws Exception {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("docs/cli.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository above " + Path.of("").toAbsolutePath()).isNotNull();
        String doc = Files.readString(p.resolve("docs/cli.md"));
        int start = doc.indexOf("\n## 3. Rule ids");
        int end = doc.indexOf("\n## 4.", start);
        assertThat(start).as("docs/cli.md has § 3").isPositive();
        return doc.substring(start, end);
    }

    @Test
    void everyRuleIdIsDocumentedInSection3() throws Exception {
        String s3 = section3();
        Set<String> quoted = new TreeSet<>();
        Matcher m = CODE.matcher(s3);
        while (m.find()) {
            quoted.add(m.group(1));
        }
        Set<String> undocumented = Arrays.stream(RuleId.values()).map(RuleId::id).filter(id -> !quoted.contains(id))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(undocumented).as("rule ids missing from docs/cli.md §3").isEmpty();
    }

    @Test
    void everyIdInTheTablesOfSection3IsARuleId() throws Exception {
        Set<String> known = Arrays.stream(RuleId.values()).map(RuleId::id).collect(Collectors.toSet());
        Set<String> rows = new LinkedHashSet<>();
        Matcher m = TABLE_ID.matcher(section3());
        while (m.find()) {
            rows.add(m.group(1));
        }
        assertThat(rows).hasSizeGreaterThan(20);
        assertThat(rows).as("ids documented in docs/cli.md §3 but not in RuleId").isSubsetOf(known);
    }

    @Test
    void idsAreUniqueAndTheContractsLintRulesTakeTheirs() {
        Set<String> ids = new TreeSet<>();
        for (RuleId r : RuleId.values()) {
            assertThat(ids.add(r.id())).as("duplicate id " + r.id()).isTrue();
            assertThat(r.id()).isEqualTo(r.name().toLowerCase().replace('_', '-'));
        }
        for (LintRule l : LintRule.values()) {
            assertThat(l.id()).isEqualTo(l.ruleId().id());
            assertThat(l.ruleId().name()).isEqualTo(l.name());
        }
    }
}
