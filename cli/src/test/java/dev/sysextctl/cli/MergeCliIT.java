package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it, on a scratch root in a private mount namespace. */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare", "systemd-sysext"})
class MergeCliIT {
    @TempDir
    Path tmp;

    /** The command line that runs this build's sysextctl in a new JVM (for scripts run in a mount namespace). */
    static String cli() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + cp + "' "
                + Main.class.getName();
    }

    private Path image(String name, String file, String content) throws Exception {
        Path t = tmp.resolve("tree-" + name);
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release." + name), "ID=debian\n"
                + "VERSION_ID=12\n");
        Files.createDirectories(t.resolve(file).getParent());
        Files.writeString(t.resolve(file), content);
        Path img = tmp.resolve(name + ".raw");
        Shell.run("mksquashfs", t.toString(), img.toString(), "-noappend", "-all-root", "-quiet", "-no-progress")
                .assertSuccess();
        return img;
    }

    /** A scratch root with a Debian 12 os-release and an empty /usr/bin. */
    private Path root() throws Exception {
        Path r = tmp.resolve("root");
        Files.createDirectories(r.resolve("etc"));
        Files.createDirectories(r.resolve("usr/bin"));
        Files.writeString(r.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        return r;
    }

    @Test
    void enableNowStatusListExplainDryRunAndUnmerge() throws Exception {
        Path r = root();
        Files.writeString(r.resolve("usr/bin/tool"), "host");
        Files.createDirectories(r.resolve("opt/extensions/a"));
        Files.move(image("a", "usr/bin/tool", "a"), r.resolve("opt/extensions/a/a-1.raw"));
        Files.createDirectories(r.resolve("var/lib/extensions"));
        Files.move(image("b", "usr/share/b/f", "b"), r.resolve("var/lib/extensions/b.raw"));
        Files.writeString(r.resolve("var/lib/extensions/junk.raw"), "junk");
        String s = cli();
        String script = "R='" + r + "'\n"
                + "echo '## enable'; " + s + " enable \"$R/opt/extensions/a/a-1.raw\" --now --engine native --root \"$R\""
                + " 2>&1; echo \"rc=$?\"\n"
                + "echo '## tool'; cat \"$R/usr/bin/tool\"; echo\n"
                + "echo '## status'; " + s + " status --root \"$R\"\n"
                + "echo '## list'; " + s + " list --root \"$R\"\n"
                + "echo '## explain'; " + s + " explain a --root \"$R\"\n"
                + "echo '## dry'; " + s + " refresh --dry-run --engine native --root \"$R\"\n"
                + "echo '## json'; " + s + " refresh --json --engine native --root \"$R\"\n"
                + "echo '## unmerge'; " + s + " unmerge --root \"$R\" --engine native 2>&1; echo \"rc=$?\"\n"
                + "echo '## after'; grep -c ' - overlay sysext ' /proc/self/mountinfo; cat \"$R/usr/bin/tool\"; echo\n";
        Shell.Result res = MountNamespace.run(script);
        String o = res.stdout();
        assertThat(o).as(o + res.stderr()).contains("created /etc/extensions/a.raw -> ../../opt/extensions/a/a-1.raw")
                .contains("Using extensions 'a', 'b'.").contains("Merged extensions into '" + r + "/usr'.")
                .contains("merged 'a', 'b' into " + r + "/usr (engine native)")
                .contains("warning: skipped broken image 'junk'").contains("rc=0");
        assertThat(section(o, "tool")).isEqualTo("a");
        assertThat(section(o, "status")).contains("/usr      a          ").contains("\n          b");
        assertThat(section(o, "list")).contains("junk").contains("broken").contains("a    raw       active   yes    yes");
        assertThat(section(o, "explain")).contains("a: merged from /etc/extensions/a.raw")
                .contains("overrides:  1 file of the base OS: /usr/bin/tool");
        assertThat(section(o, "dry")).contains("plan (refresh, engine native").contains("[meta]")
                .contains("/run/systemd/sysext/extensions/b/usr").contains("junk");
        assertThat(section(o, "json")).as("PID 1 is left alone under --root").contains("\"manager\" : {")
                .contains("\"reload\" : \"skipped\"").contains("\"reason\" : \"--root: not the running system\"")
                .contains("\"stopped\" : [ ]").contains("\"error\" : null");
        assertThat(section(o, "unmerge")).contains("Unmerged '" + r + "/usr'.").contains("rc=0");
        assertThat(section(o, "after")).isEqualTo("0\nhost");
    }

    /**
     * systemd-sysext cannot mount a layer whose path holds a {@code "} ("Failed to mangle mount options": the
     * whole merge fails), so {@code --engine auto} merges with the native engine, which binds it to an alias.
     */
    @Test
    void autoMergesAnImageSystemdCannotMountWithTheNativeEngine() throws Exception {
        Path r = root();
        Files.createDirectories(r.resolve("var/lib/extensions"));
        Files.move(image("dq\"uote", "usr/share/q/f", "quoted"), r.resolve("var/lib/extensions/dq\"uote.raw"));
        Files.move(image("b", "usr/share/b/f", "b"), r.resolve("var/lib/extensions/b.raw"));
        String s = cli();
        String script = "R='" + r + "'\n"
                + "echo '## merge'; " + s + " merge --root \"$R\" 2>&1; echo \"rc=$?\"\n"
                + "echo '## files'; cat \"$R/usr/share/q/f\" \"$R/usr/share/b/f\"; echo\n"
                + "echo '## unmerge'; " + s + " unmerge --root \"$R\" 2>&1; echo \"rc=$?\"\n";
        Shell.Result res = MountNamespace.run(script);
        String o = res.stdout();
        assertThat(section(o, "merge")).as(o + res.stderr()).contains("rc=0").contains("(engine native)")
                .doesNotContain("mangle");
        assertThat(section(o, "files")).isEqualTo("quotedb");
        assertThat(section(o, "unmerge")).contains("rc=0");
    }

    /** The output after {@code ## NAME} up to the next {@code ## } line. */
    static String section(String out, String name) {
        int i = out.indexOf("## " + name + "\n");
        int j = out.indexOf("\n## ", i + 1);
        return out.substring(i + name.length() + 4, j < 0 ? out.length() : j).strip();
    }
}
