package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.manager.ManagerSync;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The node-management commands wired into the CLI: options, output, exit codes (no mounts). */
class MergerCommandsTest {
    @TempDir
    Path root;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void osRelease() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(root.resolve("usr/bin"));
    }

    private int run(String... args) {
        CommandLine cl = SysextctlCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private void directoryImage(String path, String name) throws Exception {
        Path d = root.resolve(path);
        Files.createDirectories(d.resolve("usr/lib/extension-release.d"));
        Files.writeString(d.resolve("usr/lib/extension-release.d/extension-release." + name), "ID=debian\n"
                + "VERSION_ID=12\n");
        Files.createDirectories(d.resolve("usr/share/" + name));
        Files.writeString(d.resolve("usr/share/" + name + "/f"), name);
    }

    @Test
    void everyNodeCommandIsRegisteredWithTheCommonOptions() {
        for (String c : new String[] {"list", "status", "enable", "disable", "mask", "unmask", "merge", "unmerge",
            "refresh", "explain"}) {
            out.getBuffer().setLength(0);
            assertThat(run(c, "--help")).as(c).isZero();
            assertThat(out.toString()).as(c).contains("--root=DIR").contains("--verbose").contains("--no-color")
                    .contains("--version");
        }
        assertThat(out.toString()).contains("--json");
        out.getBuffer().setLength(0);
        run("merge", "--help");
        assertThat(out.toString()).contains("--engine=ENGINE").contains("--dry-run").contains("--force");
    }

    @Test
    void theMergeChangingCommandsTakeNoReloadAndNoStopAndTheOthersDoNot() {
        for (String c : new String[] {"enable", "disable", "mask", "unmask", "merge", "unmerge", "refresh"}) {
            out.getBuffer().setLength(0);
            assertThat(run(c, "--help")).as(c).isZero();
            assertThat(out.toString()).as(c).contains("--no-reload").contains("--no-stop");
        }
        for (String c : new String[] {"list", "status", "explain"}) {
            out.getBuffer().setLength(0);
            assertThat(run(c, "--help")).as(c).isZero();
            assertThat(out.toString()).as(c).doesNotContain("--no-reload");
        }
    }

    @Test
    void whatPid1DidIsPrintedAndAnErrorAfterTheChangeExitsOneWithOneLine() {
        CommandLine cl = SysextctlCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Console c = new Console(cl.getCommandSpec(), null);
        MergerCli.printManager(c, new ManagerSync(ManagerSync.Reload.RELOADED, "EXTENSION_RELOAD_MANAGER=1 in 'a'",
                List.of("a"), List.of("a.service", "b.socket"), List.of(), null));
        assertThat(out.toString()).isEqualTo("reloaded the service manager (EXTENSION_RELOAD_MANAGER=1 in 'a')\n"
                + "stopped a.service, b.socket (unit file gone with the unmerged image)\n");
        MergerCli.printManager(c, new ManagerSync(ManagerSync.Reload.RELOADED, "x", List.of("a"), List.of(),
                List.of("a.service"), null));
        assertThat(err.toString()).isEqualTo("warning: a.service runs without a unit file (its image left; "
                + "--no-stop); stop with 'systemctl stop a.service'\n");
        err.getBuffer().setLength(0);

        MergeOutcome ok = MergeOutcome.builder(MergeAction.REFRESH, EngineKind.NATIVE).engineReason("r").build();
        assertThat(MergerCli.exitCode(c, ok)).isZero();
        assertThat(MergerCli.exitCode(c, null)).as("enable without --now").isZero();
        MergeOutcome failed = ok.withManager(new ManagerSync(ManagerSync.Reload.FAILED, "x", List.of("a"), List.of(),
                List.of(), "the merge changed, but the service manager was not reloaded (systemctl: boom), so it does "
                        + "not know the units the merge brought or removed; run 'systemctl daemon-reload'"));
        assertThat(MergerCli.exitCode(c, failed)).isEqualTo(1);
        assertThat(err.toString()).startsWith("sysextctl: the merge changed, but the service manager was not reloaded")
                .endsWith("; run 'systemctl daemon-reload'\n").hasLineCount(1);
    }

    @Test
    void statusPrintsSystemdsTableAndJson() {
        assertThat(run("status", "--root", root.toString())).isZero();
        assertThat(out.toString()).startsWith("HIERARCHY EXTENSIONS SINCE\n/usr      none       -");
        out.getBuffer().setLength(0);
        assertThat(run("status", "--root", root.toString(), "--json")).isZero();
        assertThat(out.toString()).contains("\"hierarchy\" : \"/usr\"").contains("\"merged\" : false");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void maskUnmaskAndDisableThroughTheCli() throws Exception {
        assertThat(run("mask", "docker", "--root", root.toString())).isZero();
        assertThat(out.toString()).contains("created /etc/extensions/docker");
        assertThat(root.resolve("etc/extensions/docker")).isEmptyDirectory();
        assertThat(run("unmask", "docker", "--root", root.toString(), "--json")).isZero();
        assertThat(out.toString()).contains("\"removed\" : [ \"/etc/extensions/docker\" ]");
        Files.writeString(root.resolve("etc/extensions/plain.raw"), "x");
        err.getBuffer().setLength(0);
        assertThat(run("disable", "plain", "--root", root.toString())).isEqualTo(3);
        assertThat(err.toString()).startsWith("sysextctl: /etc/extensions/plain.raw is a regular file")
                .contains("; ").hasLineCount(1);
    }

    @Test
    void enableChecksTheImageAndExitsThreeWhenItIsRefused() throws Exception {
        directoryImage("opt/extensions/tools", "tools");
        assertThat(run("enable", root.resolve("opt/extensions/tools").toString(), "--root", root.toString()))
                .isZero();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/tools")).toString())
                .isEqualTo("../../opt/extensions/tools");
        err.getBuffer().setLength(0);
        assertThat(run("enable", root.resolve("opt/extensions/tools").toString(), "--name", "other", "--root",
                root.toString())).isEqualTo(3);
        assertThat(err.toString()).contains("does not match the name 'other'").hasLineCount(1);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("merge", "--engine", "bogus", "--root", root.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown engine 'bogus'; use auto, systemd or native");
        assertThat(run("status", "--root", root.resolve("missing").toString())).isEqualTo(2);
        assertThat(run("status", "--systemd-version", "abc")).isEqualTo(2);
        assertThat(run("explain")).isEqualTo(2);
    }
}
