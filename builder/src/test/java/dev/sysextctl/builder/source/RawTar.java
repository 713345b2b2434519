package dev.sysextctl.builder.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Tar archives written byte by byte, for headers no tar writer would make (huge declared sizes, bad checksums). */
public final class RawTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A ustar header: {@code declaredSize} is what the header says, whatever data follows. */
    public RawTar header(String name, char type, long declaredSize) {
        out.writeBytes(header(name, (byte) type, declaredSize));
        return this;
    }

    /** {@code data}, padded to the 512-byte block. */
    public RawTar data(byte[] data) {
        out.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        out.writeBytes(new byte[pad]);
        return this;
    }

    public RawTar entry(String name, char type, byte[] data) {
        return header(name, type, data.length).data(data);
    }

    /** A PAX extended header ({@code x}) holding {@code records}, each {@code key=value}. */
    public RawTar pax(String... records) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String r : records) {
            byte[] kv = r.getBytes(StandardCharsets.UTF_8);
            int len = kv.length + 2;
            int total = len + String.valueOf(len).length();
            if (String.valueOf(total).length() != String.valueOf(len).length()) {
                total++;
            }
            body.writeBytes((total + " " + r + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return entry("./PaxHeaders/x", 'x', body.toByteArray());
    }

    /** A link entry: {@code type} '1' (hard link) or '2' (symlink) to {@code target}. */
    public RawTar link(String name, char type, String target) {
        byte[] h = header(name, (byte) type, 0);
        byte[] t = target.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, h, 157, Math.min(100, t.length));
        checksum(h);
        out.writeBytes(h);
        return this;
    }

    /** The two zero blocks of the end of an archive. */
    public byte[] end() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    static byte[] header(String name, byte type, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 1_600_000_000L);
        h[156] = type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        checksum(h);
        return h;
    }

    /** Writes the header's checksum field for its current bytes. */
    static void checksum(byte[] h) {
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
    }

    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1 && len == 12) {
            // GNU's base-256 form for sizes of 8 GiB and more: the top bit set, the value big-endian
            h[off] = (byte) 0x80;
            for (int i = off + len - 1; i > off; i--, value >>>= 8) {
                h[i] = (byte) value;
            }
            return;
        }
        if (s.length() > len - 1) {
            throw new IllegalArgumentException(value + " does not fit");
        }
        s = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
        h[off + len - 1] = 0;
    }
}
