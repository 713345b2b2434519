package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Each decompressor decodes valid blocks and stops at its output bound on oversized or corrupt ones. */
class DecompressorTest {
    private static final byte[] TEXT = ("squashfs ".repeat(500) + "end").getBytes(StandardCharsets.US_ASCII);

    @Test
    void lz4DecodesLiteralsAndOverlappingMatches() throws IOException {
        // "abc", then a match of 4+8=12 at offset 3 (overlapping), then the final literals "!"
        byte[] block = {0x38, 'a', 'b', 'c', 3, 0, 0x10, '!'};
        byte[] out = new byte[64];
        int n = new Lz4Decompressor().decompress(block, 0, block.length, out, 64);
        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("abcabcabcabcabc!");
    }

    @Test
    void lz4DecodesLongLiteralAndMatchLengths() throws IOException {
        byte[] literals = new byte[300];
        Arrays.fill(literals, (byte) 'x');
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0xff); // 15 literals + extension, match 15 + extension
        b.write(255);
        b.write(300 - 15 - 255);
        b.write(literals, 0, 300);
        b.write(1);
        b.write(0); // offset 1
        b.write(255);
        b.write(500 - 4 - 15 - 255);
        b.write(0x00); // final sequence without literals
        byte[] block = b.toByteArray();
        byte[] out = new byte[2000];
        int n = new Lz4Decompressor().decompress(block, 0, block.length, out, 2000);
        assertThat(n).isEqualTo(800);
        for (int i = 0; i < n; i++) {
            assertThat(out[i]).isEqualTo((byte) 'x');
        }
        assertThatThrownBy(() -> new Lz4Decompressor().decompress(block, 0, block.length, new byte[799], 799))
                .hasMessageContaining("more than 799");
    }

    @Test
    void lz4RefusesOffsetsBeforeTheStartAndTruncatedBlocks() {
        byte[] back = {0x10, 'a', 9, 0, 0x00};
        assertThatThrownBy(() -> new Lz4Decompressor().decompress(back, 0, back.length, new byte[64], 64))
                .hasMessageContaining("before its start");
        byte[] cut = {0x50, 'a', 'b'};
        assertThatThrownBy(() -> new Lz4Decompressor().decompress(cut, 0, cut.length, new byte[64], 64))
                .hasMessageContaining("truncated");
        byte[] endless = new byte[100];
        Arrays.fill(endless, (byte) 0xff);
        assertThatThrownBy(() -> new Lz4Decompressor().decompress(endless, 0, 100, new byte[64], 64))
                .isInstanceOf(SquashfsFormatException.class);
    }

    @Test
    void zlibDecodesAndBoundsItsOutput() throws IOException {
        byte[] block = deflate(TEXT);
        byte[] out = new byte[8192];
        assertThat(Arrays.copyOf(out, new ZlibDecompressor().decompress(block, 0, block.length, out, 8192)))
                .isEqualTo(TEXT);
        assertThatThrownBy(() -> new ZlibDecompressor().decompress(block, 0, block.length, new byte[100], 100))
                .hasMessageContaining("more than 100");
        assertThatThrownBy(() -> new ZlibDecompressor().decompress(block, 0, block.length / 2, out, 8192))
                .hasMessageContaining("truncated");
        byte[] bad = block.clone();
        bad[bad.length - 1] ^= 0x55;
        assertThatThrownBy(() -> new ZlibDecompressor().decompress(bad, 0, bad.length, out, 8192))
                .hasMessageContaining("corrupt");
    }

    @Test
    void xzAndZstdDecodeAndBoundTheirOutput() throws IOException {
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (XZOutputStream o = new XZOutputStream(xz, new LZMA2Options())) {
            o.write(TEXT);
        }
        byte[] xzBlock = xz.toByteArray();
        byte[] zstdBlock = Zstd.compress(TEXT);
        for (Decompressor d : new Decompressor[] {new XzDecompressor(false), new ZstdDecompressor()}) {
            byte[] block = d instanceof ZstdDecompressor ? zstdBlock : xzBlock;
            byte[] out = new byte[8192];
            assertThat(Arrays.copyOf(out, d.decompress(block, 0, block.length, out, 8192))).isEqualTo(TEXT);
            assertThatThrownBy(() -> d.decompress(block, 0, block.length, new byte[100], 100))
                    .isInstanceOf(SquashfsFormatException.class);
            byte[] noise = new byte[200];
            new Random(1).nextBytes(noise);
            assertThatThrownBy(() -> d.decompress(noise, 0, noise.length, out, 8192))
                    .isInstanceOf(SquashfsFormatException.class);
        }
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        d.setInput(data);
        d.finish();
        byte[] buf = new byte[data.length + 64];
        int n = d.deflate(buf);
        d.end();
        return Arrays.copyOf(buf, n);
    }
}
