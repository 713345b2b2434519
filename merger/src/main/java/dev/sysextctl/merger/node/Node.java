package dev.sysextctl.merger.node;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OS tree being managed: its root ({@code /} or {@code --root}), the systemd release whose rules apply,
 * the hierarchies to merge, and the scope and architecture extensions are matched against. Every path of the
 * node is resolved inside the root ({@link #resolve}).
 *
 * @param root the root, absolute and without symlinks
 * @param systemdVersion the rules in force
 * @param versionOrigin where that version came from, for messages
 * @param hierarchies the hierarchies in merge order
 * @param scope {@code system} or {@code initrd}
 * @param architecture the host's architecture in systemd's naming
 * @param osReleaseOverride {@code $SYSTEMD_OS_RELEASE} (a path inside the root), or null
 * @param extensionClass the class of extension managed: sysexts ({@code /usr}, {@code /opt}) or confexts
 *     ({@code /etc}); its search directories, markers and configuration directories apply
 * @param versionKnown whether the systemd version was given or found in the tree; when not, each class gets the
 *     release assumed for it ({@link SystemdVersion#assumedFor}: 252 for sysexts, 257 for confexts)
 */
public record Node(Path root, SystemdVersion systemdVersion, String versionOrigin, List<String> hierarchies,
        String scope, String architecture, String osReleaseOverride, ExtensionClass extensionClass,
        boolean versionKnown) {

    public Node {
        hierarchies = List.copyOf(hierarchies);
    }

    /** A node whose sysexts are managed. */
    public Node(Path root, SystemdVersion systemdVersion, String versionOrigin, List<String> hierarchies,
            String scope, String architecture, String osReleaseOverride) {
        this(root, systemdVersion, versionOrigin, hierarchies, scope, architecture, osReleaseOverride,
                ExtensionClass.SYSEXT, true);
    }

    /**
     * The same tree with class {@code c} managed: its hierarchies from {@code $SYSTEMD_CONFEXT_HIERARCHIES} (or
     * {@code $SYSTEMD_SYSEXT_HIERARCHIES}) in {@code environment}, else the class's default. Confexts need systemd 254
     * or later: asking for them with an older release is a usage error. When the tree's systemd is not known, the
     * class gets the release assumed for it (docs/cli.md §6): a confext 257's rules, as {@code validate} checks it.
     */
    public Node forClass(ExtensionClass c, Map<String, String> environment) throws UsageException {
        // majors compared: a record's equals bootstraps ObjectMethods, on the start-up path of status/list
        if (!versionKnown && systemdVersion.major() != SystemdVersion.assumedFor(c).major()) {
            return new Node(root, SystemdVersion.assumedFor(c), versionOrigin, hierarchies, scope, architecture,
                    osReleaseOverride, extensionClass, false).forClass(c, environment);
        }
        if (!c.supportedBy(systemdVersion)) {
            throw new UsageException(c.id() + "s need systemd " + c.firstSystemd() + " or later, and the rules in "
                    + "force are systemd " + systemdVersion + " (" + versionOrigin + "); give --systemd-version "
                    + c.firstSystemd() + " or later, or --class " + ExtensionClass.SYSEXT.id());
        }
        if (c == extensionClass) {
            return this;
        }
        return new Node(root, systemdVersion, versionOrigin, Hierarchies.parse(c, environment.get(
                c.hierarchiesVariable())), scope, architecture, osReleaseOverride, c, versionKnown);
    }

    /**
     * The note the node commands print when the rules of a class are assumed rather than known (no
     * {@code --systemd-version}, no systemd library in the tree), for a confext node; empty otherwise. Sysexts have
     * always been assumed 252 silently; a confext's 257 is new and differs from the sysexts' of the same root.
     */
    public Optional<String> assumedVersionNote() {
        if (versionKnown || extensionClass != ExtensionClass.CONFEXT) {
            return Optional.empty();
        }
        return Optional.of("the systemd of " + root + " is not known (" + versionOrigin + "): confexts are handled "
                + "by systemd " + systemdVersion + "'s rules, sysexts by " + SystemdVersion.assumedFor(
                        ExtensionClass.SYSEXT) + "'s; --systemd-version N names it");
    }

    /**
     * Opens the tree at {@code root}. The systemd version is {@code versionOverride} when given, else the one the
     * tree ships (its {@code libsystemd-shared-N.so}), else 252 (and 257 for confexts, {@link #forClass}). The
     * environment supplies
     * {@code SYSTEMD_SYSEXT_HIERARCHIES}, {@code SYSTEMD_IN_INITRD} and {@code SYSTEMD_OS_RELEASE}.
     */
    public static Node open(Path root, SystemdVersion versionOverride, Map<String, String> environment)
            throws UsageException, OperationFailedException {
        Path real;
        try {
            real = root.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw new UsageException("--root " + root + " does not exist; give the directory of an OS tree");
        }
        if (!Files.isDirectory(real)) {
            throw new UsageException("--root " + root + " is not a directory; give the directory of an OS tree");
        }
        SystemdVersion version;
        String origin;
        boolean known = true;
        if (versionOverride != null) {
            version = versionOverride;
            origin = "--systemd-version";
        } else {
            Optional<SystemdVersionDetector.Detected> d = SystemdVersionDetector.detect(real);
            version = d.map(SystemdVersionDetector.Detected::version).orElse(SystemdVersion.DEFAULT);
            origin = d.map(x -> "detected from " + x.library()).orElse("no systemd found in the tree");
            known = d.isPresent();
        }
        List<String> hierarchies = Hierarchies.parse(environment.get(Hierarchies.ENVIRONMENT));
        String scope = scope(real, environment.get("SYSTEMD_IN_INITRD"));
        return new Node(real, version, origin, hierarchies, scope, Architecture.host(),
                environment.get("SYSTEMD_OS_RELEASE"), ExtensionClass.SYSEXT, known);
    }

    /**
     * {@code initrd} when {@code $SYSTEMD_IN_INITRD} says so, else when the tree has {@code /etc/initrd-release}
     * (systemd 259's reading; 252 looks at the real root even under --root).
     */
    private static String scope(Path root, String override) {
        if (override != null) {
            Boolean b = ExtensionReleaseLocator.parseBoolean(override);
            if (b != null) {
                return b ? TargetOs.SCOPE_INITRD : TargetOs.SCOPE_SYSTEM;
            }
        }
        return RootedPaths.resolveExisting(root, "/etc/initrd-release").isPresent()
                ? TargetOs.SCOPE_INITRD : TargetOs.SCOPE_SYSTEM;
    }

    public boolean isHostRoot() {
        return root.toString().equals("/");
    }

    /** {@code path} (as seen on the node) resolved inside the root; symlinks never lead out of it. */
    public Path resolve(String path) throws OperationFailedException {
        try {
            return RootedPaths.resolve(root, path);
        } catch (IOException e) {
            throw new OperationFailedException("cannot resolve " + path + " in " + root + ": "
                    + AtomicFiles.describe(e) + "; check for a symlink loop");
        }
    }

    /** How the node sees a path of this machine under the root ({@code /etc/extensions/x.raw}). */
    public String onNode(Path hostPath) {
        Path p = hostPath.toAbsolutePath().normalize();
        if (isHostRoot()) {
            return p.toString();
        }
        if (!p.startsWith(root)) {
            return p.toString();
        }
        return "/" + root.relativize(p).toString();
    }

    /** The os-release file that describes the node (docs/compatibility.md §2.3), if any. */
    public Optional<Path> osReleaseFile() {
        if (osReleaseOverride != null && !osReleaseOverride.isEmpty()) {
            return RootedPaths.resolveExisting(root, osReleaseOverride).filter(Files::isRegularFile);
        }
        return OsReleaseFiles.locate(root);
    }

    /**
     * What extensions are matched against. Fails with systemd's messages when the node has no os-release or
     * no {@code ID} in it.
     */
    public TargetOs targetOs() throws OperationFailedException {
        Path file = osReleaseFile().orElseThrow(() -> new OperationFailedException(
                "Failed to acquire 'os-release' data of OS tree '" + root + "': No such file or directory; "
                        + "the tree needs etc/os-release or usr/lib/os-release"));
        ReleaseFile release = OsReleaseFiles.read(file);
        if (release.get(ReleaseKeys.ID).isEmpty()) {
            throw new OperationFailedException("'ID' field not found or empty in 'os-release' data of OS tree '"
                    + root + "': Invalid argument; add ID= to " + onNode(file));
        }
        return TargetOs.fromOsRelease(release, architecture, scope);
    }

    /** True when {@code p} exists without following a final symlink. */
    public static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
