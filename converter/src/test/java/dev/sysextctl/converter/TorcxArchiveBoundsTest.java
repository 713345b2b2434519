package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.tools.NativeTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A torcx archive is read through the same bounds as a build's tar source: a GNU long name declared as 1 GiB is
 * refused before it is read (commons-compress would buffer all of it), and nothing is staged.
 */
class TorcxArchiveBoundsTest {
    @TempDir
    Path tmp;

    @Test
    void aGnuLongNameOverPathMaxIsRefusedBeforeItIsRead() throws Exception {
        byte[] header = new byte[512];
        byte[] name = "././@LongLink".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, header, 0, name.length);
        put(header, 100, "0000644");
        put(header, 124, String.format("%011o", 1L << 30));
        header[156] = 'L';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(header);
            out.write(new byte[8192]);
        }
        Path archive = Files.write(tmp.resolve("long:1.torcx.tgz"), gz.toByteArray());
        Path work = tmp.resolve("work");
        assertThatThrownBy(() -> {
            try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                    TorcxConversionOptions.defaults().withWorkDir(work), NativeTools.system().unsquashfs())) {
                Scanned.of(src);
            }
        }).isInstanceOf(RefusedException.class)
                .hasMessageContaining("long:1.torcx.tgz: the tar entry at byte 0 has a GNU long name of 1073741824 "
                        + "bytes, longer than PATH_MAX (4096) (unsafe-path)");
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
