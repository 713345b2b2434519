package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.config.ConfigChange;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LabMain;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confexts on a scratch root with the native engine, in a private mount namespace: enable and mask write what
 * docs/compatibility.md §1.5 says, merge lays the confexts over /etc read-only and noexec with the
 * {@code .systemd-confext} markers (§4.10), status, list and explain read them, unmerge restores /etc, and the
 * sysexts of the same root are left alone.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "unshare"})
class ConfextNativeIT {
    @TempDir
    Path tmp;

    private final Merger merger = new Merger(NativeTools.system(), Clock.systemUTC(), Duration.ofSeconds(5));

    private static String lab(String args) {
        return Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " " + LabMain.class.getName() + " " + args;
    }

    /** The text between the line {@code @@NAME} and the next {@code @@} line. */
    private static String section(String out, String name) {
        int i = out.indexOf("@@" + name + "\n");
        if (i < 0) {
            return "";
        }
        int from = i + name.length() + 3;
        int end = out.indexOf("@@", from);
        return out.substring(from, end < 0 ? out.length() : end).strip();
    }

    private Path root() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.writeString(root.resolve("etc/host.conf"), "host\n");
        Files.writeString(root.resolve("etc/shared.conf"), "host\n");
        Files.createDirectories(root.resolve("var/lib/confexts"));
        for (String d : List.of("usr/lib/confexts", "opt/confexts/e", "etc/extensions")) {
            Files.createDirectories(root.resolve(d));
        }
        Ext.confext("a").file("etc/shared.conf", "a\n").squashfs(root.resolve("var/lib/confexts/a.raw"));
        Path b = Ext.confext("b").file("etc/shared.conf", "b\n").file("etc/b.sh", "#!/bin/sh\necho ran\n")
                .tree(root.resolve("usr/lib/confexts/b"));
        Files.setPosixFilePermissions(b.resolve("etc/b.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Ext.confext("m").tree(root.resolve("usr/lib/confexts/m"));
        Ext.confext("e").squashfs(root.resolve("opt/confexts/e/e-1.raw"));
        Ext.named("s").squashfs(root.resolve("etc/extensions/s.raw"));
        return root;
    }

    @Test
    void enableMaskMergeStatusListExplainAndUnmergeOfConfexts() throws Exception {
        Path root = root();
        Node n = Node.open(root, new SystemdVersion(257), Map.of()).forClass(ExtensionClass.CONFEXT, Map.of());
        ConfigChange enabled = merger.enable(n, new ConfigRequest.Enable(root.resolve("opt/confexts/e/e-1.raw"),
                null, false, false, null)).change();
        assertThat(enabled.created()).containsExactly("/var/lib/confexts/e.raw");
        assertThat(merger.mask(n, new ConfigRequest.Mask("m", null)).change().created())
                .containsExactly("/var/lib/confexts/m");

        String c = " \"$R\" --class confext --systemd-version 257";
        String script = "R=" + Shell.quote(root.toString()) + "\n"
                + "echo @@merge; " + lab("merge" + c + " --json") + " 2>/dev/null; echo \"@@rc $?\"\n"
                + "echo @@mount; awk -v mp=\"$R/etc\" '$5 == mp' /proc/self/mountinfo\n"
                + "echo @@markers; ls -A \"$R/etc/.systemd-confext\"\n"
                + "echo @@confexts; cat \"$R/etc/.systemd-confext/confexts\"\n"
                + "echo @@dev; cat \"$R/etc/.systemd-confext/dev\"; stat -c '%Hd:%Ld' \"$R/etc\"\n"
                + "echo @@files; cat \"$R/etc/shared.conf\" \"$R/etc/host.conf\" \"$R/etc/e.conf\"\n"
                + "echo @@exec; \"$R/etc/b.sh\" 2>&1; echo \"rc $?\"\n"
                + "echo @@write; touch \"$R/etc/new\" 2>&1; echo \"rc $?\"\n"
                + "echo @@status; " + lab("status" + c) + "\n"
                + "echo @@sysstatus; " + lab("status \"$R\" --systemd-version 257") + "\n"
                + "echo @@list; " + lab("list" + c) + "\n"
                + "echo @@explain; " + lab("explain" + c + " m") + "\n"
                + "echo @@unmerge; " + lab("unmerge" + c) + " 2>&1; echo \"@@urc $?\"\n"
                + "echo @@after; awk -v mp=\"$R/etc\" '$5 == mp' /proc/self/mountinfo; ls -A \"$R/etc\"\n"
                + "echo @@end\n";
        dev.sysextctl.testing.Shell.Result r = MountNamespace.run(script);
        String out = r.stdout() + "\n@@stderr\n" + r.stderr();

        assertThat(out).as(out).contains("@@rc 0");
        JsonNode merged = Json.mapper().readTree(section(out, "merge").replaceFirst("(?s)@@rc.*", ""));
        assertThat(merged.path("class").asText()).isEqualTo("confext");
        assertThat(merged.path("engine").asText()).isEqualTo("native");
        assertThat(merged.path("plan").path("extensions").toString()).isEqualTo("[\"a\",\"b\",\"e\"]");
        String mount = section(out, "mount");
        assertThat(mount).as(out).contains(" - overlay confext ").contains("lowerdir=/run/systemd/sysext/meta/etc:"
                + "/run/systemd/sysext/confexts/e/etc:/run/systemd/sysext/confexts/b/etc:"
                + "/run/systemd/sysext/confexts/a/etc:" + root.resolve("etc"));
        String flags = mount.split(" ")[5];
        assertThat(List.of(flags.split(","))).as(mount).contains("ro", "nosuid", "nodev", "noexec");
        assertThat(section(out, "markers")).isEqualTo("confexts\ndev");
        assertThat(section(out, "confexts")).isEqualTo("a\nb\ne");
        String[] dev = section(out, "dev").split("\n");
        assertThat(dev[0]).isEqualTo(dev[1]);
        assertThat(section(out, "files")).isEqualTo("b\nhost\ne");
        assertThat(section(out, "exec")).contains("Permission denied").doesNotContain("ran");
        assertThat(section(out, "write")).doesNotContain("rc 0");

        JsonNode status = Json.mapper().readTree(section(out, "status"));
        assertThat(status.size()).isEqualTo(1);
        assertThat(status.get(0).path("hierarchy").asText()).isEqualTo("/etc");
        assertThat(status.get(0).path("class").asText()).isEqualTo("confext");
        assertThat(status.get(0).path("merged").asBoolean()).isTrue();
        assertThat(status.get(0).path("extensions").toString()).isEqualTo("[\"a\",\"b\",\"e\"]");
        JsonNode sys = Json.mapper().readTree(section(out, "sysstatus"));
        List<String> sysMerged = new ArrayList<>();
        sys.forEach(h -> sysMerged.add(h.path("hierarchy").asText() + ":" + h.path("merged").asBoolean()));
        assertThat(sysMerged).containsExactly("/opt:false", "/usr:false");

        JsonNode list = Json.mapper().readTree(section(out, "list"));
        assertThat(list.path("searchDirs").toString()).isEqualTo("[\"/run/confexts\",\"/var/lib/confexts\","
                + "\"/usr/local/lib/confexts\",\"/usr/lib/confexts\"]");
        List<String> rows = new ArrayList<>();
        list.path("images").forEach(x -> rows.add(x.path("name").asText() + ":" + x.path("class").asText() + ":"
                + x.path("state").asText() + ":" + x.path("merged").asBoolean()));
        assertThat(rows).containsExactlyInAnyOrder("a:confext:active:true", "e:confext:active:true",
                "m:confext:masked:false", "b:confext:active:true", "m:confext:masked:false");
        JsonNode explain = Json.mapper().readTree(section(out, "explain"));
        assertThat(explain.path("state").asText()).isEqualTo("not-merged");
        assertThat(explain.path("summary").asText()).contains("masked");

        assertThat(out).contains("@@urc 0");
        assertThat(section(out, "unmerge")).contains("Unmerged '" + root.resolve("etc") + "'.");
        String after = section(out, "after");
        assertThat(after).doesNotContain("overlay").doesNotContain(".systemd-confext").contains("host.conf")
                .doesNotContain("e.conf");
    }

    @Test
    void aMergeOfConfextsLeavesAnExistingSysextMergeAndTheOtherWayRound() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("usr/bin"));
        Files.writeString(root.resolve("usr/bin/host"), "h");
        String c = " \"$R\" --systemd-version 257";
        String script = "R=" + Shell.quote(root.toString()) + "\n"
                + lab("merge" + c) + " >/dev/null 2>&1; " + lab("merge" + c + " --class confext")
                + " >/dev/null 2>&1\n"
                + "echo @@both; awk -v r=\"$R/\" 'index($5, r) == 1 {print $5, $9, $10}' /proc/self/mountinfo | sort\n"
                + lab("unmerge" + c + " --class confext") + " >/dev/null 2>&1\n"
                + "echo @@sysonly; awk -v r=\"$R/\" 'index($5, r) == 1 {print $5, $9, $10}' /proc/self/mountinfo "
                + "| sort\n"
                + lab("unmerge" + c) + " >/dev/null 2>&1\n"
                + "echo @@end\n";
        dev.sysextctl.testing.Shell.Result r = MountNamespace.run(script);
        String out = r.stdout() + "\n@@stderr\n" + r.stderr();
        assertThat(section(out, "both")).as(out).isEqualTo(root.resolve("etc") + " overlay confext\n"
                + root.resolve("usr") + " overlay sysext");
        assertThat(section(out, "sysonly")).as(out).isEqualTo(root.resolve("usr") + " overlay sysext");
    }
}
