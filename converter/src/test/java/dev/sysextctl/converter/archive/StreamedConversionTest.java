package dev.sysextctl.converter.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A highly compressible {@code .torcx.tgz} (512 MiB of content in well under a MiB) converts with almost no
 * temporary space: only the files the conversion may change are copied, the rest is streamed from the archive
 * while the image is written. The staging directory is measured after opening and at every file the scan hands
 * over.
 */
class StreamedConversionTest {
    private static final int FILES = 32;
    private static final int FILE_SIZE = 16 << 20;
    /** The most the staging directory may hold: far below one file of the archive. */
    private static final long CAP = 1 << 20;

    @TempDir
    Path tmp;

    @Test
    void contentMuchLargerThanTheTemporarySpaceCapIsStreamedNotStaged() throws Exception {
        Path archive = zeros(tmp.resolve("big:1.torcx.tgz"));
        assertThat(Files.size(archive)).as("highly compressible").isLessThan(2L << 20);
        Path work = tmp.resolve("work");
        long[] peak = {0};
        Map<String, Long> seen = new TreeMap<>();
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(work), NativeTools.system().unsquashfs())) {
            peak[0] = usage(work);
            src.scan((entry, content) -> {
                if (entry.type() == EntryType.FILE && entry.path().startsWith("usr/share/big/")) {
                    long n = 0;
                    byte[] buf = new byte[1 << 16];
                    int r;
                    while ((r = content.read(buf)) > 0) {
                        for (int i = 0; i < r; i += 4099) {
                            assertThat(buf[i]).as(entry.path()).isZero();
                        }
                        n += r;
                    }
                    seen.put(entry.path(), n);
                    peak[0] = Math.max(peak[0], usage(work));
                }
            }, new Findings());
            assertThat(src.report().findings()).noneMatch(f -> f.isError());
        }
        long total = seen.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).as("every byte reached the image writer").isEqualTo((long) FILES * FILE_SIZE);
        assertThat(seen).hasSize(FILES);
        assertThat(total).as("the content is far larger than the cap").isGreaterThan(100 * CAP);
        assertThat(peak[0]).as("peak bytes in the staging directory").isLessThan(CAP);
        assertThat(usage(work)).as("closed: nothing left").isZero();
    }

    /** 32 files of 16 MiB of zeros under usr/share/big, and a unit (staged: the conversion may rewrite it). */
    private static Path zeros(Path file) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            dir(tar, "usr/");
            dir(tar, "usr/share/");
            dir(tar, "usr/share/big/");
            for (int i = 0; i < FILES; i++) {
                TarArchiveEntry e = new TarArchiveEntry(String.format("usr/share/big/f%02d", i));
                e.setSize(FILE_SIZE);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                for (int w = 0; w < FILE_SIZE; w += chunk.length) {
                    tar.write(chunk);
                }
                tar.closeArchiveEntry();
            }
            byte[] unit = "[Service]\nExecStart=/usr/bin/true\n".getBytes(StandardCharsets.UTF_8);
            dir(tar, "usr/lib/");
            dir(tar, "usr/lib/systemd/");
            dir(tar, "usr/lib/systemd/system/");
            TarArchiveEntry u = new TarArchiveEntry("usr/lib/systemd/system/big.service");
            u.setSize(unit.length);
            u.setMode(0100644);
            tar.putArchiveEntry(u);
            tar.write(unit);
            tar.closeArchiveEntry();
        }
        return file;
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry d = new TarArchiveEntry(name);
        d.setMode(040755);
        tar.putArchiveEntry(d);
        tar.closeArchiveEntry();
    }

    /** Bytes in regular files below {@code dir} (0 when it does not exist). */
    private static long usage(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
