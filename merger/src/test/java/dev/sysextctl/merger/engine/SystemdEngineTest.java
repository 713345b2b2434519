package dev.sysextctl.merger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.process.ProcessResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How systemd-sysext 252's output is read (docs/compatibility.md §5.3). */
class SystemdEngineTest {
    private static SystemdEngine.Interpretation read(int rc, String stderr) {
        return SystemdEngine.interpret(new ProcessResult(List.of("systemd-sysext"), rc, "", stderr));
    }

    @Test
    void aMergeIsReadFromItsInfoLines() {
        var i = read(0, "Using extensions 'a', 'b'.\nUnmerged '/r/usr'.\nMerged extensions into '/r/usr'.\n"
                + "Merged extensions into '/r/opt'.\n");
        assertThat(i.failure()).isNull();
        assertThat(i.merged()).containsExactly("/r/usr", "/r/opt");
        assertThat(i.unmerged()).containsExactly("/r/usr");
        assertThat(i.messages()).hasSize(4);
    }

    @Test
    void nothingToMergeIsNotAFailure() {
        assertThat(read(0, "No suitable extensions found (2 ignored due to incompatible version).\n").failure())
                .isNull();
        assertThat(read(0, "No extensions found.\nUnmerged '/usr'.\n").failure()).isNull();
    }

    @Test
    void anErrorLineWithExitZeroAndNoMergeIsAFailure() {
        var i = read(0, "Using extensions 'bad', 'good'.\nExtension image contains /usr/lib/os-release file, which "
                + "is not allowed (it may carry /etc/os-release), refusing.\n");
        assertThat(i.failure()).startsWith("Extension image contains /usr/lib/os-release");
    }

    @Test
    void aNonZeroExitIsAFailureWithItsFirstErrorLine() {
        assertThat(read(1, "Failed to read metadata for image junk: Package not installed\n").failure())
                .isEqualTo("Failed to read metadata for image junk: Package not installed");
        assertThat(read(1, "Hierarchy '/usr' is already merged.\n").failure())
                .isEqualTo("Hierarchy '/usr' is already merged.");
    }

    @Test
    void aReloadFailureOf255AfterTheMountsIsNotAFailedMergeButAnErrorAfterTheChange() {
        var i = read(1, "Using extensions 'docker'.\nMerged extensions into '/usr'.\n"
                + "Failed to get D-Bus connection: No such file or directory\n");
        assertThat(i.failure()).isNull();
        assertThat(i.merged()).containsExactly("/usr");
        assertThat(i.afterChange()).isEqualTo("Failed to get D-Bus connection: No such file or directory");
        assertThat(read(1, "Unmerged '/usr'.\nFailed to reload daemon: Access denied\n").afterChange())
                .isEqualTo("Failed to reload daemon: Access denied");
    }

    @Test
    void aFailedMergeChildAfterItsUnmergeIsStillAFailure() {
        var i = read(1, "Using extensions 'a'.\nUnmerged '/usr'.\nFailed to mount overlay: Invalid argument\n"
                + "Failed to merge hierarchies\n");
        assertThat(i.afterChange()).isNull();
        assertThat(i.failure()).isEqualTo("Failed to mount overlay: Invalid argument");
    }
}
