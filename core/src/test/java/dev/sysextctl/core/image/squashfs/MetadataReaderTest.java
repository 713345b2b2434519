package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata blocks read through cursors that cross block boundaries, within their table. */
class MetadataReaderTest {
    @TempDir
    Path tmp;

    @Test
    void aCursorReadsValuesThatStraddleTwoBlocks() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] first = new byte[8190];
        Arrays.fill(first, (byte) 1);
        uncompressedBlock(b, first);
        uncompressedBlock(b, new byte[] {(byte) 0x44, 0x33, 0x22, 0x11, 0x55, 0x66, 0x77, (byte) 0x88});
        try (RandomAccessFile ch = channel(b.toByteArray())) {
            MetadataReader m = new MetadataReader(new ImageChannel(ch, ch.length()), null);
            MetadataReader.Cursor c = m.cursor(0, 8188, ch.length());
            assertThat(c.u32()).isEqualTo(0x33440101L);
            assertThat(c.position()).isEqualTo(8192);
            assertThat(c.u32()).isEqualTo(0x66551122L);
            assertThatThrownBy(() -> c.u32()).isInstanceOf(SquashfsFormatException.class)
                    .hasMessageContaining("past");
        }
    }

    @Test
    void headersThatClaimTooMuchOrRunPastTheEndAreRefused() throws IOException {
        try (RandomAccessFile ch = channel(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2})) {
            MetadataReader m = new MetadataReader(new ImageChannel(ch, ch.length()), null);
            assertThatThrownBy(() -> m.block(0)).hasMessageContaining("claims 32767 stored bytes");
        }
        try (RandomAccessFile ch = channel(new byte[] {(byte) 0x10, (byte) 0x80, 1, 2})) {
            MetadataReader m = new MetadataReader(new ImageChannel(ch, ch.length()), null);
            assertThatThrownBy(() -> m.block(0)).hasMessageContaining("runs past the end");
        }
        try (RandomAccessFile ch = channel(new byte[] {(byte) 0x02, (byte) 0x80, 1, 2})) {
            MetadataReader m = new MetadataReader(new ImageChannel(ch, ch.length()), null);
            assertThatThrownBy(() -> m.cursor(0, 3, ch.length())).hasMessageContaining("byte 3 of a block of 2");
            assertThatThrownBy(() -> m.cursor(4, 0, 4)).hasMessageContaining("outside its table");
        }
    }

    private RandomAccessFile channel(byte[] content) throws IOException {
        Path f = tmp.resolve("m" + content.length);
        Files.write(f, content);
        return new RandomAccessFile(f.toFile(), "r");
    }

    private static void uncompressedBlock(ByteArrayOutputStream b, byte[] data) {
        int header = data.length | 0x8000;
        b.write(header & 0xff);
        b.write(header >> 8);
        b.write(data, 0, data.length);
    }
}
