package dev.sysextctl.testing;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Enforces {@link Requires}: skip with a message outside CI, fail under {@code CI=true}. */
public final class RequirementsExtension implements BeforeAllCallback, BeforeEachCallback {
    private static final ConcurrentHashMap<String, Boolean> PROBES = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().ifPresent(this::check);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestMethod().ifPresent(this::check);
    }

    private void check(AnnotatedElement element) {
        Requires r = element.getAnnotation(Requires.class);
        if (r == null) {
            return;
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
        if (missing.isEmpty()) {
            return;
        }
        String message = "needs " + String.join(", ", missing);
        if (TestEnvironment.isCi()) {
            throw new AssertionError(message + ", which CI must provide (CI=true: not skipping)");
        }
        throw new TestAbortedException("skipped: " + message + " (set up by scripts/test; fails under CI=true)");
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
