package dev.sysextctl.core.lint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Collects every finding of a check; never stops at the first. */
public final class Findings {
    private final List<Finding> list = new ArrayList<>();

    public Findings add(Finding f) {
        list.add(f);
        return this;
    }

    public Findings add(LintRule rule, String path, String message) {
        return add(rule.finding(path, message));
    }

    public Findings addAll(Iterable<Finding> more) {
        more.forEach(list::add);
        return this;
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Finding::isError);
    }

    public long errorCount() {
        return list.stream().filter(Finding::isError).count();
    }

    public long warningCount() {
        return list.size() - errorCount();
    }

    /** Warnings become errors ({@code --strict}). */
    public Findings strict() {
        Findings out = new Findings();
        list.forEach(f -> out.add(f.withSeverity(Severity.ERROR)));
        return out;
    }

    /** Errors first, then by rule id and path: a stable order for output and tests. */
    public List<Finding> sorted() {
        List<Finding> copy = new ArrayList<>(list);
        copy.sort(ORDER);
        return Collections.unmodifiableList(copy);
    }

    /**
     * Severity, rule id, path; a class rather than {@code Comparator.comparing(...).thenComparing(...)}, whose lambdas
     * inside {@code java.util.Comparator} are spun at run time in every run that sorts findings ({@code inspect}).
     */
    private static final Comparator<Finding> ORDER = new Comparator<>() {
        @Override
        public int compare(Finding a, Finding b) {
            int c = a.severity().compareTo(b.severity());
            if (c == 0) {
                c = a.id().compareTo(b.id());
            }
            return c != 0 ? c : a.path().compareTo(b.path());
        }
    };

    public List<Finding> asList() {
        return Collections.unmodifiableList(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }
}
