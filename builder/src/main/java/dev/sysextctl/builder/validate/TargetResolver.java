package dev.sysextctl.builder.validate;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code validate}'s target (its {@code CONFEXT_LEVEL} too, for confexts, {@code --confext-level}): the
 * host (default: {@code $SYSTEMD_OS_RELEASE}, else {@code /etc/os-release},
 * else {@code /usr/lib/os-release}), an OS tree ({@code --root}), an os-release file, or explicit fields. Explicit
 * {@code --os/--os-version/--sysext-level} alone make the whole target (missing fields are empty); given with
 * {@code --root} or {@code --os-release} they override those fields. {@code --arch} defaults to this machine's
 * architecture; the scope is {@code --scope}, else {@code initrd} when {@code $SYSTEMD_IN_INITRD} says so or
 * {@code /etc/initrd-release} exists on this machine (systemd 252 looks at the real root even with --root), else
 * {@code system}.
 */
public final class TargetResolver {
    private static final Pattern SHARED_LIB = Pattern.compile("libsystemd-shared-(\\d+)");

    /** {@code validate}'s target options; null when not given. */
    public record Options(Path root, Path osRelease, String os, String osVersion, String sysextLevel, String arch,
            String scope, String confextLevel) {
        /** Without {@code --confext-level}. */
        public Options(Path root, Path osRelease, String os, String osVersion, String sysextLevel, String arch,
                String scope) {
            this(root, osRelease, os, osVersion, sysextLevel, arch, scope, null);
        }
    }

    private final Map<String, String> env;
    private final Path hostRoot;

    public TargetResolver() {
        this(System.getenv(), Path.of("/"));
    }

    /** For tests: another environment and another "host" tree. */
    public TargetResolver(Map<String, String> env, Path hostRoot) {
        this.env = env;
        this.hostRoot = hostRoot;
    }

    public ValidationTarget resolve(Options o) throws UsageException, OperationFailedException {
        if (o.root() != null && o.osRelease() != null) {
            throw new UsageException("--root and --os-release both name the target; give one of them");
        }
        boolean explicit = o.os() != null || o.osVersion() != null || o.sysextLevel() != null
                || o.confextLevel() != null;
        ReleaseFile base;
        String description;
        Optional<SystemdVersion> version = Optional.empty();
        if (o.root() != null) {
            if (!Files.isDirectory(o.root())) {
                throw new UsageException("--root " + o.root() + " is not a directory; give the OS tree's top directory");
            }
            base = OsReleaseFiles.readOsRelease(o.root());
            description = o.root().toString();
            version = probeSystemd(o.root());
        } else if (o.osRelease() != null) {
            base = OsReleaseFiles.read(o.osRelease());
            if (base.get(ReleaseKeys.ID).isEmpty() && o.os() == null) {
                throw new UsageException("--os-release " + o.osRelease() + " has no ID=; give the target's "
                        + "os-release file (etc/os-release or usr/lib/os-release), or --os ID");
            }
            description = o.osRelease().toString();
        } else if (explicit) {
            base = ReleaseFile.EMPTY;
            description = "the given fields";
        } else {
            String forced = env.get("SYSTEMD_OS_RELEASE");
            base = forced != null && !forced.isEmpty() ? OsReleaseFiles.read(Path.of(forced))
                    : OsReleaseFiles.readOsRelease(hostRoot);
            description = "this machine";
            version = probeSystemd(hostRoot);
        }
        String id = o.os() != null ? o.os() : base.get(ReleaseKeys.ID);
        String versionId = o.osVersion() != null ? o.osVersion() : base.get(ReleaseKeys.VERSION_ID);
        String level = o.sysextLevel() != null ? o.sysextLevel() : base.get(ReleaseKeys.SYSEXT_LEVEL);
        String confextLevel = o.confextLevel() != null ? o.confextLevel() : base.get(ReleaseKeys.CONFEXT_LEVEL);
        String like = base.get(ReleaseKeys.ID_LIKE).trim();
        List<String> idLike = like.isEmpty() ? List.of() : Arrays.asList(like.split("[ \t\n\r]+"));
        String arch = o.arch() != null ? Architecture.normalize(o.arch()).orElseThrow(() -> new UsageException(
                "unknown architecture '" + o.arch() + "'; use a systemd name (x86-64, arm64, ...), an alias (x86_64, "
                        + "amd64, aarch64) or host")) : Architecture.host();
        String scope = o.scope() != null ? checkScope(o.scope()) : hostScope();
        return new ValidationTarget(new TargetOs(id, idLike, versionId, level, confextLevel, arch, scope), description,
                version);
    }

    private static String checkScope(String scope) throws UsageException {
        if (!scope.equals(TargetOs.SCOPE_SYSTEM) && !scope.equals(TargetOs.SCOPE_INITRD)) {
            throw new UsageException("unknown --scope '" + scope + "'; use system or initrd");
        }
        return scope;
    }

    private String hostScope() {
        String forced = env.get("SYSTEMD_IN_INITRD");
        if (forced != null) {
            Boolean b = ExtensionReleaseLocator.parseBoolean(forced);
            if (b != null) {
                return b ? TargetOs.SCOPE_INITRD : TargetOs.SCOPE_SYSTEM;
            }
        }
        return Files.exists(hostRoot.resolve("etc/initrd-release")) ? TargetOs.SCOPE_INITRD : TargetOs.SCOPE_SYSTEM;
    }

    private static final String SHARED_PREFIX = "libsystemd-shared-";

    /**
     * The glob {@code libsystemd-shared-*.so*}, matched without compiling it into a regular expression per directory.
     */
    static boolean sharedLibraryName(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(SHARED_PREFIX) && name.indexOf(".so", SHARED_PREFIX.length()) >= 0;
    }

    /**
     * The systemd release of an OS tree, told from the name of its {@code libsystemd-shared-NNN.so}
     * ({@code usr/lib/systemd/}, {@code usr/lib64/systemd/} or {@code usr/lib/<multiarch>/systemd/}).
     */
    public static Optional<SystemdVersion> probeSystemd(Path root) {
        List<Path> dirs = new ArrayList<>(List.of(root.resolve("usr/lib/systemd"), root.resolve("usr/lib64/systemd")));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(root.resolve("usr/lib"))) {
            for (Path p : s) {
                dirs.add(p.resolve("systemd"));
            }
        } catch (IOException | RuntimeException ignored) {
            // no usr/lib: nothing to probe there
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                continue; // most of usr/lib's entries have no systemd/: a stat, not an exception each
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d, TargetResolver::sharedLibraryName)) {
                for (Path p : s) {
                    Matcher m = SHARED_LIB.matcher(p.getFileName().toString());
                    if (m.find()) {
                        int v = Integer.parseInt(m.group(1));
                        if (v >= 248 && v <= 999) {
                            return Optional.of(new SystemdVersion(v));
                        }
                    }
                }
            } catch (IOException | RuntimeException ignored) {
                // not there: try the next directory
            }
        }
        return Optional.empty();
    }
}
