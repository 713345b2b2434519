package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** fsck.erofs through the {@link ProcessRunner} ({@code --extract=DIR}, erofs-utils 1.5 and later). */
public final class DefaultFsckErofs extends ProbedTool implements FsckErofs {
    public static final String PROGRAM = "fsck.erofs";
    private static final ToolVersionProbe VERSION = new ToolVersionProbe(PROGRAM, "-V",
            Pattern.compile("fsck\\.erofs (?:\\(erofs-utils\\) )?v?(\\d+(?:\\.\\d+)+)"), "erofs-utils 1.5 or later");

    public DefaultFsckErofs(ProcessRunner runner, ToolVersionCache versions) {
        super(runner, versions, VERSION);
    }

    @Override
    public void extract(Path image, Path destination) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(argv(image, destination)));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, image + " is not a readable erofs image");
        }
    }

    /** The argv of an extraction: visible for tests that assert it. */
    public static List<String> argv(Path image, Path destination) {
        return List.of(PROGRAM, "--extract=" + destination, "--no-preserve", image.toString());
    }
}
