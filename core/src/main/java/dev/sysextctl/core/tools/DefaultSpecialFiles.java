package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;
import java.util.List;

/** {@link SpecialFiles} through mknod(1) and touch(1) (coreutils), via the {@link ProcessRunner}. */
public final class DefaultSpecialFiles implements SpecialFiles {
    public static final String MKNOD = "mknod";
    public static final String TOUCH = "touch";
    private final ProcessRunner runner;

    public DefaultSpecialFiles(ProcessRunner runner) {
        this.runner = runner;
    }

    @Override
    public void create(Path path, EntryType type, int major, int minor, int mode) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(mknodArgv(path, type, major, minor, mode)));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, type == EntryType.FIFO
                    ? "check that the directory is writable"
                    : "device nodes can only be created by root; build as root or use --format squashfs");
        }
    }

    @Override
    public void setTime(Path path, long epochSeconds) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(touchArgv(path, epochSeconds)));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "check that the file exists and is yours");
        }
    }

    /** The mknod argv: visible for tests that assert it. */
    public static List<String> mknodArgv(Path path, EntryType type, int major, int minor, int mode) {
        String m = String.format("%04o", mode & 07777);
        return switch (type) {
            case CHAR_DEVICE -> List.of(MKNOD, "-m", m, path.toString(), "c", Integer.toString(major),
                    Integer.toString(minor));
            case BLOCK_DEVICE -> List.of(MKNOD, "-m", m, path.toString(), "b", Integer.toString(major),
                    Integer.toString(minor));
            case FIFO -> List.of(MKNOD, "-m", m, path.toString(), "p");
            default -> throw new IllegalArgumentException("mknod cannot create a " + type.jsonName());
        };
    }

    /** The touch argv: visible for tests that assert it. */
    public static List<String> touchArgv(Path path, long epochSeconds) {
        return List.of(TOUCH, "-h", "-c", "-d", "@" + epochSeconds, "--", path.toString());
    }
}
