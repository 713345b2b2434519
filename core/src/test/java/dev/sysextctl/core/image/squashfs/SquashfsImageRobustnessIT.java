package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated, randomly corrupted and deliberately hostile images: reading them must either work or fail with an
 * {@link OperationFailedException} carrying a one-line message, quickly: never another exception, an
 * OutOfMemoryError, a hang or an endless loop.
 */
@Requires(tools = {"mksquashfs", "setfattr", "mkfifo"})
class SquashfsImageRobustnessIT {
    private static final Duration EACH = Duration.ofSeconds(10);
    private static final Map<String, List<String>> VARIANTS = Map.of(
            "gzip", List.of(),
            "xz", List.of("-comp", "xz"),
            "lzma", List.of("-comp", "lzma"),
            "zstd", List.of("-comp", "zstd"),
            "lz4", List.of("-comp", "lz4"),
            "uncompressed", List.of("-noI", "-noD", "-noF", "-noX"));

    @TempDir
    static Path tmp;
    static final Map<String, byte[]> IMAGES = new LinkedHashMap<>();

    @BeforeAll
    static void images() throws IOException, OperationFailedException {
        Path src = SquashfsFixtures.smallTree(tmp);
        Files.createDirectories(src.resolve("usr/share/many"));
        for (int i = 0; i < 700; i++) {
            Files.writeString(src.resolve("usr/share/many/entry-number-" + i), "x".repeat(i % 40));
        }
        Files.createLink(src.resolve("usr/bin/tool-link"), src.resolve("usr/bin/tool"));
        Shell.shOk("cd '" + src + "' && mkfifo usr/share/fifo && setfattr -n user.a -v b usr/share/many "
                + "&& setfattr -n user.big -v " + "q".repeat(2000) + " usr/lib/text");
        for (Map.Entry<String, List<String>> v : VARIANTS.entrySet()) {
            IMAGES.put(v.getKey(), Files.readAllBytes(SquashfsFixtures.mksquashfs(src, tmp.resolve(v.getKey()
                    + ".img"), v.getValue())));
        }
        try (SquashfsImage img = SquashfsImage.open(tmp.resolve("gzip.img"))) {
            assertThat(countEntries(img)).isGreaterThan(700);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "lzma", "zstd", "lz4", "uncompressed"})
    void truncatedImagesFailWithAClearMessage(String variant) throws Exception {
        byte[] whole = IMAGES.get(variant);
        Superblock sb = superblock(whole);
        TreeSet<Long> cuts = new TreeSet<>();
        for (long i = 0; i < 200; i++) {
            cuts.add(i);
        }
        for (long at = 0; at < whole.length; at += 61) {
            cuts.add(at);
        }
        for (long table : new long[] {sb.inodeTableStart(), sb.directoryTableStart(), sb.fragmentTableStart(),
            sb.idTableStart(), sb.xattrIdTableStart(), sb.bytesUsed()}) {
            for (long d = -20; d <= 20; d++) {
                cuts.add(table + d);
            }
        }
        Path file = tmp.resolve(variant + "-cut.img");
        int failed = 0;
        for (long cut : cuts) {
            if (cut < 0 || cut >= sb.bytesUsed()) {
                continue;
            }
            Files.write(file, java.util.Arrays.copyOf(whole, (int) cut));
            OperationFailedException e = exercise(file, variant + " cut at " + cut);
            assertThat(e).as("%s cut at %d reads", variant, cut).isNotNull();
            failed++;
        }
        assertThat(failed).isGreaterThan(300);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "xz", "lzma", "zstd", "lz4", "uncompressed"})
    void randomlyCorruptedImagesReadOrFailWithAClearMessage(String variant) throws Exception {
        byte[] whole = IMAGES.get(variant);
        Superblock sb = superblock(whole);
        Random random = new Random(variant.hashCode());
        Path file = tmp.resolve(variant + "-fuzz.img");
        int failures = 0;
        for (int round = 0; round < 1500; round++) {
            byte[] b = whole.clone();
            int mutations = 1 + random.nextInt(8);
            for (int m = 0; m < mutations; m++) {
                int kind = random.nextInt(4);
                int at;
                if (kind == 0) {
                    at = random.nextInt(Superblock.SIZE);
                } else if (kind == 1) {
                    at = (int) (sb.inodeTableStart() + random.nextInt((int) (sb.bytesUsed() - sb.inodeTableStart())));
                } else {
                    at = random.nextInt((int) sb.bytesUsed());
                }
                if (kind == 3 && at + 4 <= b.length) {
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, random.nextBoolean() ? -1
                            : random.nextInt());
                } else {
                    b[at] = (byte) random.nextInt(256);
                }
            }
            Files.write(file, b);
            if (exercise(file, variant + " round " + round) != null) {
                failures++;
            }
        }
        assertThat(failures).as("corruptions noticed").isGreaterThan(100);
    }

    @Test
    void hostileLengthsAndLoopsAreRefusedWithoutReadingThem() throws Exception {
        byte[] whole = IMAGES.get("uncompressed");
        Superblock sb = superblock(whole);
        Path file = tmp.resolve("hostile.img");
        Files.write(file, whole);
        long fileInode;
        long linkInode;
        long rootRef;
        Inode.DirectoryLayout rootDir;
        try (SquashfsImage img = SquashfsImage.open(file)) {
            fileInode = img.lookup("usr/lib/text").orElseThrow().ref();
            linkInode = img.lookup("usr/bin/alias").orElseThrow().ref();
            Inode root = img.root();
            rootRef = root.ref();
            rootDir = (Inode.DirectoryLayout) root.layout();
            assertThat(img.lookup("usr/lib/text").orElseThrow().kind()).isEqualTo(9);
        }
        // an extended file inode claiming 1 TiB (its size field follows the 16-byte header and the 8-byte start)
        byte[] b = whole.clone();
        putLong(b, inodeAt(sb, fileInode) + 24, 1L << 40);
        Files.write(file, b);
        try (SquashfsImage img = SquashfsImage.open(file)) {
            Inode huge = img.lookup("usr/lib/text").orElseThrow();
            assertThat(huge.size()).isEqualTo(1L << 40);
            assertThatThrownBy(() -> img.read(huge)).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("larger than");
        }
        // a symlink claiming a 4 GiB target
        b = whole.clone();
        putInt(b, inodeAt(sb, linkInode) + 20, -16);
        Files.write(file, b);
        assertFails(file, "symlink target");
        // the root directory's first entry ("usr") pointing back at the root
        b = whole.clone();
        int listing = (int) (sb.directoryTableStart() + rootDir.block() + 2 + rootDir.offset());
        putInt(b, listing + 4, (int) (rootRef >>> 16));
        putShort(b, listing + 12, (int) (rootRef & 0xffff));
        Files.write(file, b);
        assertFails(file, "reached twice");
        // a directory claiming 4 GiB of listing
        b = whole.clone();
        int usrRef = (int) inodeAt(sb, lookupRef(whole, "usr"));
        if (ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(usrRef) == 8) {
            putInt(b, usrRef + 20, -1);
        } else {
            putShort(b, usrRef + 24, 0xffff);
        }
        Files.write(file, b);
        assertFails(file, null);
        // a metadata block header claiming 32 KiB
        b = whole.clone();
        putShort(b, (int) sb.inodeTableStart(), 0x7fff);
        Files.write(file, b);
        assertFails(file, "metadata block");
        // a superblock claiming more bytes than the file has, and a root reference outside the inode table
        b = whole.clone();
        putLong(b, 40, whole.length + 4096L);
        Files.write(file, b);
        assertFails(file, "truncated?");
        b = whole.clone();
        putLong(b, 32, (sb.directoryTableStart() - sb.inodeTableStart() + 10) << 16);
        Files.write(file, b);
        assertFails(file, "root inode");
        // uid index and fragment index out of range
        b = whole.clone();
        putShort(b, inodeAt(sb, fileInode) + 4, 999);
        Files.write(file, b);
        assertFails(file, "uid/gid entry 999");
    }

    private static long lookupRef(byte[] image, String path) throws Exception {
        Path f = Files.createTempFile(tmp, "ref", ".img");
        Files.write(f, image);
        try (SquashfsImage img = SquashfsImage.open(f)) {
            return img.lookup(path).orElseThrow().ref();
        }
    }

    private static void assertFails(Path file, String why) {
        OperationFailedException e = exercise(file, file.toString());
        assertThat(e).as("reading %s fails", file).isNotNull();
        if (why != null) {
            assertThat(e.getMessage()).contains(why);
        }
    }

    /** File position of an inode in an image whose inode table is stored uncompressed. */
    private static int inodeAt(Superblock sb, long ref) {
        return (int) (sb.inodeTableStart() + (ref >>> 16) + 2 + (ref & 0xffff));
    }

    /** Reads everything; returns the failure (null when all of it read), failing the test on anything else. */
    private static OperationFailedException exercise(Path file, String what) {
        return assertTimeoutPreemptively(EACH, () -> {
            try (SquashfsImage img = SquashfsImage.open(file)) {
                img.walk((p, in) -> {
                    switch (in.type()) {
                        case FILE -> img.read(in);
                        case SYMLINK -> img.symlinkTarget(in);
                        case DIRECTORY -> img.find(in, "entry-number-500");
                        default -> {
                            // nothing more to read
                        }
                    }
                    img.xattrs(in);
                    return true;
                });
                img.lookup("usr/share/many/entry-number-99");
                return null;
            } catch (OperationFailedException e) {
                assertThat(e.getMessage()).as(what).isNotBlank().doesNotContain("\n");
                return e;
            } catch (Throwable t) {
                fail(what + ": " + t, t);
                return null;
            }
        }, what + " hangs");
    }

    private static int countEntries(SquashfsImage img) throws OperationFailedException {
        int[] n = {0};
        img.walk((p, in) -> {
            n[0] += in.type() == EntryType.FILE || in.type() == EntryType.DIRECTORY ? 1 : 0;
            return true;
        });
        return n[0];
    }

    private static Superblock superblock(byte[] image) throws Exception {
        return Superblock.parse(java.util.Arrays.copyOf(image, Superblock.SIZE), image.length);
    }

    private static void putLong(byte[] b, int at, long v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    private static void putInt(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private static void putShort(byte[] b, int at, int v) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
    }
}
