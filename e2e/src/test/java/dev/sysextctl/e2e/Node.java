package dev.sysextctl.e2e;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A systemd-booted node of the test bed: a Docker container of {@link TestbedImage} whose PID 1 is systemd,
 * without network, with {@code CAP_SYS_ADMIN} and the loop devices systemd-sysext needs, the host's JDK at
 * {@link HostJava#NODE_HOME} and the repository's {@code cli/target/sysextctl.jar} at {@link #NODE_JAR} (both
 * read-only; {@code /usr/local/bin/sysextctl} in the node runs it).
 *
 * <p>{@link #restart()} is a reboot: the same container is stopped (systemd shuts down on SIGRTMIN+3) and started,
 * so {@code /etc}, {@code /var} and {@code /opt} persist while {@code /run} and {@code /tmp} (tmpfs) are fresh.
 * Nodes are made with {@link #builder()} (or by {@link NodeExtension}) and removed by {@link #close()}; a JVM
 * shutdown hook removes those left over, and the next run removes nodes of JVMs that died.
 */
public final class Node implements AutoCloseable {
    /** Where the nodes see the repository's sysextctl jar. */
    public static final String NODE_JAR = "/testbed/sysextctl.jar";
    /** Where the nodes see the jar's class-data-sharing archive, when one exists at their creation. */
    static final String NODE_CDS = "/testbed/sysextctl.jsa";
    /** Where a node's first sysextctl run dumps that archive (the container's disk: docker cp reads it). */
    private static final String NODE_CDS_DUMP = "/var/tmp/sysextctl.jsa";
    /** Label on every node; its value names the JVM that made it ({@code PID START-INSTANT}). */
    static final String OWNER_LABEL = "dev.sysextctl.e2e.owner";

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(300);
    /** Where a node without Java finds sysextctl: what its sysext (or package) installed. */
    static final String INSTALLED_SYSEXTCTL = "/usr/bin/sysextctl";
    private static final String STAGING = "/var/lib/testbed/incoming";
    // One exec that waits for PID 1: is-system-running fails ("Failed to connect to bus") until systemd is up,
    // then --wait blocks until start-up is over.
    private static final String AWAIT_BOOT = """
            end=$(( $(date +%s) + $1 ))
            while :; do
              state=$(systemctl is-system-running --wait 2>/dev/null)
              case "$state" in
                running|degraded) echo "$state"; exit 0 ;;
                maintenance|stopping|offline) ;;
              esac
              if [ "$(date +%s)" -ge "$end" ]; then echo "${state:-no answer from systemd}"; exit 1; fi
              sleep 0.1
            done
            """;
    private static final Set<Node> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;

    private final String name;
    private final GenericContainer<?> container;
    private Instant bootedAt;
    private String bootState;
    private Duration bootTime;
    private int boots;
    private boolean cds;
    /** Whether the host's JDK and the repository's jar are mounted ({@link Builder#withoutJava()}). */
    private boolean java = true;

    private Node(String name, GenericContainer<?> container) {
        this.name = name;
        this.container = container;
    }

    /** A node of the test bed image with the standard settings; add files, then {@link Builder#boot()}. */
    public static Builder builder() {
        return new Builder("node", node -> { });
    }

    /** The name given to the node (in diagnostics and timings). */
    public String name() {
        return name;
    }

    /** The Docker container's id. */
    public String id() {
        return container.getContainerId();
    }

    /** What {@code systemctl is-system-running} said at the end of the last boot ({@code running} or {@code degraded}). */
    public String bootState() {
        return bootState;
    }

    /** From {@code docker start} to the end of systemd's start-up, for the last boot. */
    public Duration bootTime() {
        return bootTime;
    }

    /** Host time (also the node's clock) at which the last boot began. */
    public Instant bootedAt() {
        return bootedAt;
    }

    /** Runs {@code argv} in the node (as root, no shell) and returns its exit code and output. */
    public Shell.Result exec(String... argv) {
        return exec(EXEC_TIMEOUT, List.of(argv));
    }

    /** Runs {@code argv} in the node; fails the test when it does not finish within {@code timeout}. */
    public Shell.Result exec(Duration timeout, List<String> argv) {
        DockerClient docker = docker();
        String execId = docker.execCreateCmd(id()).withCmd(argv.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ResultCallback.Adapter<Frame> done = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                switch (frame.getStreamType()) {
                    case STDERR -> err.writeBytes(frame.getPayload());
                    case STDOUT, RAW -> out.writeBytes(frame.getPayload());
                    default -> { }
                }
            }
        })) {
            if (!done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s in node " + name + ": " + argv);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + argv + " in node " + name, e);
        }
        return new Shell.Result(exitCode(docker, execId), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    private static int exitCode(DockerClient docker, String execId) {
        for (int i = 0; i < 100; i++) {
            InspectExecResponse r = docker.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(r.isRunning()) && r.getExitCodeLong() != null) {
                return r.getExitCodeLong().intValue();
            }
            sleep(20);
        }
        throw new AssertionError("docker never reported the exit code of exec " + execId);
    }

    /** Runs {@code sh -c script} in the node. */
    public Shell.Result sh(String script) {
        return exec("sh", "-c", script);
    }

    /** Runs {@code sh -ec script} in the node and fails the test when it exits non-zero. */
    public Shell.Result shOk(String script) {
        return exec("sh", "-ec", script).assertSuccess();
    }

    /**
     * Runs the repository's sysextctl in the node ({@code /usr/local/bin/sysextctl ARGS}), with the jar's
     * class-data-sharing archive when the node was made after it existed; the first run of a test run without one
     * dumps it ({@link ClassDataSharing}).
     */
    public Shell.Result sysextctl(String... args) {
        if (!java) {
            long start = System.nanoTime();
            try {
                return exec(EXEC_TIMEOUT, concat(INSTALLED_SYSEXTCTL, args));
            } finally {
                Timings.record("node " + name + " sysextctl " + String.join(" ", args) + " (installed, no JDK)",
                        Duration.ofNanos(System.nanoTime() - start));
            }
        }
        Path jar = TestEnvironment.repository().resolve("cli/target/sysextctl.jar");
        boolean dump = !cds && ClassDataSharing.next(ClassDataSharing.Side.NODE, jar) == ClassDataSharing.Role.DUMP;
        List<String> argv = new ArrayList<>();
        if (dump) {
            // the wrapper passes SYSEXTCTL_JAVA_OPTS to the JVM
            argv.addAll(List.of("env", "SYSEXTCTL_JAVA_OPTS=-XX:ArchiveClassesAtExit=" + NODE_CDS_DUMP + " "
                    + String.join(" ", ClassDataSharing.QUIET)));
        }
        argv.add("/usr/local/bin/sysextctl");
        argv.addAll(Arrays.asList(args));
        long start = System.nanoTime();
        try {
            return exec(EXEC_TIMEOUT, argv);
        } finally {
            Timings.record("node " + name + " sysextctl " + String.join(" ", args) + (dump ? " (dumping CDS)" : ""),
                    Duration.ofNanos(System.nanoTime() - start));
            if (dump) {
                keepArchive(jar);
            }
        }
    }

    private void keepArchive(Path jar) {
        try {
            if (exec("test", "-s", NODE_CDS_DUMP).exitCode() == 0) {
                ClassDataSharing.createDirectory();
                container.copyFileFromContainer(NODE_CDS_DUMP,
                        ClassDataSharing.dumpTarget(ClassDataSharing.Side.NODE, jar).toString());
                exec("rm", "-f", NODE_CDS_DUMP);
            }
        } catch (RuntimeException e) {
            System.err.println("e2e: node " + name + ": cannot copy the class-data-sharing archive: " + e.getMessage());
        } finally {
            ClassDataSharing.dumped(ClassDataSharing.Side.NODE, jar);
        }
    }

    /**
     * Copies a host file into the running node at {@code nodePath} (created with its parents; mode kept). Works for
     * every path as the node sees it, /run included: the file goes through a staging directory on the container's
     * own file system and is moved into place from inside the node.
     */
    public void copyIn(Path hostFile, String nodePath) {
        String staged = STAGING + "/" + UUID.randomUUID();
        container.copyFileToContainer(MountableFile.forHostPath(hostFile), staged);
        place(staged, nodePath);
    }

    /** Writes {@code content} to {@code nodePath} in the running node (parents created). */
    public void write(String nodePath, String content, int mode) {
        String staged = STAGING + "/" + UUID.randomUUID();
        container.copyFileToContainer(Transferable.of(content.getBytes(StandardCharsets.UTF_8), mode), staged);
        place(staged, nodePath);
    }

    private void place(String staged, String nodePath) {
        exec("sh", "-ec", "mkdir -p \"$(dirname \"$2\")\"; mv -f \"$1\" \"$2\"", "place", staged, nodePath)
                .assertSuccess();
    }

    /** The text of {@code nodePath} in the node; fails the test when it cannot be read. */
    public String read(String nodePath) {
        return exec("cat", "--", nodePath).assertSuccess().stdout();
    }

    /** Whether {@code nodePath} exists in the node (as the node sees it, after any merge). */
    public boolean exists(String nodePath) {
        return exec("test", "-e", nodePath).exitCode() == 0;
    }

    /**
     * Reboots the node: systemd shuts down (extensions are unmerged by systemd-sysext.service's stop), the container
     * stops and starts again, and this returns when systemd has finished starting up.
     */
    public void restart() {
        long start = System.nanoTime();
        docker().stopContainerCmd(id()).withTimeout(30).exec();
        Duration stop = Duration.ofNanos(System.nanoTime() - start);
        startAndAwaitBoot();
        Timings.record("node " + name + " shutdown", stop);
    }

    /** The journal of {@code unit} since the last boot began (the journal is kept in /var/log/journal). */
    public String journal(String unit) {
        return exec("journalctl", "--no-pager", "-o", "short-monotonic", "--since", since(), "-u", unit).stdout();
    }

    /** The whole journal since the last boot began, at most {@code lines} lines. */
    public String journal(int lines) {
        return exec("journalctl", "--no-pager", "-o", "short-monotonic", "--since", since(), "-n",
                Integer.toString(lines)).stdout();
    }

    // The kernel's boot id is the host's, the same for every boot of every node: "since the last start" it is.
    private String since() {
        return "@" + (bootedAt.getEpochSecond() - 1);
    }

    /** What a failing test needs to know about the node: state, failed units, the journal's tail. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("node " + name + " (" + id() + "), boot " + boots + ", state "
                + bootState + "\n");
        try {
            b.append(exec("systemctl", "--failed", "--no-pager", "--no-legend").stdout());
            b.append("--- journal since boot (last 150 lines) ---\n").append(journal(150));
        } catch (RuntimeException | AssertionError e) {
            b.append("(the node cannot tell: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }

    @Override
    public void close() {
        LIVE.remove(this);
        container.stop();
    }

    private void startAndAwaitBoot() {
        bootedAt = Instant.now();
        long start = System.nanoTime();
        docker().startContainerCmd(id()).exec();
        awaitBoot(start);
    }

    private void awaitBoot(long startNanos) {
        boots++;
        Shell.Result r = exec(BOOT_TIMEOUT.plusSeconds(10),
                List.of("sh", "-c", AWAIT_BOOT, "await-boot", Long.toString(BOOT_TIMEOUT.toSeconds())));
        bootState = r.stdout().strip();
        bootTime = Duration.ofNanos(System.nanoTime() - startNanos);
        if (r.exitCode() != 0) {
            throw new AssertionError("node " + name + " did not finish booting within " + BOOT_TIMEOUT.toSeconds()
                    + " s (state: " + bootState + ")\n" + diagnostics());
        }
        Timings.record("node " + name + " boot " + boots + " (" + bootState + ")", bootTime);
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Once per JVM, before the first Docker call: checks the environment, removes nodes of dead runs, hooks cleanup. */
    static synchronized void hookOnce() {
        if (hooked) {
            return;
        }
        hooked = true;
        requireTestcontainersEnvironment();
        removeOrphans();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Node n : List.copyOf(LIVE)) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    System.err.println("e2e: cannot remove node " + n.name + ": " + e.getMessage());
                }
            }
        }, "e2e-node-cleanup"));
    }

    // Without these Testcontainers tries to pull its Ryuk image (no registry here: it hangs for minutes) or looks
    // for a bridge network that this engine does not have. The e2e pom sets them for failsafe.
    private static void requireTestcontainersEnvironment() {
        if (!"true".equals(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
                || System.getenv("TESTCONTAINERS_HOST_OVERRIDE") == null) {
            throw new AssertionError("set TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=localhost"
                    + " in the environment (e2e/pom.xml does it for failsafe; an IDE run needs them too)");
        }
    }

    private static String owner() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("?");
    }

    // Nodes of JVMs that died (killed test runs) are removed; those of live JVMs (other runs) are left alone.
    private static void removeOrphans() {
        DockerClient docker = docker();
        List<Container> nodes = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(OWNER_LABEL)).exec();
        for (Container c : nodes) {
            String[] owner = c.getLabels().getOrDefault(OWNER_LABEL, "").split(" ", 2);
            boolean alive = owner.length == 2 && owner[0].matches("\\d+")
                    && ProcessHandle.of(Long.parseLong(owner[0]))
                            .flatMap(p -> p.info().startInstant()).map(Instant::toString)
                            .filter(owner[1]::equals).isPresent();
            if (!alive) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                System.err.println("e2e: removed node " + c.getId() + " left by a test run that died");
            }
        }
    }

    private static List<String> concat(String first, String... rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(Arrays.asList(rest));
        return all;
    }

    /** A tree holding {@code usr/local/bin/sysextctl -> ../../bin/sysextctl}, laid over the test bed's wrapper. */
    private static Path wrapperLink() {
        try {
            Path root = Files.createTempDirectory("node-without-java");
            Path bin = Files.createDirectories(root.resolve("usr/local/bin"));
            Files.createSymbolicLink(bin.resolve("sysextctl"), Path.of("../../bin/sysextctl"));
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of a node before its first boot. */
    public static final class Builder {
        private final Map<String, Transferable> files = new LinkedHashMap<>();
        private final List<HostTree> trees = new ArrayList<>();
        private final Consumer<Node> onBoot;
        private String name;
        private boolean java = true;

        Builder(String name, Consumer<Node> onBoot) {
            this.name = name;
            this.onBoot = onBoot;
        }

        /** A name for diagnostics and timings (e.g. the test's name). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * A file present at the first boot. Goes to the container's own file system, so not under {@code /run} or
         * {@code /tmp} (fresh tmpfs at every boot, as on a real node).
         */
        public Builder file(String nodePath, String content, int mode) {
            return put(nodePath, Transferable.of(content.getBytes(StandardCharsets.UTF_8), mode));
        }

        /** A host file present at the first boot, with its mode (see {@link #file(String, String, int)}). */
        public Builder file(String nodePath, Path hostFile) {
            return put(nodePath, MountableFile.forHostPath(hostFile));
        }

        /**
         * The content of a host directory laid over the node's {@code /} before the first boot: {@code ROOT/etc/x}
         * becomes {@code /etc/x}. Links stay links (also {@code /dev/null} ones), modes are kept, everything is owned
         * by root; existing files at those paths are replaced, existing directories kept (and given the tree's
         * mode). For a root prepared on the host, e.g. by Ignition's files stage run with {@code -root ROOT}.
         * Nothing may lie under {@code run/} or {@code tmp/} (fresh tmpfs at every boot).
         */
        public Builder tree(Path hostRoot) {
            HostTree tree = new HostTree(hostRoot);
            for (Path p : tree.entries()) {
                Path rel = hostRoot.relativize(p);
                if (rel.startsWith("run") || rel.startsWith("tmp")) {
                    throw new IllegalArgumentException("a first-boot tree cannot hold /" + rel + " (/run and /tmp are "
                            + "fresh at every boot)");
                }
            }
            trees.add(tree);
            return this;
        }

        /**
         * A node without Java: neither the host's JDK nor the repository's jar (nor its CDS archive) is mounted, and
         * the test bed's {@code /usr/local/bin/sysextctl} wrapper is replaced by a link to {@code /usr/bin/sysextctl},
         * the sysextctl the node has installed itself (e.g. its sysext); {@link Node#sysextctl} runs that one.
         */
        public Builder withoutJava() {
            this.java = false;
            return this;
        }

        private Builder put(String nodePath, Transferable content) {
            if (!nodePath.startsWith("/") || nodePath.startsWith("/run/") || nodePath.startsWith("/tmp/")) {
                throw new IllegalArgumentException("a first-boot file needs an absolute path outside /run and /tmp: "
                        + nodePath);
            }
            files.put(nodePath, content);
            return this;
        }

        /** Creates the container, puts the files in, starts it and waits until systemd has started up. */
        public Node boot() {
            hookOnce();
            String image = TestbedImage.reference();
            HostJava java = HostJava.current();
            Path jar = TestEnvironment.repository().resolve("cli/target/sysextctl.jar");
            if (this.java && !Files.isRegularFile(jar)) {
                throw new AssertionError(jar + " is missing; build it first: ./mvnw -B -q -DskipTests -pl cli -am"
                        + " package (the e2e module's reactor build does)");
            }
            List<Bind> binds = new ArrayList<>();
            binds.add(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup"), AccessMode.rw));
            boolean withCds = false;
            if (this.java) {
                binds.add(new Bind(java.home().toString(), new Volume(HostJava.NODE_HOME), AccessMode.ro));
                for (Path etc : java.etcDirs()) {
                    if (Files.isDirectory(etc)) {
                        binds.add(new Bind(etc.toString(), new Volume(etc.toString()), AccessMode.ro));
                    }
                }
                binds.add(new Bind(jar.toString(), new Volume(NODE_JAR), AccessMode.ro));
                Path cds = ClassDataSharing.archive(ClassDataSharing.Side.NODE, jar);
                withCds = Files.isRegularFile(cds);
                if (withCds) {
                    binds.add(new Bind(cds.toString(), new Volume(NODE_CDS), AccessMode.ro));
                }
            } else {
                trees.add(new HostTree(wrapperLink()));
            }

            GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                    .withNetworkMode("none")
                    .withLabel(OWNER_LABEL, owner())
                    .withCreateContainerCmdModifier(cmd -> {
                        cmd.withStopSignal("SIGRTMIN+3");
                        HostConfig host = Optional.ofNullable(cmd.getHostConfig()).orElseGet(HostConfig::new);
                        List<Bind> all = new ArrayList<>(binds);
                        if (host.getBinds() != null) {
                            all.addAll(Arrays.asList(host.getBinds()));
                        }
                        cmd.withHostConfig(host
                                .withNetworkMode("none")
                                // Not --privileged: runc refuses it here (no CAP_SYS_RESOURCE in the bounding set).
                                .withCapAdd(Capability.SYS_ADMIN, Capability.SYS_PTRACE, Capability.SYS_NICE,
                                        Capability.SYS_BOOT, Capability.SYS_TTY_CONFIG, Capability.NET_ADMIN,
                                        Capability.LINUX_IMMUTABLE, Capability.IPC_OWNER,
                                        Capability.DAC_READ_SEARCH, Capability.AUDIT_CONTROL)
                                .withDeviceCgroupRules(List.of("b 7:* rmw", "c 10:237 rmw"))
                                .withBinds(all)
                                .withTmpFs(Map.of(
                                        "/run", "rw,nosuid,nodev,exec,mode=755",
                                        "/run/lock", "rw,nosuid,nodev,noexec,mode=1777",
                                        "/tmp", "rw,nosuid,nodev,exec,mode=1777")));
                    });
            for (HostTree tree : trees) {
                container.withCopyToContainer(tree, "/");
            }
            files.forEach((path, content) -> container.withCopyToContainer(content, path));

            Node node = new Node(name, container);
            node.cds = withCds;
            node.java = this.java;
            long start = System.nanoTime();
            node.bootedAt = Instant.now();
            LIVE.add(node);
            try {
                container.start();
                node.awaitBoot(start);
            } catch (RuntimeException | AssertionError e) {
                node.close();
                throw e;
            }
            onBoot.accept(node);
            return node;
        }
    }
}
