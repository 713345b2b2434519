package dev.sysextctl.composer;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Composes in a JVM of its own (for {@link ComposeStreamingIT}, which limits its heap): {@code BASE OUTPUT EXT...}.
 * Prints the number of entries and the peak resident set ({@code VmHWM}), or the error and its exit code.
 */
public final class ComposeMain {
    private ComposeMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            ComposeReport r = new Composer(NativeTools.system()).compose(new ComposeRequest(Path.of(args[0]),
                    Arrays.stream(args, 2, args.length).map(Path::of).toList(), Path.of(args[1]),
                    BuildFormat.SQUASHFS, null, false));
            System.out.println("entries " + r.entries());
            Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                    .forEach(System.out::println);
        } catch (SysextctlException e) {
            System.out.println("error: " + e.getMessage());
            System.exit(e.exitCode());
        }
    }
}
