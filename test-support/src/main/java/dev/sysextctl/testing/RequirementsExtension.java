package dev.sysextctl.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * Enforces {@link Requires}: skip with a message outside CI, fail under {@code CI=true}. Outside CI the skip is an
 * execution condition, so the reports name the reason also for a whole class (an abort in a before-all callback
 * shows up as "Tests run: 0" without any message).
 */
public final class RequirementsExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {
    private static final ConcurrentHashMap<String, Boolean> PROBES = new ConcurrentHashMap<>();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = context.getElement().map(RequirementsExtension::missing).orElse(null);
        if (missing == null || TestEnvironment.isCi()) {
            return ConditionEvaluationResult.enabled(missing == null ? "requirements met" : "CI=true: not skipping");
        }
        return ConditionEvaluationResult.disabled(skipMessage(missing));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().ifPresent(this::check);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().ifPresent(this::check);
    }

    private void check(AnnotatedElement element) {
        String message = missing(element);
        if (message == null) {
            return;
        }
        if (TestEnvironment.isCi()) {
            throw new AssertionError(message + ", which CI must provide (CI=true: not skipping)");
        }
        throw new TestAbortedException(skipMessage(message));
    }

    private static String skipMessage(String missing) {
        return "skipped: " + missing + " (set up by scripts/test; fails under CI=true)";
    }

    /** What {@code element}'s {@link Requires} asks for and the machine lacks ({@code needs ...}), or null. */
    private static String missing(AnnotatedElement element) {
        Requires r = element.getAnnotation(Requires.class);
        if (r == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (r.root() && !TestEnvironment.isRoot()) {
            missing.add("root");
        }
        for (String tool : r.tools()) {
            if (!TestEnvironment.hasTool(tool)) {
                missing.add("the tool '" + tool + "'");
            }
        }
        if (r.mounts() && !PROBES.computeIfAbsent("mounts", k -> probeMounts())) {
            missing.add("private mount namespaces (unshare -m as root)");
        }
        if (r.docker() && !PROBES.computeIfAbsent("docker", k -> probe("docker", "version"))) {
            missing.add("a Docker engine (docker version fails)");
        }
        return missing.isEmpty() ? null : "needs " + String.join(", ", missing);
    }

    private static boolean probeMounts() {
        return TestEnvironment.isRoot() && TestEnvironment.hasTool("unshare")
                && probe("unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt");
    }

    private static boolean probe(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
