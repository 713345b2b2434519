package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LabMain;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.TrixieChroot;
import dev.sysextctl.testing.TrixieTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native engine's confext merge and systemd-confext 257's (Debian trixie, in its chroot) recognise each other:
 * each reads the other's {@code /etc/.systemd-confext} markers as a live merge and unmerges it
 * (docs/compatibility.md §4.10). The full differential suite against systemd-confext is elsewhere; this checks the
 * markers and the mount.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare", "chroot"})
class ConfextPeerIT {
    @TempDir
    Path tmp;

    private static String lab(String args) {
        return Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " " + LabMain.class.getName() + " " + args;
    }

    private static String section(String out, String name) {
        int i = out.indexOf("@@" + name + "\n");
        if (i < 0) {
            return "";
        }
        int from = i + name.length() + 3;
        int end = out.indexOf("@@", from);
        return out.substring(from, end < 0 ? out.length() : end).strip();
    }

    @Test
    void eachToolReadsAndUnmergesTheOthersConfextMerge() throws Exception {
        Path chroot = TrixieTools.chroot();
        for (String d : new String[] {"upper", "work", "root"}) {
            Files.createDirectories(tmp.resolve(d));
        }
        Path scratch = tmp.resolve("upper/scratch");
        Files.createDirectories(scratch.resolve("etc"));
        Files.writeString(scratch.resolve("etc/os-release"), "ID=debian\nVERSION_ID=13\n");
        Files.writeString(scratch.resolve("etc/host.conf"), "host\n");
        Files.createDirectories(scratch.resolve("var/lib/confexts"));
        Ext.confext("a").release("ID=_any\n").squashfs(scratch.resolve("var/lib/confexts/a.raw"));
        Ext.confext("b").release("ID=_any\n").tree(scratch.resolve("usr/lib/confexts/b"));
        String r = tmp.resolve("root").toString();
        String c = " \"$R/scratch\" --class confext --systemd-version 257";
        String etc = "awk -v mp=\"$R/scratch/etc\" '$5 == mp {print $9, $10}' /proc/self/mountinfo | sort -u";
        String script = TrixieChroot.mountRoot(chroot, tmp.resolve("upper"), tmp.resolve("work"), r)
                + "mount --make-rshared $R\nset +e\n"
                + lab("merge" + c) + " >/dev/null 2>&1\n"
                + "echo @@native; " + etc + "\n"
                + "echo @@sdstatus; chroot $R systemd-confext --root=/scratch status --json=short\n"
                + "echo @@sdunmerge; chroot $R systemd-confext --root=/scratch unmerge 2>&1; echo \"rc $?\"\n"
                + "echo @@gone1; " + etc + "\n"
                + "chroot $R systemd-confext --root=/scratch merge >/dev/null 2>&1\n"
                + "echo @@systemd; " + etc + "\n"
                + "echo @@ourstatus; " + lab("status" + c) + "\n"
                + "echo @@ourunmerge; " + lab("unmerge" + c) + " 2>&1; echo \"rc $?\"\n"
                + "echo @@gone2; " + etc + "\n"
                + "echo @@end\n";
        dev.sysextctl.testing.Shell.Result res = MountNamespace.run(script);
        String out = res.stdout() + "\n@@stderr\n" + res.stderr();

        assertThat(section(out, "native")).as(out).isEqualTo("overlay confext");
        JsonNode sd = Json.mapper().readTree(section(out, "sdstatus"));
        assertThat(sd.get(0).path("hierarchy").asText()).as(out).isEqualTo("/etc");
        assertThat(sd.get(0).path("extensions").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(section(out, "sdunmerge")).contains("Unmerged '/scratch/etc'.").contains("rc 0");
        assertThat(section(out, "gone1")).isEmpty();

        assertThat(section(out, "systemd")).as(out).isEqualTo("overlay confext");
        JsonNode ours = Json.mapper().readTree(section(out, "ourstatus"));
        assertThat(ours.get(0).path("merged").asBoolean()).as(out).isTrue();
        assertThat(ours.get(0).path("extensions").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(section(out, "ourunmerge")).contains("rc 0");
        assertThat(section(out, "gone2")).as(out).isEmpty();
    }
}
