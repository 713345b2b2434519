package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The exact argv of the erofs and special-file wrappers, recorded instead of run. */
class ErofsAndSpecialFileToolsTest {
    /** Records every command and answers with a canned result. */
    static class RecordingRunner implements ProcessRunner {
        final List<Command> commands = new ArrayList<>();
        private final Function<Command, ProcessResult> answer;

        RecordingRunner(Function<Command, ProcessResult> answer) {
            this.answer = answer;
        }

        @Override
        public ProcessResult run(Command command) {
            commands.add(command);
            return answer.apply(command);
        }
    }

    private static ProcessResult ok(Command c, String out) {
        return new ProcessResult(c.argv(), 0, out, "");
    }

    @Test
    void mkfsErofsBuildsReproduciblyWithLz4hcAndRootOwnership() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> ok(c, ""));
        new DefaultMkfsErofs(r, new ToolVersionCache()).build(Path.of("/stage"), Path.of("/out/x.raw"),
                new ErofsOptions(Compression.LZ4HC, 1700000000L, true, List.of()));
        Command c = r.commands.get(0);
        assertThat(c.argv()).containsExactly("mkfs.erofs", "--quiet", "-zlz4hc", "-T1700000000",
                "-U00000000-0000-0000-0000-000000000000", "--all-root", "/out/x.raw", "/stage");
        assertThat(c.environment()).containsEntry("SOURCE_DATE_EPOCH", null);
    }

    @Test
    void mkfsErofsWithoutCompressionOrForcedOwnership() {
        assertThat(DefaultMkfsErofs.argv(Path.of("d"), Path.of("o"), new ErofsOptions(Compression.NONE, 0, false,
                List.of()))).containsExactly("mkfs.erofs", "--quiet", "-T0", "-U00000000-0000-0000-0000-000000000000",
                        "o", "d");
        assertThat(DefaultMkfsErofs.argv(Path.of("d"), Path.of("o"), new ErofsOptions(Compression.LZ4, 0, true,
                List.of()))).contains("-zlz4");
    }

    @Test
    void erofsOptionsRefuseWhatErofsUtils15CannotWrite() {
        for (Compression c : List.of(Compression.ZSTD, Compression.XZ, Compression.GZIP, Compression.LZO)) {
            assertThatThrownBy(() -> new ErofsOptions(c, 0, true, List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mkfsErofsVersionIsProbedOnceFromItsBanner() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> new ProcessResult(c.argv(), 1, "mkfs.erofs 1.5\n",
                "mkfs.erofs: unrecognized option '--version'\nusage: [options] FILE DIRECTORY\n"));
        DefaultMkfsErofs mkfs = new DefaultMkfsErofs(r, new ToolVersionCache());
        assertThat(mkfs.version()).isEqualTo("1.5");
        assertThat(mkfs.version()).isEqualTo("1.5");
        assertThat(r.commands).hasSize(1);
        assertThat(r.commands.get(0).argv()).containsExactly("mkfs.erofs", "--version");
    }

    @Test
    void mkfsErofsFailureNamesTheTool() {
        RecordingRunner r = new RecordingRunner(c -> new ProcessResult(c.argv(), 1, "", "<E> erofs: boom\n"));
        assertThatThrownBy(() -> new DefaultMkfsErofs(r, new ToolVersionCache()).build(Path.of("d"), Path.of("o"),
                ErofsOptions.defaults())).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("mkfs.erofs failed (exit 1): <E> erofs: boom");
    }

    @Test
    void specialFilesUseMknodWithTheModeAndTouchWithoutFollowingLinks() throws Exception {
        RecordingRunner r = new RecordingRunner(c -> ok(c, ""));
        SpecialFiles s = new DefaultSpecialFiles(r);
        s.create(Path.of("/t/wh"), EntryType.CHAR_DEVICE, 0, 0, 0644);
        s.create(Path.of("/t/blk"), EntryType.BLOCK_DEVICE, 7, 300, 0600);
        s.create(Path.of("/t/fifo"), EntryType.FIFO, 0, 0, 04755);
        s.setTime(Path.of("/t/fifo"), 42);
        assertThat(r.commands).extracting(Command::argv).containsExactly(
                List.of("mknod", "-m", "0644", "/t/wh", "c", "0", "0"),
                List.of("mknod", "-m", "0600", "/t/blk", "b", "7", "300"),
                List.of("mknod", "-m", "4755", "/t/fifo", "p"),
                List.of("touch", "-h", "-c", "-d", "@42", "--", "/t/fifo"));
        assertThatThrownBy(() -> DefaultSpecialFiles.mknodArgv(Path.of("x"), EntryType.FILE, 0, 0, 0644))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedMknodOfADeviceSaysThatRootIsNeeded() {
        RecordingRunner r = new RecordingRunner(c -> new ProcessResult(c.argv(), 1, "",
                "mknod: /t/x: Operation not permitted\n"));
        assertThatThrownBy(() -> new DefaultSpecialFiles(r).create(Path.of("/t/x"), EntryType.CHAR_DEVICE, 1, 3, 0644))
                .hasMessageContaining("Operation not permitted").hasMessageContaining("only be created by root");
    }
}
