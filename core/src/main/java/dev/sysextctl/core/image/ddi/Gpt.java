package dev.sysextctl.core.image.ddi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A GUID partition table on 512-byte sectors: the protective MBR in sector 0, the primary header in sector 1 and
 * its 128 entries of 128 bytes from sector 2, the backup entries and header at the end of the disk (docs/ddi.md
 * §2). {@link #write} lays out all of it; {@link #read} parses and checks a table (signatures, CRC32s, bounds).
 *
 * @param diskGuid the disk's UUID
 * @param firstUsableLba the first sector a partition may use
 * @param lastUsableLba the last sector a partition may use
 * @param totalSectors the size of the disk in sectors
 * @param partitions the used entries, in table order
 */
public record Gpt(UUID diskGuid, long firstUsableLba, long lastUsableLba, long totalSectors,
        List<GptPartition> partitions) {
    public static final int SECTOR = 512;
    public static final int ENTRIES = 128;
    public static final int ENTRY_SIZE = 128;
    /** Sectors taken by the entry array: 128 × 128 bytes. */
    public static final int ENTRY_SECTORS = ENTRIES * ENTRY_SIZE / SECTOR;
    private static final int HEADER_SIZE = 92;
    private static final byte[] SIGNATURE = "EFI PART".getBytes(StandardCharsets.US_ASCII);

    public Gpt {
        partitions = List.copyOf(partitions);
        if (partitions.size() > ENTRIES) {
            throw new IllegalArgumentException("a GPT holds " + ENTRIES + " partitions");
        }
    }

    /** A table for a disk of {@code totalSectors} sectors with the usual bounds (34 sectors at each end). */
    public static Gpt of(UUID diskGuid, long totalSectors, List<GptPartition> partitions) {
        return new Gpt(diskGuid, 2 + ENTRY_SECTORS, totalSectors - 2 - ENTRY_SECTORS, totalSectors, partitions);
    }

    /**
     * Writes the protective MBR, both headers and both entry arrays into {@code out}, whose size must already be
     * {@link #totalSectors} sectors. Partition contents are the caller's.
     */
    public void write(FileChannel out) throws IOException {
        byte[] entries = entryArray();
        CRC32 crc = new CRC32();
        crc.update(entries);
        int entriesCrc = (int) crc.getValue();
        long last = totalSectors - 1;
        long backupEntries = last - ENTRY_SECTORS;
        writeFully(out, protectiveMbr(), 0);
        writeFully(out, header(1, last, 2, entriesCrc), SECTOR);
        writeFully(out, ByteBuffer.wrap(entries), 2L * SECTOR);
        writeFully(out, ByteBuffer.wrap(entries), backupEntries * SECTOR);
        writeFully(out, header(last, 1, backupEntries, entriesCrc), last * SECTOR);
    }

    private ByteBuffer protectiveMbr() {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int p = 446;
        b.put(p, (byte) 0x00); // not bootable
        b.put(p + 1, (byte) 0x00); // CHS of the first sector: 0/0/2
        b.put(p + 2, (byte) 0x02);
        b.put(p + 3, (byte) 0x00);
        b.put(p + 4, (byte) 0xEE); // GPT protective
        b.put(p + 5, (byte) 0xFF); // CHS of the last sector: beyond what CHS can say
        b.put(p + 6, (byte) 0xFF);
        b.put(p + 7, (byte) 0xFF);
        b.putInt(p + 8, 1);
        b.putInt(p + 12, (int) Math.min(totalSectors - 1, 0xFFFFFFFFL));
        b.put(510, (byte) 0x55);
        b.put(511, (byte) 0xAA);
        return b;
    }

    private ByteBuffer header(long myLba, long alternateLba, long entriesLba, int entriesCrc) {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE);
        b.putInt(0x00010000); // revision 1.0
        b.putInt(HEADER_SIZE);
        b.putInt(0); // header CRC32, filled in below
        b.putInt(0);
        b.putLong(myLba);
        b.putLong(alternateLba);
        b.putLong(firstUsableLba);
        b.putLong(lastUsableLba);
        putGuid(b, diskGuid);
        b.putLong(entriesLba);
        b.putInt(ENTRIES);
        b.putInt(ENTRY_SIZE);
        b.putInt(entriesCrc);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, HEADER_SIZE);
        b.putInt(16, (int) crc.getValue());
        b.clear();
        return b;
    }

    private byte[] entryArray() {
        ByteBuffer b = ByteBuffer.allocate(ENTRIES * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < partitions.size(); i++) {
            GptPartition p = partitions.get(i);
            b.position(i * ENTRY_SIZE);
            putGuid(b, p.type());
            putGuid(b, p.uuid());
            b.putLong(p.firstLba());
            b.putLong(p.lastLba());
            b.putLong(p.attributes());
            b.put(p.name().getBytes(StandardCharsets.UTF_16LE));
        }
        return b.array();
    }

    /**
     * Reads the table of a disk image: the primary header and entries, checked, or the backup ones when the
     * primary pair is damaged.
     *
     * @throws DdiFormatException when neither is a valid GPT
     */
    public static Gpt read(FileChannel in) throws IOException {
        long size = in.size();
        if (size < 3L * SECTOR) {
            throw new DdiFormatException("it is too small for a GPT (" + size + " bytes)");
        }
        try {
            return readAt(in, 1, size);
        } catch (DdiFormatException primary) {
            long last = size / SECTOR - 1;
            try {
                return readAt(in, last, size);
            } catch (DdiFormatException backup) {
                throw primary;
            }
        }
    }

    private static Gpt readAt(FileChannel in, long lba, long size) throws IOException {
        String which = lba == 1 ? "primary" : "backup";
        ByteBuffer h = readFully(in, lba * SECTOR, SECTOR);
        byte[] sig = new byte[8];
        h.get(0, sig);
        if (!java.util.Arrays.equals(sig, SIGNATURE)) {
            throw new DdiFormatException("its " + which + " GPT header has no 'EFI PART' signature");
        }
        int headerSize = h.getInt(12);
        if (headerSize < HEADER_SIZE || headerSize > SECTOR) {
            throw new DdiFormatException("its " + which + " GPT header claims " + headerSize + " bytes");
        }
        int headerCrc = h.getInt(16);
        byte[] copy = java.util.Arrays.copyOf(h.array(), headerSize);
        copy[16] = copy[17] = copy[18] = copy[19] = 0;
        CRC32 crc = new CRC32();
        crc.update(copy);
        if ((int) crc.getValue() != headerCrc) {
            throw new DdiFormatException("its " + which + " GPT header fails its CRC32 (damaged)");
        }
        long firstUsable = h.getLong(40);
        long lastUsable = h.getLong(48);
        UUID disk = getGuid(h, 56);
        long entriesLba = h.getLong(72);
        int count = h.getInt(80);
        int entrySize = h.getInt(84);
        int entriesCrc = h.getInt(88);
        long totalSectors = size / SECTOR;
        if (count < 0 || count > 4096 || entrySize < ENTRY_SIZE || entrySize > 4096 || entrySize % 8 != 0) {
            throw new DdiFormatException("its " + which + " GPT header claims " + count + " entries of " + entrySize
                    + " bytes");
        }
        long entriesBytes = (long) count * entrySize;
        if (entriesLba < 2 || entriesLba * SECTOR + entriesBytes > size) {
            throw new DdiFormatException("its " + which + " GPT entries lie outside the image");
        }
        ByteBuffer e = readFully(in, entriesLba * SECTOR, (int) entriesBytes);
        crc.reset();
        crc.update(e.array());
        if ((int) crc.getValue() != entriesCrc) {
            throw new DdiFormatException("its " + which + " GPT partition entries fail their CRC32 (damaged)");
        }
        List<GptPartition> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int o = i * entrySize;
            UUID type = getGuid(e, o);
            if (type.getMostSignificantBits() == 0 && type.getLeastSignificantBits() == 0) {
                continue;
            }
            long first = e.getLong(o + 32);
            long last = e.getLong(o + 40);
            if (first < firstUsable || last > lastUsable || last < first || last >= totalSectors) {
                throw new DdiFormatException("its GPT partition " + (i + 1) + " (sectors " + first + "-" + last
                        + ") lies outside the usable area " + firstUsable + "-" + lastUsable);
            }
            byte[] name = new byte[72];
            e.get(o + 56, name);
            String n = new String(name, StandardCharsets.UTF_16LE);
            int nul = n.indexOf('\0');
            parts.add(new GptPartition(type, getGuid(e, o + 16), nul < 0 ? n : n.substring(0, nul), first, last,
                    e.getLong(o + 48)));
        }
        return new Gpt(disk, firstUsable, lastUsable, totalSectors, parts);
    }

    /** A GUID in GPT's mixed-endian layout: the first three fields little-endian, the rest as is. */
    static void putGuid(ByteBuffer b, UUID u) {
        byte[] raw = guidBytes(u);
        b.put(raw);
    }

    static byte[] guidBytes(UUID u) {
        ByteBuffer big = ByteBuffer.allocate(16);
        big.putLong(u.getMostSignificantBits());
        big.putLong(u.getLeastSignificantBits());
        byte[] s = big.array();
        return new byte[] {s[3], s[2], s[1], s[0], s[5], s[4], s[7], s[6], s[8], s[9], s[10], s[11], s[12], s[13],
            s[14], s[15]};
    }

    static UUID getGuid(ByteBuffer b, int off) {
        byte[] g = new byte[16];
        b.get(off, g);
        byte[] s = {g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9], g[10], g[11], g[12], g[13], g[14],
            g[15]};
        ByteBuffer big = ByteBuffer.wrap(s);
        return new UUID(big.getLong(), big.getLong());
    }

    static void writeFully(FileChannel out, ByteBuffer b, long position) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            pos += out.write(b, pos);
        }
    }

    static ByteBuffer readFully(FileChannel in, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long pos = position;
        while (b.hasRemaining()) {
            int n = in.read(b, pos);
            if (n < 0) {
                throw new DdiFormatException("it ends at byte " + pos + ", inside its partition table (truncated?)");
            }
            pos += n;
        }
        b.clear();
        return b;
    }
}
