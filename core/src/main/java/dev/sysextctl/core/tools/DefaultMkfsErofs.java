package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * mkfs.erofs through the {@link ProcessRunner}. erofs-utils 1.5 (Debian 12) has {@code -z} lz4/lz4hc,
 * {@code -T} (one timestamp for every inode and the superblock), {@code -U} (the filesystem UUID),
 * {@code --all-root} and {@code --quiet}; it has no {@code --version}, but prints its version before the usage
 * text when given one.
 */
public final class DefaultMkfsErofs extends ProbedTool implements MkfsErofs {
    public static final String PROGRAM = "mkfs.erofs";
    private static final ToolVersionProbe VERSION = new ToolVersionProbe(PROGRAM, "--version",
            Pattern.compile("mkfs\\.erofs (?:\\(erofs-utils\\) )?v?(\\d+(?:\\.\\d+)+)"), "erofs-utils 1.5 or later");

    public DefaultMkfsErofs(ProcessRunner runner, ToolVersionCache versions) {
        super(runner, versions, VERSION);
    }

    @Override
    public void build(Path directory, Path output, ErofsOptions options) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(argv(directory, output, options))
                .withoutEnvironment(DefaultMksquashfs.SOURCE_DATE_EPOCH));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "the image was not written");
        }
    }

    /** The argv of a build: visible for tests that assert it. */
    public static List<String> argv(Path directory, Path output, ErofsOptions o) {
        List<String> a = new ArrayList<>(List.of(PROGRAM, "--quiet"));
        switch (o.compression()) {
            case LZ4 -> a.add("-zlz4");
            case LZ4HC -> a.add("-zlz4hc");
            default -> {
                // NONE: no -z, the data is stored uncompressed
            }
        }
        a.add("-T" + o.timestamp());
        a.add("-U" + ErofsOptions.ZERO_UUID);
        if (o.allRoot()) {
            a.add("--all-root");
        }
        a.addAll(o.extraArgs());
        a.add(output.toString());
        a.add(directory.toString());
        return a;
    }
}
