package dev.sysextctl.merger.mount;

import java.util.List;

/** One command run in the namespace shell, with the id its result is reported under. */
public record MountStep(String id, List<String> argv) {
    public MountStep {
        argv = List.copyOf(argv);
    }

    public static MountStep of(String id, String... argv) {
        return new MountStep(id, List.of(argv));
    }
}
