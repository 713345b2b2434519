package dev.sysextctl.merger.mount;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.RunningProcess;
import dev.sysextctl.core.tools.Mounter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shell in a private mount namespace that stays alive while sysextctl works: it makes {@code /run} a slave
 * (as systemd-sysext's {@code (sd-sysext)} child does), puts a private tmpfs on the {@link Workspace}, and
 * then runs the mount commands it is sent, in batches, reporting each one's exit code. sysextctl reads and
 * writes the namespace's files through {@code /proc/PID/root} ({@link #view}), so the shell does nothing but
 * mount: one {@code mount} per image, no process per file.
 */
public final class NamespaceSession implements AutoCloseable {
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
    static final String RC = "@@rc ";
    /** How many mounts of images run at once ({@link #run(List, int)}). */
    public static final int MOUNT_WIDTH = 8;
    /** How many {@code mount -a} tables {@link #mountAll} splits the images' mounts into, run at once. */
    public static final int MOUNT_TABLES = 4;
    /**
     * An empty, read-only tmpfs over {@code /sys/block} in the namespace (never in the node's: in a session that
     * propagates, {@code /sys} is made a slave first, and nothing is hidden when that fails). libmount scans every loop
     * device in use there before each loop mount, for one it could reuse (about 14 system calls a device: the 50th
     * image of a merge scanned 49), which was half of the time of a merge's 50 mounts on a two-core machine. Without
     * it each image gets a new loop device, as systemd-sysext gives it (docs/compatibility.md §4.1).
     */
    static final String HIDE_LOOP_DEVICES = "mount -t tmpfs -o ro,mode=0755,size=4k sysextctl /sys/block";
    private final RunningProcess shell;
    private final Mounter.Propagation propagation;
    private final List<String> transcript = new ArrayList<>();
    private int batch;
    private boolean closed;
    private boolean ready;

    private NamespaceSession(RunningProcess shell, Mounter.Propagation propagation) {
        this.shell = shell;
        this.propagation = propagation;
    }

    /** Starts the shell and sets up the workspace. */
    public static NamespaceSession open(Mounter mounter, Mounter.Propagation propagation)
            throws OperationFailedException {
        NamespaceSession s = start(mounter, propagation);
        s.ready();
        return s;
    }

    /**
     * Starts the shell and sends it the workspace's set-up without waiting for it: starting the shell (three
     * processes: the JVM's spawn helper, setpriv, unshare) and its set-up (four more) take a while on a busy machine,
     * which the caller spends on its own work (reading the images' headers) until {@link #ready} or the first step
     * waits for it. A set-up that failed is reported there, with the same message as {@link #open}.
     */
    public static NamespaceSession start(Mounter mounter, Mounter.Propagation propagation)
            throws OperationFailedException {
        RunningProcess p = mounter.namespaceShell(propagation);
        NamespaceSession s = new NamespaceSession(p, propagation);
        try {
            s.send(prelude(propagation) + "echo '" + RC + "prelude' $?\n");
        } catch (OperationFailedException e) {
            p.close();
            throw e;
        }
        return s;
    }

    /** Waits for the workspace's set-up (once); the session is closed when it failed. */
    public void ready() throws OperationFailedException {
        if (ready) {
            return;
        }
        String line = shell.readLine(STEP_TIMEOUT);
        if (line == null || !line.equals(RC + "prelude 0")) {
            closed = true;
            shell.close();
            throw new OperationFailedException("cannot set up a private mount namespace ("
                    + lastLine(shell.stderr()) + "); sysextctl must run as root on a system whose /run is a "
                    + "mount point (as on every systemd system)");
        }
        ready = true;
    }

    /**
     * The shell's set-up (visible for tests): a step function, {@link #HIDE_LOOP_DEVICES}, /run as a slave, the
     * workspace tmpfs (its mount point made by mount itself, {@code X-mount.mkdir}: one process fewer before the first
     * mount).
     */
    static String prelude(Mounter.Propagation propagation) {
        boolean slave = propagation == Mounter.Propagation.SLAVE;
        String rslave = slave ? "{ mount --make-rslave /run 2>/dev/null || true; }" : "mount --make-rslave /run";
        // under --propagation slave every mount is a slave already (unshare made / one, recursively)
        String hide = (slave ? "" : "mount --make-rslave /sys && ") + HIDE_LOOP_DEVICES;
        return "s() { i=$1; shift; \"$@\" </dev/null >" + Workspace.SCRATCH + "/$i 2>&1; echo \"" + RC + "$i $?\"; }\n"
                + "{ " + hide + "; } 2>/dev/null\n"
                + rslave + " && mount -t tmpfs -o mode=0700,X-mount.mkdir sysext " + Workspace.ROOT
                + " && mkdir -m 0700 " + Workspace.SCRATCH + "\n";
    }

    public long pid() {
        return shell.pid();
    }

    public Mounter.Propagation propagation() {
        return propagation;
    }

    /** {@code nsPath} as this process sees it: {@code /proc/PID/root/nsPath}. */
    public Path view(String nsPath) {
        return Path.of("/proc/" + shell.pid() + "/root" + nsPath);
    }

    /** The namespace's mount table. */
    public MountTable mounts() throws OperationFailedException {
        ready();
        return MountTable.read(Path.of("/proc/" + shell.pid() + "/mountinfo"));
    }

    /** The namespace's mount table with mount points as this process sees them (under {@code /proc/PID/root}). */
    public MountTable viewedMounts() throws OperationFailedException {
        String prefix = view("").toString();
        return new MountTable(mounts().entries().stream().map(e -> new MountEntry(e.id(), e.parentId(), e.device(),
                e.root(), prefix + (e.mountPoint().equals("/") ? "" : e.mountPoint()), e.options(),
                e.optionalFields(), e.fsType(), e.source(), e.superOptions())).toList());
    }

    /** Runs the steps in order (all of them, whatever their exit codes) and returns their results by id. */
    public Map<String, StepResult> run(List<MountStep> steps) throws OperationFailedException {
        return run(steps, 1);
    }

    /**
     * Runs independent steps (all of them, whatever their exit codes) up to {@code width} at a time, and returns
     * their results by id. Mounting images is mostly waiting (for a loop device, for the scheduler to start
     * {@code mount}: on a busy two-core machine a process takes 50-100 ms to get going): {@value #MOUNT_WIDTH} at once
     * take a fraction of the time of one after the other. Each step's result line is one short write, so lines of
     * steps running at the same time never mix.
     */
    public Map<String, StepResult> run(List<MountStep> steps, int width) throws OperationFailedException {
        Map<String, StepResult> out = new LinkedHashMap<>();
        if (steps.isEmpty()) {
            return out;
        }
        ready();
        String prefix = "b" + (++batch) + "-";
        StringBuilder script = new StringBuilder();
        Map<String, MountStep> byShellId = new LinkedHashMap<>();
        int n = 0;
        for (MountStep step : steps) {
            String id = prefix + (n++);
            byShellId.put(id, step);
            script.append("s ").append(id).append(' ').append(Shell.command(step.argv()));
            if (width > 1) {
                script.append(n % width == 0 || n == steps.size() ? " & wait" : " &");
            }
            script.append('\n');
            transcript.add(Shell.command(step.argv()));
        }
        send(script.toString());
        for (int i = 0; i < steps.size(); i++) {
            String line = shell.readLine(STEP_TIMEOUT);
            if (line == null) {
                throw new OperationFailedException("the mount helper stopped unexpectedly: " + lastLine(shell.stderr())
                        + "; run again with -v");
            }
            if (!line.startsWith(RC)) {
                i--;
                continue;
            }
            String[] f = line.substring(RC.length()).split(" ");
            MountStep step = byShellId.get(f[0]);
            int rc = Integer.parseInt(f[1]);
            String output = rc == 0 ? "" : readLog(f[0]);
            out.put(step.id(), new StepResult(step.id(), rc, output));
        }
        return out;
    }

    /**
     * Mounts independent steps (all of them, whatever their results) and returns their results by id. The plain
     * {@code mount} commands among them ({@link Fstab#line}) are written to up to {@value #MOUNT_TABLES} tables in the
     * workspace, each mounted by one {@code mount -a -T TABLE}, the tables at the same time: a handful of processes
     * instead of one per image (starting a process costs more than most mounts on a busy machine), and still
     * several mount calls in flight, since a squashfs mount waits for its loop device's reads. What they did not
     * mount, and any other step, then runs on its own, {@value #MOUNT_WIDTH} at a time, so a failure reports its own
     * command's exit code and message, as it did before.
     */
    public Map<String, StepResult> mountAll(List<MountStep> steps) throws OperationFailedException {
        ready();
        List<MountStep> table = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (MountStep step : steps) {
            var line = Fstab.line(step.argv());
            if (line.isPresent()) {
                table.add(step);
                lines.add(line.get());
            }
        }
        Map<String, StepResult> out = new LinkedHashMap<>();
        if (table.size() > 1) {
            int tables = Math.min(MOUNT_TABLES, table.size());
            List<MountStep> mounts = new ArrayList<>();
            for (int t = 0; t < tables; t++) {
                StringBuilder text = new StringBuilder();
                for (int k = t; k < lines.size(); k += tables) {
                    text.append(lines.get(k)).append('\n');
                }
                String file = Workspace.SCRATCH + "/fstab-" + (batch + 1) + "-" + t;
                try {
                    Files.writeString(view(file), text, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new OperationFailedException("cannot write " + file + " in the mount namespace: "
                            + e.getMessage());
                }
                mounts.add(MountStep.of("fstab" + t, "mount", "-a", "-T", file));
            }
            run(mounts, tables);
            MountTable now = mounts();
            for (MountStep step : table) {
                if (now.isMountPoint(Path.of(step.argv().get(step.argv().size() - 1)))) {
                    out.put(step.id(), new StepResult(step.id(), 0, ""));
                }
            }
        }
        List<MountStep> alone = new ArrayList<>();
        for (MountStep step : steps) {
            if (!out.containsKey(step.id())) {
                alone.add(step);
            }
        }
        out.putAll(run(alone, MOUNT_WIDTH));
        Map<String, StepResult> ordered = new LinkedHashMap<>();
        for (MountStep step : steps) {
            ordered.put(step.id(), out.get(step.id()));
        }
        return ordered;
    }

    /** Runs one step. */
    public StepResult run(MountStep step) throws OperationFailedException {
        return run(List.of(step)).get(step.id());
    }

    /** Every command sent so far, for {@code -v} and tests. */
    public List<String> transcript() {
        return List.copyOf(transcript);
    }

    private String readLog(String id) {
        try {
            return Files.readString(view(Workspace.SCRATCH + "/" + id), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void send(String text) throws OperationFailedException {
        shell.write(text);
    }

    /** Ends the shell; the namespace goes with it, and with it every mount no merged overlay holds on to. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            shell.write("exit 0\n");
            shell.finish(Duration.ofSeconds(30));
        } catch (OperationFailedException e) {
            shell.close();
        }
    }

    private static String lastLine(String text) {
        String[] l = text.strip().split("\n");
        return l.length == 0 || l[l.length - 1].isBlank() ? "no message" : l[l.length - 1].strip();
    }
}
