package dev.sysextctl.core.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One native-tool invocation: the exact argv, extra environment, working directory, what to feed on stdin and
 * how long it may take. Immutable; the {@code with*} methods return copies. An environment entry whose value is
 * null removes that variable from the inherited environment ({@link #withoutEnvironment}).
 */
public record Command(List<String> argv, Map<String, String> environment, Path directory, StdinSource stdin,
        Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(2);

    public Command {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argv");
        }
        argv = List.copyOf(argv);
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        timeout = Objects.requireNonNullElse(timeout, DEFAULT_TIMEOUT);
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), null, null, null);
    }

    public static Command of(List<String> argv) {
        return new Command(argv, Map.of(), null, null, null);
    }

    public String program() {
        return argv.get(0);
    }

    public Command withEnvironment(String key, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(key, value);
        return new Command(argv, env, directory, stdin, timeout);
    }

    /** A copy that runs without {@code key} in its environment, even when this process has it. */
    public Command withoutEnvironment(String key) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(key, null);
        return new Command(argv, env, directory, stdin, timeout);
    }

    public Command withDirectory(Path dir) {
        return new Command(argv, environment, dir, stdin, timeout);
    }

    public Command withStdin(StdinSource source) {
        return new Command(argv, environment, directory, source, timeout);
    }

    public Command withTimeout(Duration t) {
        return new Command(argv, environment, directory, stdin, t);
    }

    public Command withArgs(String... more) {
        List<String> a = new ArrayList<>(argv);
        a.addAll(List.of(more));
        return new Command(a, environment, directory, stdin, timeout);
    }

    /** The argv as a shell would take it: each argument that needs it in single quotes, for messages and -vv. */
    public String display() {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(shellQuoted(a));
        }
        return sb.toString();
    }

    /** {@code arg} as is when a shell reads it literally, else in single quotes ({@code it's} → {@code 'it'\''s'}). */
    public static String shellQuoted(String arg) {
        return !arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
