package dev.sysextctl.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose streams file content from every layer to the writer: a base directory and a squashfs extension each
 * holding a sparse file of 2 GiB and a few bytes (more than any Java array holds) compose in a JVM whose heap is
 * 64 MiB, and the composed image holds both files whole. Reading a file whole (as compose did) fails here: an
 * OutOfMemoryError for the directory, the squashfs reader's 64 MiB cap for the image.
 */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class ComposeStreamingIT {
    static final long BIG = (2L << 30) + 3;
    static final String HEAP = "-Xmx64m";

    @TempDir
    Path tmp;

    /** A sparse file of {@link #BIG} bytes starting with {@code head} and ending with {@code tail}. */
    private static void sparse(Path p, String head, String tail) throws Exception {
        Files.createDirectories(p.getParent());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(head.getBytes(StandardCharsets.US_ASCII));
            f.seek(BIG - tail.length());
            f.write(tail.getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void filesLargerThanAnArrayComposeWithASmallHeap() throws Exception {
        Path base = tmp.resolve("base");
        Files.createDirectories(base.resolve("usr/lib"));
        Files.writeString(base.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        sparse(base.resolve("usr/share/base/blob"), "base-head", "base-tail\n");
        Path ext = tmp.resolve("big-tree");
        Files.createDirectories(ext.resolve("usr/lib/extension-release.d"));
        Files.writeString(ext.resolve("usr/lib/extension-release.d/extension-release.big"), "ID=_any\n");
        sparse(ext.resolve("usr/share/big/blob"), "ext-head", "ext-tail\n");
        Path image = tmp.resolve("big.raw");
        Shell.run("mksquashfs", ext.toString(), image.toString(), "-quiet", "-no-progress", "-all-root")
                .assertSuccess();

        Path out = tmp.resolve("composed.raw");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Shell.Result r = Shell.run(java, HEAP, "-cp", System.getProperty("java.class.path"),
                ComposeMain.class.getName(), base.toString(), out.toString(), image.toString());
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("entries ");
        System.out.println("compose with " + HEAP + " of two files of " + BIG + " bytes: " + r.stdout().trim()
                .replace('\n', ' '));

        String listing = Shell.run("unsquashfs", "-lls", "-d", "", out.toString()).assertSuccess().stdout();
        assertThat(listing).containsPattern(" " + BIG + " .*usr/share/base/blob\\n")
                .containsPattern(" " + BIG + " .*usr/share/big/blob\\n");
        for (String[] f : new String[][] {{"usr/share/base/blob", "base-head", "base-tail\n"},
                {"usr/share/big/blob", "ext-head", "ext-tail\n"}}) {
            String ends = Shell.run("sh", "-c", "unsquashfs -cat '" + out + "' " + f[0] + " | head -c " + f[1].length()
                    + "; unsquashfs -cat '" + out + "' " + f[0] + " | tail -c " + f[2].length()).assertSuccess()
                    .stdout();
            assertThat(ends).as(f[0]).isEqualTo(f[1] + f[2]);
        }
    }
}
