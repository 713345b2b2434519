package dev.sysextctl.merger.lab;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The merger's public API as a process, for tests that must run it inside a private mount namespace (the test
 * JVM cannot enter one): {@code LabMain ACTION ROOT [--force] [--engine E] [--class C] [--systemd-version N]},
 * messages on stderr, JSON on stdout for
 * list/status, and the CLI's exit codes.
 */
public final class LabMain {
    private LabMain() {
    }

    public static void main(String[] args) {
        List<String> a = Arrays.asList(args);
        String action = args[0];
        List<String> positional = new java.util.ArrayList<>();
        for (int i = 1; i < a.size(); i++) {
            if (List.of("--engine", "--class", "--systemd-version").contains(a.get(i))) {
                i++;
            } else if (!a.get(i).startsWith("--")) {
                positional.add(a.get(i));
            }
        }
        Path root = Path.of(positional.get(0));
        boolean force = a.contains("--force");
        boolean dryRun = a.contains("--dry-run");
        int e = a.indexOf("--engine");
        try {
            EngineKind engine = e >= 0 ? EngineKind.parse(args[e + 1]) : EngineKind.NATIVE;
            int c = a.indexOf("--class");
            int sv = a.indexOf("--systemd-version");
            Node node = Node.open(root, sv >= 0 ? SystemdVersion.parse(args[sv + 1]) : null, System.getenv());
            if (c >= 0) {
                node = node.forClass(ExtensionClass.byId(args[c + 1]), System.getenv());
            }
            Merger m = new Merger(NativeTools.system(), Clock.systemUTC(), Duration.ofSeconds(
                    Long.parseLong(System.getenv().getOrDefault("SYSEXTCTL_LOCK_WAIT", "10"))));
            MergeOptions o = new MergeOptions(force, dryRun);
            switch (action) {
                case "status" -> System.out.println(Json.write(m.status(node)));
                case "list" -> System.out.println(Json.write(m.list(node)));
                case "explain" -> System.out.println(Json.write(m.explain(node, positional.get(1))));
                default -> {
                    MergeOutcome out = switch (action) {
                        case "merge" -> m.merge(node, engine, o);
                        case "refresh" -> m.refresh(node, engine, o);
                        case "unmerge" -> m.unmerge(node, engine, o);
                        default -> throw new IllegalArgumentException(action);
                    };
                    for (String msg : out.messages()) {
                        System.err.println(msg);
                    }
                    for (String w : out.warnings()) {
                        System.err.println("warning: " + w);
                    }
                    if (a.contains("--json")) {
                        System.out.println(Json.write(out));
                    }
                }
            }
            System.exit(0);
        } catch (SysextctlException ex) {
            System.err.println("sysextctl: " + ex.getMessage());
            System.exit(ex.exitCode());
        }
    }
}
