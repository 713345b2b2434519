package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pinned messages that need the packaged jar in its own process: an unprivileged user (setpriv) and a tar
 * archive piped into {@code build -} (issue 14, "Errors that say what happened").
 */
@Requires(root = true, tools = {"setpriv", "tar", "unsquashfs"})
class ErrorMessagesIT {
    static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    Path work;

    @BeforeEach
    void work() throws Exception {
        work = Files.createTempDirectory(Path.of("/tmp"), "errors-it-");
        Shell.shOk("chmod 755 '" + work + "' && mkdir -p '" + work + "/tree/usr/bin' && echo hi > '" + work
                + "/tree/usr/bin/hello'");
    }

    @AfterEach
    void clean() {
        Shell.sh("rm -rf '" + work + "'");
    }

    private static String oneLine(Shell.Result r) {
        List<String> lines = r.stderr().strip().lines().toList();
        assertThat(lines).as(r.toString()).hasSize(1);
        assertThat(lines.get(0)).startsWith("sysextctl: ").doesNotContain("Exception").doesNotContain("\tat ");
        return lines.get(0);
    }

    @Test
    void mergeAsAnUnprivilegedUserSaysMergingNeedsRoot() {
        Shell.Result r = Jar.run(NOBODY, work, "merge");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(oneLine(r)).contains("merge needs to be privileged", "mounts images", "run it as root");
    }

    @Test
    void inspectOfAnUnreadableFileSaysPermissionDenied() throws Exception {
        Path f = work.resolve("unreadable.raw");
        Files.write(f, new byte[4096]);
        Shell.shOk("chmod 000 '" + f + "'");
        Shell.Result r = Jar.run(NOBODY, work, "inspect", "unreadable.raw");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(oneLine(r)).contains("permission denied (unreadable.raw)").doesNotContain("AccessDenied");
    }

    @Test
    void buildReadsATarArchiveFromStandardInput() {
        Shell.Result r = Shell.sh("cd '" + work + "' && tar -C tree -cz . | java -Djava.io.tmpdir=/tmp -jar '"
                + Jar.path() + "' build - --name hello --arch x86-64 -o hello.raw");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String listing = Shell.shOk("unsquashfs -lln '" + work.resolve("hello.raw") + "'").stdout();
        assertThat(listing).contains("usr/bin/hello").contains("usr/lib/extension-release.d/extension-release.hello");
        assertThat(Shell.sh("ls /tmp | grep -c '^sysextctl-stdin-'").stdout().trim()).isEqualTo("0");
    }

    @Test
    void buildFromAnEmptyStandardInputSaysItWasEmpty() {
        Shell.Result r = Shell.sh("cd '" + work + "' && java -jar '" + Jar.path()
                + "' build - --name hello -o hello.raw < /dev/null");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(oneLine(r)).contains("standard input, but it was empty");
        assertThat(work.resolve("hello.raw")).doesNotExist();
    }
}
