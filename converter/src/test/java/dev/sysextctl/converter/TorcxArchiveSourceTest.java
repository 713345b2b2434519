package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.ElfStub;
import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F1 (docs/torcx.md §7) converted entry by entry, with the improvements over convert_torcx_image.sh. */
class TorcxArchiveSourceTest {
    @TempDir
    Path tmp;

    private TorcxArchiveSource open(Path archive) throws Exception {
        return TorcxArchiveSource.open(archive, TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")),
                NativeTools.system().unsquashfs());
    }

    static final String CONTAINERD_EXPECTED = String.join("\n", "[Unit]",
            "Description=containerd container runtime", "After=network.target", "", "[Service]", "Delegate=yes",
            "Environment=CONTAINERD_CONFIG=/usr/share/containerd/config.toml",
            "ExecStartPre=mkdir -p /run/docker/libcontainerd",
            "ExecStart=/usr/bin/containerd --config ${CONTAINERD_CONFIG}", "KillMode=process", "Type=notify",
            "Restart=always", "", "[Install]", "WantedBy=multi-user.target") + "\n";
    static final String DOCKER_SERVICE_EXPECTED = String.join("\n", "[Unit]",
            "Description=Docker Application Container Engine", "Documentation=https://docs.docker.com",
            "After=containerd.service docker.socket network-online.target", "Wants=network-online.target",
            "Requires=containerd.service docker.socket", "", "[Service]", "Type=notify",
            "ExecStart=/usr/bin/dockerd --host=fd:// --containerd=/var/run/docker/libcontainerd/docker-containerd.sock"
                    + " $DOCKER_OPTS",
            "ExecReload=/bin/kill -s HUP $MAINPID", "TimeoutStartSec=0", "Delegate=yes", "KillMode=process",
            "Restart=on-failure", "", "[Install]", "WantedBy=multi-user.target") + "\n";
    static final String DOCKER_SOCKET_EXPECTED = String.join("\n", "[Unit]", "Description=Docker Socket for the API",
            "PartOf=docker.service", "", "[Socket]", "ListenStream=/var/run/docker.sock", "SocketMode=0660",
            "SocketGroup=docker", "", "[Install]", "WantedBy=sockets.target") + "\n";

    /**
     * The expected tree: path → "type mode [-> target]". It is §7's expected conversion with the improvements:
     * no {@code .torcx/}, {@code *.wants/} links replaced by their {@code Upholds=} drop-ins.
     */
    static Map<String, String> expectedF1Tree() {
        Map<String, String> m = new TreeMap<>();
        for (String d : List.of("usr", "usr/bin", "usr/lib", "usr/lib/systemd", "usr/lib/systemd/system",
                "usr/lib/systemd/system/multi-user.target.d", "usr/lib/systemd/system/sockets.target.d",
                "usr/lib/systemd/network", "usr/share", "usr/share/containerd", "usr/share/SLSA")) {
            m.put(d, "directory 755");
        }
        for (String s : TorcxFixtures.F1_SCRIPTS) {
            m.put("usr/bin/" + s, "file 755");
        }
        m.put("usr/bin/dockerd", "file 755");
        TorcxFixtures.F1_BIN_LINKS.forEach((k, v) -> m.put("usr/bin/" + k, "symlink 777 -> " + v));
        m.put("usr/lib/libltdl.so.7.3.2", "file 755");
        m.put("usr/lib/libltdl.so.7", "symlink 777 -> libltdl.so.7.3.2");
        for (String u : List.of("containerd.service", "docker.service", "docker.socket")) {
            m.put("usr/lib/systemd/system/" + u, "file 644");
        }
        // §7's parity tree keeps the *.wants/ links next to the drop-ins; sysextctl replaces them (the bakery's
        // convention, and no wants-symlink lint warning)
        m.put("usr/lib/systemd/system/multi-user.target.d/10-containerd-service.conf", "file 644");
        m.put("usr/lib/systemd/system/sockets.target.d/10-docker-socket.conf", "file 644");
        m.put("usr/lib/systemd/network/50-docker.network", "file 644");
        m.put("usr/lib/systemd/network/90-docker-veth.network", "file 644");
        m.put("usr/share/containerd/config.toml", "file 644");
        m.put("usr/share/containerd/config-cgroupfs.toml", "file 644");
        m.put("usr/share/SLSA/app-containers_docker-20.10.24-r3.json.bz2", "file 644");
        return m;
    }

    static String describe(TreeEntry e) {
        return e.type().jsonName() + " " + Integer.toOctalString(e.mode())
                + (e.type() == EntryType.SYMLINK ? " -> " + e.linkTarget() : "");
    }

    @Test
    void f1ConvertsToTheExpectedTreeEntryByEntry() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        try (TorcxArchiveSource src = open(archive)) {
            Scanned s = Scanned.of(src);
            Map<String, String> actual = new TreeMap<>();
            s.entries().forEach((p, e) -> actual.put(p, describe(e)));
            assertThat(actual).isEqualTo(expectedF1Tree());
            for (TreeEntry e : s.order()) {
                assertThat(e.uid()).as(e.path()).isZero();
                assertThat(e.gid()).as(e.path()).isZero();
            }
            assertThat(s.text("usr/lib/systemd/system/containerd.service")).isEqualTo(CONTAINERD_EXPECTED);
            assertThat(s.text("usr/lib/systemd/system/docker.service")).isEqualTo(DOCKER_SERVICE_EXPECTED);
            assertThat(s.text("usr/lib/systemd/system/docker.socket")).isEqualTo(DOCKER_SOCKET_EXPECTED);
            assertThat(s.text("usr/lib/systemd/system/multi-user.target.d/10-containerd-service.conf"))
                    .isEqualTo("[Unit]\nUpholds=containerd.service\n");
            assertThat(s.text("usr/lib/systemd/system/sockets.target.d/10-docker-socket.conf"))
                    .isEqualTo("[Unit]\nUpholds=docker.socket\n");
            for (String script : TorcxFixtures.F1_SCRIPTS) {
                assertThat(s.text("usr/bin/" + script)).isEqualTo(TorcxFixtures.script(script));
            }
            assertThat(s.contents().get("usr/bin/dockerd")).isEqualTo(ElfStub.e1());
            assertThat(s.contents().get("usr/lib/libltdl.so.7.3.2")).isEqualTo(TorcxFixtures.LIBLTDL);
            assertThat(s.text("usr/lib/systemd/network/50-docker.network")).isEqualTo(TorcxFixtures.NETWORK_50);
            assertThat(s.text("usr/share/containerd/config.toml")).isEqualTo(TorcxFixtures.CONTAINERD_TOML);
            assertThat(s.contents().get("usr/share/SLSA/app-containers_docker-20.10.24-r3.json.bz2"))
                    .isEqualTo(TorcxFixtures.SLSA);
            assertThat(s.entry("usr/bin/docker").xattrs())
                    .containsEntry("security.selinux", "system_u:object_r:bin_t:s0");
        }
    }

    @Test
    void f1UnitsKeepNoTorcxReferenceNoDoubleSlashAndNoEnvWrapper() throws Exception {
        try (TorcxArchiveSource src = open(TorcxFixtures.f1(tmp))) {
            Scanned s = Scanned.of(src);
            for (Map.Entry<String, byte[]> f : s.contents().entrySet()) {
                if (!f.getKey().startsWith("usr/lib/systemd/")) {
                    continue;
                }
                String text = new String(f.getValue(), StandardCharsets.UTF_8);
                assertThat(text).as(f.getKey()).doesNotContainIgnoringCase("torcx").doesNotContain("//usr")
                        .doesNotContain("/usr/bin/env").doesNotContain("PATH=");
            }
        }
    }

    @Test
    void f1ReleaseNameAndReport() throws Exception {
        try (TorcxArchiveSource src = open(TorcxFixtures.f1(tmp))) {
            assertThat(src.name()).isEqualTo("docker");
            assertThat(src.reference()).isEqualTo("20.10");
            assertThat(src.architecture()).isEqualTo("x86-64");
            assertThat(src.report().architectureSource()).isEqualTo("elf");
            assertThat(src.extensionRelease()).containsExactly(Map.entry("ID", "_any"),
                    Map.entry("ARCHITECTURE", "x86-64"), Map.entry("SYSEXT_VERSION_ID", "20.10"),
                    Map.entry("EXTENSION_RELOAD_MANAGER", "1"));
            assertThat(src.defaultFileName()).isEqualTo("docker-20.10-x86-64.raw");
            assertThat(src.report().manifest()).isTrue();
            List<String> ids = new ArrayList<>();
            for (Finding f : src.report().findings()) {
                ids.add(f.id());
            }
            assertThat(ids).isEmpty();
        }
    }

    @Test
    void scanningTwiceGivesTheSameEntriesInTheSameOrder() throws Exception {
        try (TorcxArchiveSource src = open(TorcxFixtures.f1(tmp))) {
            Scanned a = Scanned.of(src);
            Scanned b = Scanned.of(src);
            assertThat(b.order()).isEqualTo(a.order());
            assertThat(b.contents().keySet()).isEqualTo(a.contents().keySet());
            a.contents().forEach((k, v) -> assertThat(b.contents().get(k)).as(k).isEqualTo(v));
        }
    }

    @Test
    void parentsComeBeforeChildren() throws Exception {
        try (TorcxArchiveSource src = open(TorcxFixtures.f1(tmp))) {
            List<String> seen = new ArrayList<>();
            for (TreeEntry e : Scanned.of(src).order()) {
                String parent = e.parent();
                if (parent != null && !parent.isEmpty()) {
                    assertThat(seen).as("parent of " + e.path()).contains(parent);
                }
                seen.add(e.path());
            }
        }
    }
}
