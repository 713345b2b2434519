package dev.sysextctl.e2e;

import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A node root laid out like a torcx-era Flatcar (docs/torcx.md §1–2, fixtures F1/F2), to be laid over a
 * node's {@code /} before its first boot:
 * <ul>
 *   <li>the vendor store {@code /usr/share/torcx/store} with F1 ({@code docker:20.10.torcx.tgz}, Flatcar's docker
 *       archive) and the link {@code docker:com.coreos.cl.torcx.tgz} to it, the vendor profiles {@code vendor.json}
 *       and {@code docker-1.12-no.json} selecting {@code docker:com.coreos.cl};</li>
 *   <li>the user's profile {@code /etc/torcx/profiles/docker-pinned.json} ({@code docker:20.10.24}) selected by
 *       {@code /etc/torcx/next-profile}, and the archive it names in the versioned user store
 *       {@code /var/lib/torcx/store/VERSION_ID/docker:20.10.24.torcx.tgz}: F1 whose {@code containerd} and
 *       {@code dockerd} are {@link #CONTAINERD daemons that keep running} (F1's are an echo and an ELF stub) — the
 *       units can only be active when the daemons are;</li>
 *   <li>a user drop-in {@link #USER_DROP_IN} that starts dockerd through {@code ${TORCX_BINDIR}}, as users did to add
 *       flags (it breaks once torcx is gone: no {@code /run/metadata/torcx} defines the variable any more).</li>
 * </ul>
 * If the vendor's docker were picked instead of the user's, containerd would exit at once (F1's is an echo).
 */
final class TorcxEraRoot {
    /** The reference of the user's docker (upper profile). */
    static final String DOCKER_REFERENCE = "20.10.24";
    static final String USER_PROFILE = "docker-pinned";
    static final String USER_DROP_IN = "/etc/systemd/system/docker.service.d/10-dockerd-flags.conf";
    /** The flag the user drop-in adds to dockerd's command line. */
    static final String DROP_IN_FLAG = "--log-level=warn";
    /** Where the daemons write {@code PID ARGS} once they run. */
    static final String STATE_DIR = "/run/torcx-fixture";

    /**
     * containerd as a daemon: checks that the {@code --config} file it is given exists (the converter rewrote the
     * torcx path {@code ${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}${CONTAINERD_CONFIG}}), records its arguments, tells
     * systemd it is ready ({@code Type=notify}: systemd-notify speaks for its parent, the main process) and stays up
     * until it is stopped.
     */
    static final String CONTAINERD = daemon("containerd", """
            if [ "$1" != --config ] || [ ! -f "$2" ]; then
              echo "containerd fixture: no config file at '$2' (arguments: $*)" >&2
              exit 1
            fi
            """);
    /** dockerd as a daemon: records its arguments, tells systemd it is ready and stays up. */
    static final String DOCKERD = daemon("dockerd", "");

    private TorcxEraRoot() {
    }

    /** The user's docker archive as the node sees it. */
    static String userArchive(OsRelease os) {
        return "/var/lib/torcx/store/" + versionId(os) + "/docker:" + DOCKER_REFERENCE + ".torcx.tgz";
    }

    /** F1 with daemons that keep running. */
    static TarBuilder daemonArchive() {
        return TorcxFixtures.f1Builder(false, Map.of("containerd", CONTAINERD, "dockerd", DOCKERD));
    }

    /** Writes the root into {@code root} for a node of {@code os} (its VERSION_ID names the versioned store). */
    static Path write(Path root, OsRelease os) {
        try {
            Path vendorStore = root.resolve("usr/share/torcx/store");
            TorcxFixtures.f1(vendorStore);
            Files.createSymbolicLink(vendorStore.resolve("docker:com.coreos.cl.torcx.tgz"),
                    Path.of("docker:20.10.torcx.tgz"));
            TorcxFixtures.write(root.resolve("usr/share/torcx/profiles/vendor.json"), TorcxFixtures.VENDOR_PROFILE);
            TorcxFixtures.write(root.resolve("usr/share/torcx/profiles/docker-1.12-no.json"),
                    TorcxFixtures.VENDOR_PROFILE);

            TorcxFixtures.write(root.resolve("etc/torcx/profiles/" + USER_PROFILE + ".json"),
                    TorcxFixtures.profile("profile-manifest-v0", "docker:" + DOCKER_REFERENCE));
            TorcxFixtures.write(root.resolve("etc/torcx/next-profile"), USER_PROFILE + "\n");
            daemonArchive().writeTgz(root.resolve(userArchive(os).substring(1)));

            TorcxFixtures.write(root.resolve(USER_DROP_IN.substring(1)), """
                    # dockerd with less logging (written for torcx's docker)
                    [Service]
                    ExecStart=
                    ExecStart=/usr/bin/env PATH=${TORCX_BINDIR}:${PATH} ${TORCX_BINDIR}/dockerd --host=fd:// \
                    --containerd=/var/run/docker/libcontainerd/docker-containerd.sock %s $DOCKER_OPTS
                    """.formatted(DROP_IN_FLAG));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the torcx-era root " + root, e);
        }
    }

    private static String versionId(OsRelease os) {
        if (os.versionId() == null) {
            throw new IllegalStateException("the node's os-release has no VERSION_ID: no versioned torcx store");
        }
        return os.versionId();
    }

    private static String daemon(String name, String checks) {
        return """
                #!/bin/sh
                # %1$s of the torcx fixture for booted nodes (e2e): a daemon that stays up until it is stopped
                %2$smkdir -p %3$s
                echo "$$ $*" >%3$s/%1$s
                sleep infinity &
                child=$!
                trap 'kill "$child" 2>/dev/null; exit 0' TERM INT
                systemd-notify --ready --status="%1$s fixture running"
                echo "%1$s fixture ready: $*"
                wait "$child"
                """.formatted(name, checks, STATE_DIR);
    }
}
