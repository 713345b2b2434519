package dev.sysextctl.builder.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.fs.TreeDeletion;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a build's temporaries become: a tree handed to {@link ScratchFiles#deleteInBackground} is removed on another
 * thread while the build goes on and {@link ScratchFiles#close} does not return before that thread is done; what is
 * registered goes at the end, what was released stays; links inside a removed tree are not followed. No time is
 * asserted: the background deletion is made to wait on the test where the order matters.
 */
class ScratchFilesTest {
    /** Only a bound against a hang: a correct run never waits for it. */
    private static final long HANG_SECONDS = 60;

    @TempDir
    Path tmp;

    private Path stage(ScratchFiles scratch) throws Exception {
        Path stage = scratch.sibling(tmp.resolve("out.raw"));
        for (int i = 0; i < 200; i++) {
            Files.writeString(Files.createDirectories(stage.resolve("d" + i % 7)).resolve("f" + i), "x".repeat(i));
        }
        Files.createSymbolicLink(stage.resolve("link"), tmp);
        return stage;
    }

    @Test
    void aTreeDeletedInTheBackgroundIsGoneWhenTheBuildEndsByTheBackgroundThread() throws Exception {
        List<String> deletedBy = new CopyOnWriteArrayList<>();
        Path stage;
        try (ScratchFiles scratch = new ScratchFiles(p -> {
            TreeDeletion.deleteQuietly(p);
            deletedBy.add(Thread.currentThread().getName());
        })) {
            stage = stage(scratch);
            scratch.deleteInBackground(stage);
        }
        assertThat(deletedBy).as("the background deletion ran to its end before close returned")
                .containsExactly("sysextctl-scratch-delete");
        assertThat(Files.exists(stage, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(tmp)).as("the link's target stays").isTrue();
        try (var s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aTreeDeletedInTheBackgroundGoesWhileTheBuildGoesOn() throws Exception {
        try (ScratchFiles scratch = new ScratchFiles()) {
            Path stage = stage(scratch);
            scratch.deleteInBackground(stage);
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
            while (Files.exists(stage, LinkOption.NOFOLLOW_LINKS) && System.nanoTime() < giveUp) {
                Thread.sleep(5);
            }
            assertThat(Files.exists(stage, LinkOption.NOFOLLOW_LINKS)).as("removed before the build ends").isFalse();
        }
    }

    /**
     * close() is called on a thread of its own while the background deletion is held: it must wait (in join) and
     * return only once the deletion is let go and has finished; a close that removed the tree itself and returned
     * would leave a deletion running behind the build.
     */
    @Test
    void closeWaitsForTheBackgroundDeletion() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        List<Path> finished = new CopyOnWriteArrayList<>();
        ScratchFiles scratch = new ScratchFiles(p -> {
            started.countDown();
            try {
                letGo.await(HANG_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TreeDeletion.deleteQuietly(p);
            finished.add(p);
        });
        Path stage = stage(scratch);
        scratch.deleteInBackground(stage);
        assertThat(started.await(HANG_SECONDS, TimeUnit.SECONDS)).isTrue();
        Thread closing = new Thread(scratch::close, "closing");
        closing.start();
        while (closing.getState() != Thread.State.WAITING && closing.getState() != Thread.State.TERMINATED) {
            Thread.sleep(1);
        }
        assertThat(closing.getState()).as("close returned while the background deletion was still held")
                .isEqualTo(Thread.State.WAITING);
        assertThat(finished).isEmpty();
        letGo.countDown();
        closing.join();
        assertThat(finished).containsExactly(stage);
        assertThat(Files.exists(stage, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void closeRemovesWhatIsRegisteredAndKeepsWhatWasReleased() throws Exception {
        Path kept;
        Path removed;
        try (ScratchFiles scratch = new ScratchFiles()) {
            kept = Files.writeString(scratch.sibling(tmp.resolve("image.raw")), "renamed into place");
            removed = Files.createDirectories(scratch.register(tmp.resolve("stage"))).resolve("f");
            Files.writeString(removed, "partial");
            scratch.release(kept);
        }
        assertThat(kept).exists();
        assertThat(removed.getParent()).doesNotExist();
    }
}
