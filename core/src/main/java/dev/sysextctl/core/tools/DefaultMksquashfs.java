package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.StdinSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** mksquashfs through the {@link ProcessRunner}. Flags are chosen from the options and the probed version. */
public final class DefaultMksquashfs extends ProbedTool implements Mksquashfs {
    public static final String PROGRAM = "mksquashfs";
    public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";
    private static final ToolVersionProbe VERSION = new ToolVersionProbe(PROGRAM, "-version",
            Pattern.compile("mksquashfs version (\\d+(?:\\.\\d+)+)"), "squashfs-tools 4.5 or later");

    public DefaultMksquashfs(ProcessRunner runner, ToolVersionCache versions) {
        super(runner, versions, VERSION);
    }

    @Override
    public void buildFromTar(StdinSource tar, Path output, SquashfsOptions options) throws OperationFailedException {
        requireTarSupport();
        List<String> argv = tarArgv(output, options);
        ProcessResult r = runner.run(command(argv).withStdin(tar));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "the image was not written");
        }
    }

    @Override
    public void buildFromDirectory(Path directory, Path output, SquashfsOptions options)
            throws OperationFailedException {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, directory.toString(), output.toString()));
        argv.addAll(commonArgs(options));
        ProcessResult r = runner.run(command(argv));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "the image was not written");
        }
    }

    /**
     * The build command: mksquashfs refuses {@code -all-time}/{@code -mkfs-time} when {@code SOURCE_DATE_EPOCH} is
     * set ("can't be used at the same time"), so the variable is removed; the timestamps are passed as options.
     */
    static Command command(List<String> argv) {
        return Command.of(argv).withoutEnvironment(SOURCE_DATE_EPOCH);
    }

    /** The argv of a build from a tar stream: visible for tests that assert it. */
    public List<String> tarArgv(Path output, SquashfsOptions options) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "-", output.toString(), "-tar"));
        argv.addAll(commonArgs(options));
        return argv;
    }

    static List<String> commonArgs(SquashfsOptions o) {
        List<String> a = new ArrayList<>(List.of("-noappend", "-no-progress", "-quiet"));
        switch (o.compression()) {
            case NONE -> a.addAll(List.of("-noI", "-noD", "-noF", "-noX"));
            case LZ4HC -> a.addAll(List.of("-comp", "lz4", "-Xhc"));
            default -> a.addAll(List.of("-comp", o.compression().cliName()));
        }
        String t = Long.toString(o.timestamp());
        a.addAll(List.of("-all-time", t, "-mkfs-time", t, "-root-time", t, "-root-mode", "0755"));
        if (o.allRoot()) {
            a.add("-all-root");
        } else {
            a.addAll(List.of("-root-uid", "0", "-root-gid", "0"));
        }
        if (o.processors() > 0) {
            a.addAll(List.of("-processors", Integer.toString(o.processors())));
        }
        a.addAll(o.extraArgs());
        return a;
    }

    private void requireTarSupport() throws OperationFailedException {
        String v = version();
        String tar = versions.get(PROGRAM + " -tar", () -> {
            ProcessResult help = runner.run(Command.of(PROGRAM, "-help"));
            return (help.stdout() + help.stderr()).contains("-tar") ? "yes" : "no";
        });
        if (!tar.equals("yes")) {
            throw new OperationFailedException("mksquashfs " + v + " cannot read tar streams (-tar); install "
                    + "squashfs-tools 4.5.1 from Debian 12 or 4.6 or later");
        }
    }
}
