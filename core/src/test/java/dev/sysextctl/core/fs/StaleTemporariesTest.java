package dev.sysextctl.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary names record their owner; a later run removes only what processes that are gone left. */
class StaleTemporariesTest {
    @TempDir
    Path dir;

    private static final ScratchOwner SELF = ScratchOwner.self();

    @Test
    void theOwnerTokenNamesThisProcess() {
        assertThat(SELF.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(SELF.startTicks()).isPositive();
        assertThat(SELF.boot()).matches("[0-9a-f]{8}").isNotEqualTo("00000000");
        assertThat(SELF.isGone()).isFalse();
        assertThat(AtomicFiles.temporarySibling(dir.resolve("a.raw")).getFileName().toString())
                .matches("\\.#a\\.raw\\.sysextctl-" + SELF.pid() + "-" + SELF.startTicks() + "-" + SELF.boot()
                        + "-[0-9a-f]{8}");
        assertThat(ScratchOwner.parse(SELF.token() + "-0badcafe")).contains(SELF);
        assertThat(ScratchOwner.parse("12-x-0badcafe")).isEmpty();
    }

    @Test
    void aProcessThatStartedAtAnotherTimeOrInAnotherBootIsGone() {
        assertThat(new ScratchOwner(SELF.pid(), SELF.startTicks() + 1, SELF.boot()).isGone()).isTrue();
        assertThat(new ScratchOwner(SELF.pid(), SELF.startTicks(), flip(SELF.boot())).isGone()).isTrue();
        assertThat(new ScratchOwner(4_000_000_000L, 1, SELF.boot()).isGone()).isTrue();
    }

    @Test
    void removesTheLeftoversOfDeadProcessesOnlyAndKeepsLiveOnesAndOtherFiles() throws Exception {
        ScratchOwner dead = new ScratchOwner(SELF.pid(), SELF.startTicks() + 7, SELF.boot());
        Path deadImage = Files.writeString(dir.resolve(".#web.raw.sysextctl-" + dead.token() + "-0000beef"), "x");
        Path deadStage = Files.createDirectories(dir.resolve(".#web.raw.stage.sysextctl-" + dead.token()
                + "-0000cafe").resolve("usr/lib"));
        Files.writeString(deadStage.resolve("f"), "y");
        Path otherBoot = Files.writeString(dir.resolve(".#db.raw.sysextctl-" + new ScratchOwner(SELF.pid(),
                SELF.startTicks(), flip(SELF.boot())).token() + "-00000001"), "z");
        Path live = Files.writeString(AtomicFiles.temporarySibling(dir.resolve("web.raw")), "live");
        Path legacy = Files.writeString(dir.resolve(".#web.raw.sysextctl-0123abcd"), "unknown owner");
        Path user = Files.writeString(dir.resolve("web.raw"), "image");
        Path lookalike = Files.writeString(dir.resolve("notes.sysextctl-" + dead.token() + "-0000beef"), "mine");

        assertThat(AtomicFiles.removeStaleSiblings(dir)).isEqualTo(3);

        assertThat(deadImage).doesNotExist();
        assertThat(deadStage.getParent().getParent()).doesNotExist();
        assertThat(otherBoot).doesNotExist();
        assertThat(live).hasContent("live");
        assertThat(legacy).exists();
        assertThat(user).hasContent("image");
        assertThat(lookalike).exists();
    }

    @Test
    void writingAFileRemovesWhatAKilledWriterLeftBesideIt() throws Exception {
        ScratchOwner dead = new ScratchOwner(SELF.pid(), SELF.startTicks() + 7, SELF.boot());
        Path stale = Files.writeString(dir.resolve(".#hello.raw.sysextctl-" + dead.token() + "-00c0ffee"), "half");
        AtomicFiles.symlink(dir.resolve("hello.raw"), "/var/lib/extensions/hello.raw", false);
        assertThat(stale).doesNotExist();
        assertThat(Files.readSymbolicLink(dir.resolve("hello.raw")).toString())
                .isEqualTo("/var/lib/extensions/hello.raw");
    }

    @Test
    void scratchDirectoriesOfDeadProcessesGoWhenTheNextOneIsMade() throws Exception {
        ScratchOwner dead = new ScratchOwner(SELF.pid(), SELF.startTicks() + 7, SELF.boot());
        Path stale = Files.createDirectories(dir.resolve("sysextctl-torcx-" + dead.token() + "-00000002/blobs"));
        Path alive = AtomicFiles.createScratchDirectory(dir, "sysextctl-torcx");
        Path again = AtomicFiles.createScratchDirectory(dir, "sysextctl-torcx");
        assertThat(stale.getParent()).doesNotExist();
        assertThat(alive).isDirectory();
        assertThat(again).isDirectory().isNotEqualTo(alive);
        assertThat(alive.getFileName().toString()).startsWith("sysextctl-torcx-" + SELF.token() + "-");
    }

    private static String flip(String boot) {
        return (boot.charAt(0) == '0' ? "1" : "0") + boot.substring(1);
    }
}
