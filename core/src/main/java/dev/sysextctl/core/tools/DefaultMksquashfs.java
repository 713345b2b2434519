package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.RunningProcess;
import dev.sysextctl.core.process.ToolNotFoundException;
import dev.sysextctl.core.process.StdinSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** mksquashfs through the {@link ProcessRunner}. Flags are chosen from the options and the probed version. */
public final class DefaultMksquashfs extends ProbedTool implements Mksquashfs {
    public static final String PROGRAM = "mksquashfs";
    public static final String SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH";
    private static final ToolVersionProbe VERSION = new ToolVersionProbe(PROGRAM, "-version",
            Pattern.compile("mksquashfs version (\\d+(?:\\.\\d+)+)"), "squashfs-tools 4.5 or later");
    /**
     * Versions whose {@code -tar} images a directory build with {@link #DIRECTORY_AS_TAR} reproduces byte for byte
     * (SquashfsDirectBuildIT checks it on the installed version): others build every directory through the tar
     * stream until that test has been run with them.
     */
    static final Set<String> DIRECTORY_AS_TAR_VERSIONS = Set.of("4.5.1");
    /**
     * What a {@code -tar} build implies and a directory build must ask for: no export table (and every error reading
     * the tree fatal, not an empty file in the image).
     */
    static final List<String> DIRECTORY_AS_TAR = List.of("-no-exports", "-exit-on-error");
    /** The flags a build may need that {@code -help} is asked about. */
    static final List<String> PROBED_FLAGS = List.of("-tar", "-no-exports", "-no-tailends", "-exit-on-error", "-pf",
            "-ef");

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
    public boolean readsDirectoriesAsTar() throws OperationFailedException {
        if (!DIRECTORY_AS_TAR_VERSIONS.contains(version())) {
            return false;
        }
        return listedFlags().containsAll(PROBED_FLAGS);
    }

    @Override
    public void buildFromDirectory(SquashfsDirectoryInput input, Path output, SquashfsOptions options)
            throws OperationFailedException {
        ProcessResult r = runner.run(command(directoryArgv(input, output, options)));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "the image was not written");
        }
    }

    /**
     * Starts mksquashfs in the background ({@link ProcessRunner#start}); with a runner that cannot, the build runs
     * at {@link Running#await}.
     */
    @Override
    public Running startFromDirectory(SquashfsDirectoryInput input, Path output, SquashfsOptions options)
            throws OperationFailedException {
        Command command = command(directoryArgv(input, output, options));
        RunningProcess p;
        try {
            p = runner.start(command);
        } catch (ToolNotFoundException e) {
            throw e;
        } catch (OperationFailedException e) {
            return Mksquashfs.super.startFromDirectory(input, output, options);
        }
        return new Running() {
            @Override
            public void await() throws OperationFailedException {
                ProcessResult r = p.finish(command.timeout());
                if (!r.succeeded()) {
                    throw new CommandFailedException(new ProcessResult(command.argv(), r.exitCode(), r.stdout(),
                            r.stderr()), "the image was not written");
                }
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    /** The argv of a build from a directory laid out as from a tar stream: visible for tests that assert it. */
    public List<String> directoryArgv(SquashfsDirectoryInput input, Path output, SquashfsOptions options) {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, input.directory().toString(), output.toString()));
        argv.addAll(commonArgs(options));
        argv.addAll(DIRECTORY_AS_TAR);
        if (input.pseudoFile() != null) {
            argv.addAll(List.of("-pf", input.pseudoFile().toString()));
        }
        if (input.excludeFile() != null) {
            argv.addAll(List.of("-ef", input.excludeFile().toString()));
        }
        return argv;
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

    /**
     * The options of every build. {@code -no-tailends}: {@code -tar} packs the tail ends of files larger than a block
     * into fragments by default, and mksquashfs 4.5.1 does that in an order that varies from run to run (the same
     * tar stream gave two different images in six runs, even with {@code -processors 1}); without it the image is
     * the same every time, and the same as a directory build's (mksquashfs's default there).
     */
    static List<String> commonArgs(SquashfsOptions o) {
        List<String> a = new ArrayList<>(List.of("-noappend", "-no-progress", "-quiet", "-no-tailends"));
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
        if (!o.extraArgs().contains("-mem")) {
            a.addAll(memoryArgs(machineMemTotalKib(), o.processors() > 0 ? o.processors()
                    : Runtime.getRuntime().availableProcessors()));
        }
        a.addAll(o.extraArgs());
        return a;
    }

    /** The least memory given to mksquashfs ({@link #memoryArgs(long, int)}), in MiB. */
    static final int MEMORY_FLOOR_MIB = 128;
    /** The memory given to mksquashfs for each processor it may use, in MiB. */
    static final int MEMORY_PER_PROCESSOR_MIB = 32;
    /** This machine's {@code MemTotal} in KiB, read once; -1 until then. */
    private static long machineMemTotalKib = -1;

    /**
     * {@link #memoryArgs(long, int)} for this machine: its {@code MemTotal} ({@code /proc/meminfo}) and the processors
     * the JVM may use (its CPU affinity and cgroup quota). A build that caps mksquashfs's processors
     * ({@code -processors}) counts those instead ({@link #commonArgs}).
     */
    public static List<String> memoryArgs() {
        return memoryArgs(machineMemTotalKib(), Runtime.getRuntime().availableProcessors());
    }

    private static synchronized long machineMemTotalKib() {
        if (machineMemTotalKib < 0) {
            machineMemTotalKib = memTotalKib(Path.of("/proc/meminfo"));
        }
        return machineMemTotalKib;
    }

    /**
     * The {@code -mem} a build gives mksquashfs: {@value #MEMORY_PER_PROCESSOR_MIB} MiB a processor, at least
     * {@value #MEMORY_FLOOR_MIB} MiB; none (mksquashfs's own default) where that is not less than its default, a
     * quarter of the machine's memory, or the memory is unknown ({@code memTotalKib} 0). The option sizes
     * mksquashfs's read-ahead, fragment and write queues only; the image is the same with any value (the tests and
     * the bench compare). With its default (6 GiB on a 24 GiB machine) mksquashfs reads far ahead of its
     * compressors into fresh memory: on a 150 MB tree with 2 processors it touched 248 MB with 65,000 page faults,
     * against 90 MB and 26,000 with 128 MiB, and spent 0.4 s more system time (README, Performance).
     */
    static List<String> memoryArgs(long memTotalKib, int processors) {
        long mib = Math.max(MEMORY_FLOOR_MIB, (long) MEMORY_PER_PROCESSOR_MIB * Math.max(1, processors));
        if (memTotalKib <= 0 || mib >= memTotalKib / 1024 / 4) {
            return List.of();
        }
        return List.of("-mem", mib + "M");
    }

    /** {@code MemTotal} in KiB from a {@code /proc/meminfo}; 0 when it cannot be read. */
    static long memTotalKib(Path meminfo) {
        try (BufferedReader r = Files.newBufferedReader(meminfo)) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (l.startsWith("MemTotal:")) {
                    String v = l.substring("MemTotal:".length()).trim();
                    int space = v.indexOf(' ');
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                }
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Which of {@link #PROBED_FLAGS} {@code mksquashfs -help} lists, asked once per {@link ToolVersionCache} (and
     * remembered across runs where it remembers).
     */
    private Set<String> listedFlags() throws OperationFailedException {
        String listed = versions.get(PROGRAM + " -help", PROGRAM, "-help", () -> {
            ProcessResult r = runner.run(Command.of(PROGRAM, "-help"));
            String help = r.stdout() + r.stderr();
            return String.join(" ", PROBED_FLAGS.stream().filter(f -> hasFlag(help, f)).toList());
        });
        return Set.of(listed.isEmpty() ? new String[0] : listed.split(" "));
    }

    /** Whether the help lists {@code flag} as an option of its own (a line starting with it). */
    static boolean hasFlag(String help, String flag) {
        return Pattern.compile("(?m)^" + Pattern.quote(flag) + "(?=[\\s<])").matcher(help).find();
    }

    private void requireTarSupport() throws OperationFailedException {
        String v = version();
        if (!listedFlags().contains("-tar")) {
            throw new OperationFailedException("mksquashfs " + v + " cannot read tar streams (-tar); install "
                    + "squashfs-tools 4.5.1 from Debian 12 or 4.6 or later");
        }
    }
}
