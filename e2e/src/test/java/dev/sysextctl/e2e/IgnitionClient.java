package dev.sysextctl.e2e;

import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The real Ignition (Debian trixie's {@code ignition} and {@code ignition-validate}, prepared by
 * {@code scripts/trixie-tools}) on the host. {@link #applyFilesStage} does to a node's root, prepared on the host
 * before its first boot, what a Flatcar initrd does at first boot: the fetch-offline stage, then the files stage
 * (docs/testing.md §2).
 *
 * <p>Stubbed: SELinux's {@code setfiles}, which the files stage's last step (relabeling) runs; neither this machine
 * nor the test bed has SELinux, so a no-op stands in for it, and the {@code etc/selinux/config} that step wants is
 * removed again afterwards.
 */
public final class IgnitionClient {
    private final Path bin;

    private IgnitionClient(Path bin) {
        this.bin = bin;
    }

    /** The real clients; skips the test (fails it under {@code CI=true}) when they cannot be prepared. */
    public static IgnitionClient trixie() {
        return new IgnitionClient(TrixieTools.ignitionBin());
    }

    /** {@code ignition-validate CONFIG}. */
    public Shell.Result validate(Path config) {
        return Shell.run(bin.resolve("ignition-validate").toString(), config.toString());
    }

    /**
     * Runs Ignition's fetch-offline and files stages with {@code -root ROOT -platform file} in a private mount
     * namespace (a fresh {@code /run}); {@code scratch} holds the stub {@code setfiles}.
     */
    public Shell.Result applyFilesStage(Path config, Path root, Path scratch) {
        try {
            Path selinux = root.resolve("etc/selinux");
            if (Files.exists(selinux)) {
                throw new IllegalArgumentException(selinux + " exists; the SELinux stand-in would replace it");
            }
            Files.createDirectories(selinux);
            Files.writeString(selinux.resolve("config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
            Path stubs = Files.createDirectories(scratch.resolve("ignition-stubs"));
            Path setfiles = stubs.resolve("setfiles");
            Files.writeString(setfiles, "#!/bin/sh\ncat >/dev/null\n");
            Files.setPosixFilePermissions(setfiles, PosixFilePermissions.fromString("rwxr-xr-x"));
            String run = "timeout 120 " + bin.resolve("ignition") + " -platform file -root " + root
                    + " -log-to-stdout -stage ";
            Shell.Result r = MountNamespace.run(run + "fetch-offline && " + run + "files",
                    Map.of("IGNITION_CONFIG_FILE", config.toString(), "PATH", stubs + ":" + System.getenv("PATH")));
            Shell.run(List.of("rm", "-rf", "--", selinux.toString())).assertSuccess();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root + " for Ignition", e);
        }
    }
}
