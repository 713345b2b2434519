package dev.sysextctl.e2e;

import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The repository's sysextctl jar run on the host, where a user prepares what nodes get (e.g. Ignition configs). */
public final class HostSysextctl {
    private HostSysextctl() {
    }

    /** Runs {@code sysextctl ARGS} on the host with this JVM's Java. */
    public static Shell.Result run(String... args) {
        Path jar = TestEnvironment.repository().resolve("cli/target/sysextctl.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; build it first: ./mvnw -B -q -DskipTests -pl cli -am package");
        }
        List<String> argv = new ArrayList<>(List.of(HostJava.current().home().resolve("bin/java").toString(),
                "-jar", jar.toString()));
        argv.addAll(Arrays.asList(args));
        return Shell.run(argv, Map.of("NO_COLOR", "1"), null, 120);
    }
}
