package dev.sysextctl.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/**
 * The Debian trixie peers prepared by {@code scripts/trixie-tools} (cached; the first run downloads them from
 * the Debian mirror). When they cannot be prepared the test is skipped, or fails under {@code CI=true}.
 */
public final class TrixieTools {
    private TrixieTools() {
    }

    /** The directory holding the real {@code ignition} and {@code ignition-validate}. */
    public static Path ignitionBin() {
        return prepare("ignition");
    }

    /** The trixie minbase chroot with systemd 257 and systemd-sysupdate. */
    public static Path chroot() {
        return prepare("chroot");
    }

    private static synchronized Path prepare(String what) {
        Path script = TestEnvironment.repository().resolve("scripts/trixie-tools");
        Shell.Result r = Shell.run(List.of(script.toString(), what), Map.of(), null, 900);
        String out = r.stdout().strip();
        if (r.exitCode() == 0 && !out.isEmpty() && Files.isDirectory(Path.of(out))) {
            return Path.of(out);
        }
        String message = "scripts/trixie-tools " + what + " failed (exit " + r.exitCode() + "): "
                + lastLine(r.stderr());
        if (TestEnvironment.isCi()) {
            throw new AssertionError(message + " (CI=true: not skipping)");
        }
        throw new TestAbortedException("skipped: " + message);
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1];
    }
}
