package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NamespaceSession#mountAll} with the real mount: the plain mounts by a few {@code mount -a} over tables, each
 * image mounted where its own command would have put it (names with spaces, tabs, newlines and UTF-8 included), and
 * a mount that fails there reported with its own command's exit code and message.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare"})
class NamespaceSessionIT {
    @TempDir
    Path tmp;

    @Test
    void plainMountsRunAsAFewTablesAndEachEndsAsItsOwnCommandWould() throws Exception {
        List<String> names = List.of("a", "with space", "tab\tand\nnewline", "grüße", "b#c\\d");
        List<MountStep> steps = new ArrayList<>();
        for (String name : names) {
            Path image = Ext.named(name).squashfs(tmp.resolve(name + ".raw"));
            steps.add(MountStep.of("m-" + name, "mount", "-t", "squashfs", "-o", "ro,loop", image.toString(),
                    Workspace.extension(name)));
        }
        Path dir = Ext.named("dir").tree(tmp.resolve("dir tree"));
        steps.add(MountStep.of("d", "mount", "--bind", "-o", "ro", dir.toString(), Workspace.extension("dir")));
        Path junk = Files.write(tmp.resolve("junk.raw"), new byte[8192]);
        steps.add(MountStep.of("junk", "mount", "-t", "squashfs", "-o", "ro,loop", junk.toString(),
                Workspace.extension("junk")));
        steps.add(MountStep.of("other", "sh", "-c", "exit 3"));

        try (NamespaceSession s = NamespaceSession.open(NativeTools.system().mounter(), Mounter.Propagation.SLAVE)) {
            for (String name : List.of("a", "with space", "tab\tand\nnewline", "grüße", "b#c\\d", "dir", "junk",
                    "junk-alone")) {
                Files.createDirectories(s.view(Workspace.extension(name)));
            }
            Map<String, StepResult> r = s.mountAll(steps);

            assertThat(r.keySet()).containsExactly("m-a", "m-with space", "m-tab\tand\nnewline", "m-grüße",
                    "m-b#c\\d", "d", "junk", "other");
            MountTable mounts = s.mounts();
            for (String name : names) {
                assertThat(r.get("m-" + name).succeeded()).as(name).isTrue();
                assertThat(mounts.top(Path.of(Workspace.extension(name))).fsType()).as(name).isEqualTo("squashfs");
                assertThat(Files.readString(s.view(Workspace.extension(name)).resolve("usr/share/sysext-test")
                        .resolve(name))).isEqualTo(name);
            }
            assertThat(r.get("d").succeeded()).isTrue();
            assertThat(mounts.top(Path.of(Workspace.extension("dir"))).options()).startsWith("ro");
            assertThat(Files.readString(s.view(Workspace.extension("dir")).resolve("usr/share/sysext-test/dir")))
                    .isEqualTo("dir");

            // the failure is the one mount's own: the same exit code and message as that command alone
            StepResult alone = s.run(MountStep.of("alone", "mount", "-t", "squashfs", "-o", "ro,loop",
                    junk.toString(), Workspace.extension("junk-alone")));
            assertThat(alone.succeeded()).isFalse();
            assertThat(r.get("junk").exitCode()).isEqualTo(alone.exitCode());
            assertThat(anyLoop(r.get("junk").message()))
                    .isEqualTo(anyLoop(alone.message().replace("junk-alone", "junk")));
            assertThat(r.get("other").exitCode()).isEqualTo(3);

            // the seven plain mounts in MOUNT_TABLES tables at once; only the failed one and the other command alone
            List<String> sent = s.transcript();
            assertThat(sent).filteredOn(c -> c.startsWith("mount -a -T ")).hasSize(NamespaceSession.MOUNT_TABLES);
            assertThat(sent).filteredOn(c -> c.contains(".raw")).hasSize(2);
            assertThat(sent).contains("sh -c 'exit 3'");
        }
    }

    /** The message with its loop device's number left out (each mount gets the next free one). */
    private static String anyLoop(String message) {
        return message.replaceAll("/dev/loop[0-9]+", "/dev/loopN");
    }
}
