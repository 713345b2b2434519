package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ddi.VeritysetupTreeIT.Ran;
import dev.sysextctl.core.tools.DefaultFallocate;
import dev.sysextctl.core.tools.DefaultVeritysetup;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DDI made in the file system's own file (docs/ddi.md §8) with the real veritysetup, writing the hash area into
 * that file, and the real fallocate, inserting room for the partition table in front of it: byte for byte the DDI
 * the copying writer makes, in the same file (inode) as the file system, nothing copied and nothing left beside it.
 * The temporary directory is under the module's target/ (surefire's java.io.tmpdir): a disk file system, ext4 here,
 * which inserts ranges.
 */
@Requires(tools = {"veritysetup", "fallocate"})
class DdiInPlaceIT {
    private static final UUID SEED = UUID.fromString("0c1a9a8e-1111-4222-8333-444455556666");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 16_500})
    void theFileSystemsOwnFileBecomesTheDdiOfTheCopyingWriter(int blocks) throws Exception {
        Path fs = VeritysetupTreeIT.randomFileSystem(tmp.resolve("fs.img"), blocks);
        Ran copying = new Ran();
        DdiWriter.write(fs, tmp.resolve("copied.raw"), "x86-64", () -> SEED, null, new DefaultVeritysetup(copying));
        Path image = Files.copy(fs, tmp.resolve("image.raw"));
        Object inode = Files.getAttribute(image, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Ran ran = new Ran();
        DdiWriter.Result r = DdiWriter.writeInPlace(image, "x86-64", () -> SEED, null, new DefaultVeritysetup(ran),
                new DefaultFallocate(ran), true);
        assertThat(ran.programs).containsExactly("veritysetup", "fallocate");
        assertThat(Files.getAttribute(image, "unix:ino", LinkOption.NOFOLLOW_LINKS)).as("the same file, not a copy")
                .isEqualTo(inode);
        assertThat(Files.readAllBytes(image)).isEqualTo(Files.readAllBytes(tmp.resolve("copied.raw")));
        assertThat(DdiImage.open(image).rootHash()).contains(r.rootHash());
        assertThat(DdiImage.open(image).verify()).isEmpty();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrderElementsOf(List.of("fs.img", "copied.raw", "image.raw"));
        }
    }
}
