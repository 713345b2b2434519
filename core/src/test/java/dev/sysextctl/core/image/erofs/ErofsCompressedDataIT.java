package dev.sysextctl.core.image.erofs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every file of a tree of awkward sizes and contents reads back byte for byte from images the real mkfs.erofs 1.5
 * makes with each layout it writes: lz4 and lz4hc, compact and full (legacy) indexes, big pclusters, tail packing,
 * capped extents, stored (incompressible) clusters, uncompressed inline and plain data, chunk-based files.
 */
@Requires(tools = "mkfs.erofs")
class ErofsCompressedDataIT {
    @TempDir
    Path tmp;
    Path src;
    final Map<String, byte[]> files = new HashMap<>();

    @BeforeEach
    void tree() throws IOException {
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d/sub"));
        Random random = new Random(11);
        file("empty", new byte[0]);
        file("one", new byte[] {'x'});
        file("small.txt", "hello, erofs\n".getBytes(StandardCharsets.UTF_8));
        for (int size : new int[] {4095, 4096, 4097, 8192, 12289, 65536, 65537}) {
            file("d/random-" + size, randomBytes(random, size));
            file("d/text-" + size, text(size));
            file("d/zeros-" + size, new byte[size]);
        }
        file("d/sub/large-text", text(1_500_000));
        file("d/sub/large-random", randomBytes(random, 300_000));
        byte[] mixed = new byte[200_000];
        for (int off = 0; off < mixed.length; off += 10_000) {
            byte[] part = (off / 10_000) % 2 == 0 ? randomBytes(random, 10_000) : text(10_000);
            System.arraycopy(part, 0, mixed, off, 10_000);
        }
        file("d/sub/mixed", mixed);
        byte[] runs = new byte[123_457];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = (byte) (i / 4099);
        }
        file("d/sub/runs", runs);
    }

    private void file(String path, byte[] content) throws IOException {
        files.put(path, content);
        Files.write(src.resolve(path), content);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    private static byte[] text(int size) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; b.length() < size; i++) {
            b.append("line ").append(i).append(" of some compressible text\n");
        }
        return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-zlz4", "-zlz4hc", "-zlz4hc,12", "-zlz4 -Elegacy-compress", "-zlz4hc -Eztailpacking",
        "-zlz4 -C16384", "-zlz4hc -C65536", "-zlz4hc -C65536 -Eztailpacking", "-zlz4hc -C16384 -Elegacy-compress",
        "-zlz4 --max-extent-bytes=16384", "-zlz4hc -Enoinline_data -Eforce-inode-extended", "",
        "-Enoinline_data", "--chunksize=8192", "--chunksize=4096 -Eforce-chunk-indexes"})
    void everyFileReadsBackExactly(String options) throws IOException {
        Path image = tmp.resolve("image.raw");
        Shell.shOk("mkfs.erofs --quiet -T0 " + options + " '" + image + "' '" + src + "'");
        try (ErofsImage erofs = ErofsImage.open(image)) {
            Map<String, byte[]> read = new HashMap<>();
            for (ErofsImage.Entry e : erofs.walk()) {
                if (e.inode().type() == EntryType.FILE) {
                    read.put(e.path(), erofs.read(e.inode()));
                }
            }
            assertThat(read.keySet()).containsExactlyInAnyOrderElementsOf(files.keySet());
            for (String path : List.copyOf(files.keySet())) {
                assertThat(read.get(path)).as(path + " with " + options).isEqualTo(files.get(path));
            }
            // the same image from a byte array reads the same
            ErofsImage inMemory = ErofsImage.of(Files.readAllBytes(image));
            assertThat(inMemory.walk()).hasSize(erofs.walk().size());
        }
    }
}
