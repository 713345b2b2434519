package dev.sysextctl.e2e;

import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The repository's sysextctl jar run on the host, where a user prepares what nodes get (images, Ignition configs),
 * with this JVM's Java and the JVM options of the {@code sysextctl} launcher (a short-lived tool: C1 only, serial GC),
 * and a class-data-sharing archive ({@link ClassDataSharing}).
 */
public final class HostSysextctl {
    /** What the launcher ({@code ./sysextctl}) passes to the JVM, so the tests time what users run. */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m",
            "-XX:-UsePerfData", "-Xshare:auto");

    private HostSysextctl() {
    }

    /** Runs {@code sysextctl ARGS} on the host. */
    public static Shell.Result run(String... args) {
        return run("sysextctl " + String.join(" ", args), Arrays.asList(args));
    }

    /** Runs {@code sysextctl ARGS} on the host; the time it took is recorded as {@code what (host)}. */
    public static Shell.Result run(String what, List<String> args) {
        Path jar = TestEnvironment.repository().resolve("cli/target/sysextctl.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; build it first: ./mvnw -B -q -DskipTests -pl cli -am package");
        }
        List<String> argv = new ArrayList<>();
        argv.add(HostJava.current().home().resolve("bin/java").toString());
        argv.addAll(JVM_OPTIONS);
        ClassDataSharing.Role cds = ClassDataSharing.next(ClassDataSharing.Side.HOST, jar);
        switch (cds) {
            case USE -> argv.add("-XX:SharedArchiveFile=" + ClassDataSharing.archive(ClassDataSharing.Side.HOST, jar));
            case DUMP -> {
                ClassDataSharing.createDirectory();
                argv.add("-XX:ArchiveClassesAtExit=" + ClassDataSharing.dumpTarget(ClassDataSharing.Side.HOST, jar));
            }
            case NONE -> { }
        }
        if (cds != ClassDataSharing.Role.NONE) {
            argv.addAll(ClassDataSharing.QUIET);
        }
        argv.addAll(List.of("-jar", jar.toString()));
        argv.addAll(args);
        long start = System.nanoTime();
        try {
            return Shell.run(argv, Map.of("NO_COLOR", "1", "LC_ALL", "C.UTF-8"), null, 120);
        } finally {
            if (cds == ClassDataSharing.Role.DUMP) {
                ClassDataSharing.dumped(ClassDataSharing.Side.HOST, jar);
            }
            Timings.record(what + " (host" + (cds == ClassDataSharing.Role.DUMP ? ", dumping CDS" : "") + ")",
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
