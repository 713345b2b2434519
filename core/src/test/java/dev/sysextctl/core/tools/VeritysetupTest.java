package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.tools.SystemdSysextAndMounterTest.Recording;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The exact argv of the veritysetup and fallocate wrappers and what they read from their output. */
class VeritysetupTest {
    static final UUID UUID_ = UUID.fromString("12345678-1234-4234-8234-123456789abc");
    static final byte[] SALT = {0x01, 0x02, (byte) 0xfe};
    static final String ROOT = "39ea63fa811523d441bd043bf538b9d8f8b61fe18acac6207977c43fd2d57124";

    @Test
    void formatGivesEveryParameterAndReturnsTheRootHashItPrints() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, "VERITY header information for /h\n"
                + "UUID:            \t" + UUID_ + "\nHash type:       \t1\nSalt:            \t0102fe\n"
                + "Root hash:      \t" + ROOT + "\nHash device size: \t2523136 [bytes]\n"));
        String root = new DefaultVeritysetup(r).format(Path.of("/t/fs.img"), Path.of("/t/hash"), 77836, SALT, UUID_);
        assertThat(root).isEqualTo(ROOT);
        assertThat(r.argvs()).containsExactly(List.of("veritysetup", "format", "--format=1", "--hash=sha256",
                "--data-block-size=4096", "--hash-block-size=4096", "--data-blocks=77836", "--salt=0102fe",
                "--uuid=12345678-1234-4234-8234-123456789abc", "/t/fs.img", "/t/hash"));
    }

    @Test
    void formatAppendedWritesTheHashAreaIntoTheDataFileBehindItsBlocks() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, "Root hash:      \t" + ROOT + "\n"));
        assertThat(new DefaultVeritysetup(r).formatAppended(Path.of("/t/ddi.img"), 77836, SALT, UUID_)).isEqualTo(ROOT);
        assertThat(r.argvs()).containsExactly(List.of("veritysetup", "format", "--format=1", "--hash=sha256",
                "--data-block-size=4096", "--hash-block-size=4096", "--data-blocks=77836", "--salt=0102fe",
                "--uuid=12345678-1234-4234-8234-123456789abc", "--hash-offset=318816256", "/t/ddi.img", "/t/ddi.img"));
        Recording failed = new Recording(c -> new ProcessResult(c.argv(), 1, "", "Device /t/ddi.img is too small.\n"));
        assertThatThrownBy(() -> new DefaultVeritysetup(failed).formatAppended(Path.of("/t/ddi.img"), 9, SALT, UUID_))
                .isInstanceOf(OperationFailedException.class).hasMessage("veritysetup format of /t/ddi.img failed: "
                        + "Device /t/ddi.img is too small.; check that cryptsetup-bin works here");
    }

    @Test
    void fallocateInsertsRoomAndAFailureIsOneLine() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, ""));
        new DefaultFallocate(r).insertRange(Path.of("/t/ddi.img"), 0, 20480);
        assertThat(r.argvs()).containsExactly(List.of("fallocate", "--insert-range", "--offset=0", "--length=20480",
                "/t/ddi.img"));
        Recording refused = new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "fallocate: fallocate failed: Operation not supported\n"));
        assertThatThrownBy(() -> new DefaultFallocate(refused).insertRange(Path.of("/t/ddi.img"), 0, 20480))
                .isInstanceOf(OperationFailedException.class).hasMessage("fallocate --insert-range on /t/ddi.img "
                        + "failed: fallocate: fallocate failed: Operation not supported; the file system may not "
                        + "support it");
    }

    @Test
    void aFailureOrAnOutputWithoutRootHashIsOneLine() {
        Recording failed = new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "Device /t/fs.img is too small.\nmore detail\n"));
        assertThatThrownBy(() -> new DefaultVeritysetup(failed).format(Path.of("/t/fs.img"), Path.of("/t/h"), 9, SALT,
                UUID_)).isInstanceOf(OperationFailedException.class).hasMessage("veritysetup format of /t/fs.img "
                        + "failed: Device /t/fs.img is too small.; check that cryptsetup-bin works here");
        Recording silent = new Recording(c -> SystemdSysextAndMounterTest.ok(c, "VERITY header information\n"));
        assertThatThrownBy(() -> new DefaultVeritysetup(silent).format(Path.of("/t/fs.img"), Path.of("/t/h"), 9, SALT,
                UUID_)).isInstanceOf(OperationFailedException.class).hasMessage("veritysetup format of /t/fs.img "
                        + "failed: exit 0, no root hash; check that cryptsetup-bin works here");
    }
}
