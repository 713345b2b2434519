package dev.sysextctl.core.image.erofs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of deterministic mutants (fixed seed) of real mkfs.erofs images, one per layout it writes, through
 * everything the reader does (walk, read every file, every symlink target, every xattr): each either reads or
 * fails with an {@link ErofsFormatException}, never anything else. Half the mutants get their superblock checksum
 * fixed up, so the mutations reach past it. The time bound only catches a hang; it is far above any real run.
 */
@Requires(tools = "mkfs.erofs")
class ErofsMutationIT {
    private static final int MUTANTS_PER_IMAGE = 700;

    @TempDir
    Path tmp;

    @Test
    void everyMutantReadsOrFailsWithTheTypedException() throws Exception {
        Path tree = tree();
        List<byte[]> seeds = new ArrayList<>();
        for (String options : List.of("-zlz4hc", "-zlz4 -Elegacy-compress", "-zlz4hc -C16384 -Eztailpacking",
                "--chunksize=4096 -Eforce-chunk-indexes", "-Eforce-inode-extended")) {
            seeds.add(ErofsImages.mkfs(tree, tmp.resolve("seed-" + seeds.size() + ".raw"), options));
        }
        Random random = new Random(20261206);
        int read = 0;
        int refused = 0;
        for (byte[] seed : seeds) {
            assertThat(readAll(seed)).as("the unmutated image reads").isNull();
            for (int i = 0; i < MUTANTS_PER_IMAGE; i++) {
                byte[] mutant = mutate(seed, random);
                ErofsFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> readAll(mutant),
                        () -> "mutant " + random.nextInt() + " hangs");
                if (e == null) {
                    read++;
                } else {
                    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                    refused++;
                }
            }
        }
        assertThat(read + refused).isEqualTo(seeds.size() * MUTANTS_PER_IMAGE);
        assertThat(refused).as("mutants refused").isPositive();
    }

    /** Reads everything; returns the typed refusal, or null when the image reads. Anything else fails the test. */
    private static ErofsFormatException readAll(byte[] image) {
        try (ErofsImage erofs = ErofsImage.of(image)) {
            for (ErofsImage.Entry e : erofs.walk()) {
                ErofsInode in = e.inode();
                if (in.type() == EntryType.FILE) {
                    erofs.read(in);
                } else if (in.type() == EntryType.SYMLINK) {
                    erofs.symlinkTarget(in);
                }
                erofs.xattrs(in);
            }
            return null;
        } catch (ErofsFormatException e) {
            return e;
        } catch (IOException e) {
            throw new AssertionError("an untyped IOException: " + e, e);
        }
    }

    /** A few bytes changed (random values, bit flips, 0x00/0xff), sometimes a truncation or a fixed-up checksum. */
    private static byte[] mutate(byte[] seed, Random random) {
        byte[] m = seed.clone();
        int changes = 1 + random.nextInt(8);
        for (int c = 0; c < changes; c++) {
            // most of the metadata of these small images is in the first blocks
            int at = random.nextInt(4) == 0 ? random.nextInt(m.length) : random.nextInt(Math.min(m.length, 12288));
            switch (random.nextInt(4)) {
                case 0 -> m[at] = (byte) random.nextInt(256);
                case 1 -> m[at] ^= (byte) (1 << random.nextInt(8));
                case 2 -> m[at] = 0;
                default -> m[at] = (byte) 0xff;
            }
        }
        if (random.nextInt(20) == 0) {
            m = java.util.Arrays.copyOf(m, random.nextInt(m.length));
        }
        if (random.nextBoolean()) {
            ErofsImages.fixChecksum(m);
        }
        return m;
    }

    private Path tree() throws IOException {
        Path t = tmp.resolve("tree");
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.createDirectories(t.resolve("usr/share/doc/a/b/c"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release.m"), "ID=_any\n");
        Random r = new Random(3);
        byte[] random = new byte[6000];
        r.nextBytes(random);
        Files.write(t.resolve("usr/share/random"), random);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            text.append("text line ").append(i).append('\n');
        }
        Files.writeString(t.resolve("usr/share/doc/a/text"), text);
        Files.write(t.resolve("usr/share/doc/a/b/block"), new byte[4096]);
        Files.writeString(t.resolve("usr/share/doc/a/b/c/small"), "small\n");
        Files.write(t.resolve("usr/share/empty"), new byte[0]);
        Files.createSymbolicLink(t.resolve("usr/share/link"), Path.of("doc/a/text"));
        for (int i = 0; i < 40; i++) {
            Files.writeString(t.resolve("usr/share/doc/n-" + i), "n" + i);
        }
        Files.getFileAttributeView(t.resolve("usr/share/random"),
                java.nio.file.attribute.UserDefinedFileAttributeView.class)
                .write("test", java.nio.ByteBuffer.wrap("value".getBytes(StandardCharsets.UTF_8)));
        return t;
    }
}
