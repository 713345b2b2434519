package dev.sysextctl.converter.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of an ELF file that runpath rewriting needs, read through a {@link FileChannel}: class (32/64 bit),
 * byte order, machine, the program headers, the dynamic array of {@code PT_DYNAMIC}, and the dynamic string
 * table it points to ({@code DT_STRTAB}, a virtual address mapped to a file offset through the
 * {@code PT_LOAD} segments). Section headers are not needed and not read. Malformed files are reported as
 * {@link ElfFormatException}, never as runtime exceptions.
 */
public final class ElfFile {
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_STRTAB = 5;
    public static final long DT_STRSZ = 10;
    public static final long DT_SONAME = 14;
    public static final long DT_RPATH = 15;
    public static final long DT_RUNPATH = 29;
    public static final long DT_AUXILIARY = 0x7ffffffdL;
    public static final long DT_FILTER = 0x7fffffffL;
    private static final int MAX_PHNUM = 4096;
    private static final long MAX_DYN = 1 << 16;

    /** A program header. */
    public record Segment(long type, long offset, long vaddr, long filesz, long memsz) {
    }

    /** One entry of the dynamic array; {@code fileOffset} is where the entry itself lies in the file. */
    public record DynEntry(long tag, long value, long fileOffset) {
    }

    /** An ELF file that is not well formed (or not one this reader understands). */
    public static final class ElfFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        ElfFormatException(String message) {
            super(message);
        }
    }

    private final FileChannel ch;
    private final boolean is64;
    private final ByteOrder order;
    private final int type;
    private final int machine;
    private final List<Segment> segments;
    private final List<DynEntry> dynamic;
    private final long strtabOffset;
    private final long strtabSize;

    private ElfFile(FileChannel ch, boolean is64, ByteOrder order, int type, int machine, List<Segment> segments,
            List<DynEntry> dynamic, long strtabOffset, long strtabSize) {
        this.ch = ch;
        this.is64 = is64;
        this.order = order;
        this.type = type;
        this.machine = machine;
        this.segments = segments;
        this.dynamic = dynamic;
        this.strtabOffset = strtabOffset;
        this.strtabSize = strtabSize;
    }

    /** True when the first bytes are the ELF magic. */
    public static boolean hasMagic(byte[] head) {
        return head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    /**
     * Reads the headers of the ELF file open in {@code ch}; empty when it does not start with the ELF magic.
     *
     * @throws ElfFormatException when it starts like ELF but its headers are not consistent
     */
    public static Optional<ElfFile> read(FileChannel ch) throws IOException, ElfFormatException {
        long size = ch.size();
        if (size < 16) {
            return Optional.empty();
        }
        ByteBuffer ident = readAt(ch, 0, 16, ByteOrder.LITTLE_ENDIAN);
        byte[] id = new byte[16];
        ident.get(id);
        if (!hasMagic(id)) {
            return Optional.empty();
        }
        boolean is64;
        if (id[4] == 1) {
            is64 = false;
        } else if (id[4] == 2) {
            is64 = true;
        } else {
            throw new ElfFormatException("unknown ELF class " + id[4]);
        }
        ByteOrder order;
        if (id[5] == 1) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (id[5] == 2) {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new ElfFormatException("unknown ELF data encoding " + id[5]);
        }
        int ehsize = is64 ? 64 : 52;
        if (size < ehsize) {
            throw new ElfFormatException("truncated ELF header");
        }
        ByteBuffer eh = readAt(ch, 0, ehsize, order);
        int type = Short.toUnsignedInt(eh.getShort(16));
        int machine = Short.toUnsignedInt(eh.getShort(18));
        long phoff = is64 ? eh.getLong(32) : Integer.toUnsignedLong(eh.getInt(28));
        int phentsize = Short.toUnsignedInt(eh.getShort(is64 ? 54 : 42));
        int phnum = Short.toUnsignedInt(eh.getShort(is64 ? 56 : 44));
        int minEnt = is64 ? 56 : 32;
        List<Segment> segments = new ArrayList<>();
        if (phnum > 0) {
            if (phentsize < minEnt || phnum > MAX_PHNUM || phoff < 0 || phoff + (long) phentsize * phnum > size) {
                throw new ElfFormatException("program headers out of bounds");
            }
            ByteBuffer ph = readAt(ch, phoff, phentsize * phnum, order);
            for (int i = 0; i < phnum; i++) {
                int b = i * phentsize;
                if (is64) {
                    segments.add(new Segment(Integer.toUnsignedLong(ph.getInt(b)), ph.getLong(b + 8),
                            ph.getLong(b + 16), ph.getLong(b + 32), ph.getLong(b + 40)));
                } else {
                    segments.add(new Segment(Integer.toUnsignedLong(ph.getInt(b)),
                            Integer.toUnsignedLong(ph.getInt(b + 4)), Integer.toUnsignedLong(ph.getInt(b + 8)),
                            Integer.toUnsignedLong(ph.getInt(b + 16)), Integer.toUnsignedLong(ph.getInt(b + 20))));
                }
            }
        }
        List<DynEntry> dynamic = new ArrayList<>();
        long strtab = -1;
        long strsz = -1;
        Segment dyn = segments.stream().filter(s -> s.type() == PT_DYNAMIC).findFirst().orElse(null);
        if (dyn != null) {
            int entSize = is64 ? 16 : 8;
            if (dyn.offset() < 0 || dyn.filesz() < 0 || dyn.offset() + dyn.filesz() > size
                    || dyn.filesz() / entSize > MAX_DYN) {
                throw new ElfFormatException("dynamic segment out of bounds");
            }
            int n = (int) (dyn.filesz() / entSize);
            ByteBuffer d = readAt(ch, dyn.offset(), n * entSize, order);
            for (int i = 0; i < n; i++) {
                int b = i * entSize;
                long tag = is64 ? d.getLong(b) : d.getInt(b);
                long val = is64 ? d.getLong(b + 8) : Integer.toUnsignedLong(d.getInt(b + 4));
                dynamic.add(new DynEntry(tag, val, dyn.offset() + b));
                if (tag == DT_NULL) {
                    break;
                }
            }
            long strVaddr = -1;
            for (DynEntry e : dynamic) {
                if (e.tag() == DT_STRTAB) {
                    strVaddr = e.value();
                } else if (e.tag() == DT_STRSZ) {
                    strsz = e.value();
                }
            }
            if (strVaddr >= 0) {
                strtab = vaddrToOffset(segments, strVaddr);
                if (strtab < 0) {
                    throw new ElfFormatException("DT_STRTAB address 0x" + Long.toHexString(strVaddr)
                            + " is in no loadable segment");
                }
                if (strsz < 0 || strtab + strsz > size) {
                    strsz = size - strtab;
                }
            }
        }
        return Optional.of(new ElfFile(ch, is64, order, type, machine, List.copyOf(segments), List.copyOf(dynamic),
                strtab, strsz));
    }

    private static long vaddrToOffset(List<Segment> segments, long vaddr) {
        for (Segment s : segments) {
            if (s.type() == PT_LOAD && Long.compareUnsigned(vaddr, s.vaddr()) >= 0
                    && Long.compareUnsigned(vaddr - s.vaddr(), s.filesz()) < 0) {
                return s.offset() + (vaddr - s.vaddr());
            }
        }
        return -1;
    }

    private static ByteBuffer readAt(FileChannel ch, long offset, int length, ByteOrder order) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        long pos = offset;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += r;
        }
        b.flip();
        return b.order(order);
    }

    public boolean is64() {
        return is64;
    }

    public boolean bigEndian() {
        return order == ByteOrder.BIG_ENDIAN;
    }

    /** {@code e_type}: 2 executable, 3 shared object or PIE. */
    public int type() {
        return type;
    }

    /** {@code e_machine} (62 x86-64, 183 aarch64, ...). */
    public int machine() {
        return machine;
    }

    public List<Segment> segments() {
        return segments;
    }

    public List<DynEntry> dynamic() {
        return dynamic;
    }

    public boolean hasDynamicStrings() {
        return strtabOffset >= 0;
    }

    /** The file offset of the string at {@code index} in the dynamic string table, or -1. */
    public long stringOffset(long index) {
        if (strtabOffset < 0 || index < 0 || index >= strtabSize) {
            return -1;
        }
        return strtabOffset + index;
    }

    /** End of the dynamic string table in the file (exclusive). */
    public long stringTableEnd() {
        return strtabOffset + strtabSize;
    }

    /** The NUL-terminated string at {@code index} of the dynamic string table. */
    public String string(long index) throws IOException, ElfFormatException {
        long off = stringOffset(index);
        if (off < 0) {
            throw new ElfFormatException("string index " + index + " outside the dynamic string table");
        }
        return new String(rawString(off), StandardCharsets.UTF_8);
    }

    /** The bytes of the NUL-terminated string at file offset {@code off} (without the NUL). */
    byte[] rawString(long off) throws IOException, ElfFormatException {
        long end = stringTableEnd();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(256);
        long pos = off;
        while (pos < end) {
            b.clear();
            int want = (int) Math.min(b.capacity(), end - pos);
            b.limit(want);
            int r = ch.read(b, pos);
            if (r <= 0) {
                break;
            }
            for (int i = 0; i < r; i++) {
                byte c = b.get(i);
                if (c == 0) {
                    out.write(b.array(), 0, i);
                    return out.toByteArray();
                }
            }
            out.write(b.array(), 0, r);
            pos += r;
        }
        throw new ElfFormatException("unterminated string in the dynamic string table");
    }
}
