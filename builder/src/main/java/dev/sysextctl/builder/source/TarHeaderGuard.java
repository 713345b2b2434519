package dev.sysextctl.builder.source;

import dev.sysextctl.core.lint.RuleId;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * Stands between a decompressed tar stream and commons-compress' {@code TarArchiveInputStream}, which reads GNU
 * long names and PAX headers whole into memory (a 1 GiB long name is a 1 GiB array) and accepts headers whose
 * checksum is wrong. The guard follows the archive's 512-byte framing as the bytes pass through and, before the
 * reader sees a header, refuses:
 * <ul>
 * <li>a header whose checksum is wrong, a size that is not a number, an archive that ends inside an entry;</li>
 * <li>GNU long names and long link names over {@link #MAX_NAME} bytes (PATH_MAX), PAX {@code path}/{@code linkpath}
 * records over it, PAX headers over {@link #MAX_PAX_HEADER} bytes ({@code unsafe-path});</li>
 * <li>entry types that have no place in an image: GNU volume labels, multi-volume continuations, sparse files
 * (GNU or PAX), dump directories, old GNU long names, vendor types ({@code unsupported-entry});</li>
 * <li>a directory entry that claims data (readers disagree on whether to skip it).</li>
 * </ul>
 * After the archive's end-of-archive block the bytes pass unchecked. It never holds more than one header's worth
 * of metadata. {@link #list} walks an archive on disk with the same checks without reading the entries' data
 * (the outer archive of a container image).
 */
public final class TarHeaderGuard extends FilterInputStream {
    /** PATH_MAX: the longest name or link target an entry may carry, in bytes (a GNU long name with its NUL). */
    public static final int MAX_NAME = 4096;
    /** The largest PAX extended header accepted (names, times, extended attributes of one entry). */
    public static final int MAX_PAX_HEADER = 256 * 1024;

    private static final int BLOCK = 512;

    /** Why the guard stopped reading: a refusal by rule ({@link #rule()}) or a corrupt archive (no rule). */
    public static final class TarRefusal extends IOException {
        private static final long serialVersionUID = 1L;
        private final String rule;

        public TarRefusal(String rule, String message) {
            super(message);
            this.rule = rule;
        }

        /** {@code unsafe-path} or {@code unsupported-entry}; null when the archive is corrupt. */
        public String rule() {
            return rule;
        }

        /** The refusal in {@code e} or among its causes, if any. */
        public static TarRefusal in(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TarRefusal r) {
                    return r;
                }
            }
            return null;
        }
    }

    /**
     * One entry as the guard saw it: its name (a PAX {@code path} or GNU long name applied), tar type flag, link
     * target (a PAX {@code linkpath} or GNU long link name applied; empty when none), size, and the offset of its
     * data in the archive.
     */
    public record Member(String name, char type, String linkName, long size, long dataOffset) {
        public boolean isFile() {
            return type == '0' || type == 0 || type == '7';
        }

        public boolean isDirectory() {
            return type == '5' || name.endsWith("/");
        }

        public boolean isLink() {
            return type == '1' || type == '2';
        }
    }

    /** Receives each entry {@link #list} finds. */
    @FunctionalInterface
    public interface MemberListener {
        void member(Member member) throws IOException;
    }

    private final byte[] header = new byte[BLOCK];
    private int headerFill;
    /** Bytes of the current entry's data and padding still to pass. */
    private long dataLeft;
    /** Bytes of the current entry's data (without padding) still to collect into {@link #meta}. */
    private long metaLeft;
    private ByteArrayOutputStream meta;
    private byte metaType;
    private long position;
    private long entryStart;
    private boolean ended;
    /** Carried from PAX/GNU headers to the entry they describe. */
    private Long paxSize;
    private String paxPath;
    private String longName;
    private String paxLinkPath;
    private String longLink;
    private MemberListener listener;

    public TarHeaderGuard(InputStream in) {
        super(in);
    }

    /**
     * Walks the tar archive in {@code archive} from its current position, every header through the guard's checks,
     * and hands {@code listener} each entry; the data of an entry is skipped by seeking, never read (only GNU long
     * names and PAX headers are). An entry whose data would end past the end of the file is a truncated archive.
     *
     * @throws TarRefusal as the guard refuses a stream, or on truncation
     */
    public static void list(SeekableByteChannel archive, MemberListener listener) throws IOException {
        TarHeaderGuard g = new TarHeaderGuard(Channels.newInputStream(archive));
        g.listener = listener;
        byte[] buf = new byte[BLOCK];
        while (!g.ended) {
            if (g.dataLeft > 0 && g.meta == null) {
                long left = archive.size() - archive.position();
                if (g.dataLeft > left) {
                    throw new TarRefusal(null, "the tar entry at byte " + g.entryStart + " claims more data than "
                            + "the archive holds (it ends at byte " + archive.size() + "); check that the archive is "
                            + "complete and not corrupt");
                }
                archive.position(archive.position() + g.dataLeft);
                g.position += g.dataLeft;
                g.dataLeft = 0;
                continue;
            }
            int want = g.dataLeft > 0 ? (int) Math.min(buf.length, g.dataLeft) : BLOCK - g.headerFill;
            if (g.read(buf, 0, want) < 0) {
                return; // no end-of-archive blocks, at an entry boundary: what GNU tar accepts with a warning
            }
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            feed(b, off, n);
        } else if (n < 0 && !ended && (headerFill > 0 || dataLeft > 0)) {
            throw new TarRefusal(null, "the tar archive ends inside the entry at byte " + entryStart
                    + " (truncated at byte " + position + "); check that the archive is complete");
        }
        return n;
    }

    /** Skips by reading, so that every header still passes the checks. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: the framing state cannot be rewound
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void feed(byte[] b, int off, int n) throws IOException {
        int i = off;
        int end = off + n;
        while (i < end && !ended) {
            if (dataLeft > 0) {
                int take = (int) Math.min(dataLeft, end - i);
                if (metaLeft > 0) {
                    int m = (int) Math.min(metaLeft, take);
                    meta.write(b, i, m);
                    metaLeft -= m;
                }
                dataLeft -= take;
                position += take;
                i += take;
                if (dataLeft == 0 && meta != null) {
                    finishMeta();
                }
            } else {
                int take = Math.min(BLOCK - headerFill, end - i);
                System.arraycopy(b, i, header, headerFill, take);
                headerFill += take;
                position += take;
                i += take;
                if (headerFill == BLOCK) {
                    headerFill = 0;
                    entryStart = position - BLOCK;
                    onHeader();
                }
            }
        }
        position += end - i;
    }

    private void onHeader() throws IOException {
        if (allZero(header)) {
            ended = true;
            return;
        }
        if (!checksumMatches(header)) {
            throw corrupt("has a wrong header checksum");
        }
        long size;
        try {
            size = TarUtils.parseOctalOrBinary(header, 124, 12);
        } catch (IllegalArgumentException e) {
            throw corrupt("has a size field that is not a number");
        }
        if (size < 0) {
            throw corrupt("has a negative size");
        }
        if (size > Long.MAX_VALUE - BLOCK) {
            throw corrupt("claims " + size + " bytes, more than any archive can hold");
        }
        byte type = header[156];
        switch (type) {
            case 'x', 'X', 'g' -> {
                if (size > MAX_PAX_HEADER) {
                    throw refuse(RuleId.UNSAFE_PATH, "has a PAX header of " + size + " bytes, over the "
                            + MAX_PAX_HEADER + " bytes sysextctl reads; rebuild the archive without it");
                }
                collect(type, size);
                return;
            }
            case 'L', 'K' -> {
                if (size > MAX_NAME) {
                    throw refuse(RuleId.UNSAFE_PATH, "has a GNU long " + (type == 'L' ? "name" : "link name") + " of "
                            + size + " bytes, longer than PATH_MAX (" + MAX_NAME + "); rebuild the archive with "
                            + "shorter names");
                }
                collect(type, size);
                return;
            }
            default -> {
                // an entry: checked below
            }
        }
        if (paxSize != null) {
            size = paxSize;
        }
        String name = paxPath != null ? paxPath : longName != null ? longName : headerName();
        String linkName = paxLinkPath != null ? paxLinkPath : longLink != null ? longLink : field(157, 100);
        paxSize = null;
        paxPath = null;
        longName = null;
        paxLinkPath = null;
        longLink = null;
        String unsupported = switch (type) {
            case '0', 0, '7', '1', '2', '3', '4', '5', '6' -> null;
            case 'V' -> "a GNU volume label";
            case 'M' -> "a GNU multi-volume continuation";
            case 'S' -> "a GNU sparse file";
            case 'D' -> "a GNU dump directory";
            case 'N' -> "an old GNU long name";
            default -> "of type '" + (type >= 0x20 && type < 0x7f ? String.valueOf((char) type)
                    : String.format("\\x%02x", type & 0xff)) + "'";
        };
        if (unsupported != null) {
            throw refuse(RuleId.UNSUPPORTED_ENTRY, "is " + unsupported + ", which has no place in an image; "
                    + "rebuild the archive without it");
        }
        boolean directory = type == '5' || name.endsWith("/");
        if (directory && size != 0) {
            throw corrupt("is a directory that claims " + size + " bytes of data");
        }
        if (listener != null) {
            listener.member(new Member(name, (char) (type & 0xff), linkName, directory ? 0 : size, position));
        }
        if (!directory) {
            dataLeft = roundUp(size);
        }
    }

    private void collect(byte type, long size) throws IOException {
        metaType = type;
        meta = new ByteArrayOutputStream((int) size);
        metaLeft = size;
        dataLeft = roundUp(size);
        if (size == 0) {
            finishMeta();
        }
    }

    private void finishMeta() throws IOException {
        byte[] data = meta.toByteArray();
        meta = null;
        switch (metaType) {
            case 'L' -> {
                int len = data.length;
                while (len > 0 && data[len - 1] == 0) {
                    len--;
                }
                longName = new String(data, 0, len, StandardCharsets.ISO_8859_1);
            }
            case 'K' -> {
                int len = data.length;
                while (len > 0 && data[len - 1] == 0) {
                    len--;
                }
                longLink = new String(data, 0, len, StandardCharsets.ISO_8859_1);
            }
            default -> paxRecords(data, metaType == 'g');
        }
    }

    /** The records of a PAX header ({@code "LEN key=value\n"}); stops at the first malformed one (the reader fails). */
    private void paxRecords(byte[] data, boolean global) throws IOException {
        int at = 0;
        while (at < data.length) {
            int sp = at;
            long len = 0;
            while (sp < data.length && data[sp] >= '0' && data[sp] <= '9' && len < data.length) {
                len = len * 10 + (data[sp] - '0');
                sp++;
            }
            if (sp == at || sp >= data.length || data[sp] != ' ' || len <= sp - at || at + len > data.length) {
                return;
            }
            int recordEnd = (int) (at + len);
            int eq = sp + 1;
            while (eq < recordEnd && data[eq] != '=') {
                eq++;
            }
            if (eq >= recordEnd) {
                return;
            }
            String key = new String(data, sp + 1, eq - sp - 1, StandardCharsets.UTF_8);
            int valueLength = recordEnd - 1 - (eq + 1);
            if (valueLength < 0) {
                return;
            }
            String value = new String(data, eq + 1, valueLength, StandardCharsets.UTF_8);
            if (key.startsWith("GNU.sparse.")) {
                throw refuse(RuleId.UNSUPPORTED_ENTRY, "is a GNU sparse file (PAX " + key + "), which sysextctl "
                        + "does not unpack; rebuild the archive without --sparse");
            }
            switch (key) {
                case "path", "linkpath" -> {
                    if (valueLength > MAX_NAME) {
                        throw refuse(RuleId.UNSAFE_PATH, "has a PAX " + key + " of " + valueLength + " bytes, "
                                + "longer than PATH_MAX (" + MAX_NAME + "); rebuild the archive with shorter names");
                    }
                    if (key.equals("path") && !global) {
                        paxPath = value.isEmpty() ? null : value;
                    } else if (!global) {
                        paxLinkPath = value.isEmpty() ? null : value;
                    }
                }
                case "size" -> {
                    if (global) {
                        throw refuse(RuleId.UNSUPPORTED_ENTRY, "has a global PAX header that sets every entry's size; "
                                + "rebuild the archive without it");
                    }
                    if (value.isEmpty()) {
                        paxSize = null;
                    } else {
                        try {
                            paxSize = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            throw corrupt("has a PAX size that is not a number");
                        }
                        if (paxSize < 0) {
                            throw corrupt("has a negative PAX size");
                        }
                    }
                }
                default -> {
                    // other records are the reader's business
                }
            }
            at = recordEnd;
        }
    }

    /** The header's own name: ustar prefix and name, up to the first NUL. */
    private String headerName() {
        String name = field(0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        if (ustar) {
            String prefix = field(345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private String field(int off, int len) {
        int end = off;
        while (end < off + len && header[end] != 0) {
            end++;
        }
        return new String(header, off, end - off, StandardCharsets.ISO_8859_1);
    }

    private static boolean checksumMatches(byte[] header) {
        try {
            return TarUtils.verifyCheckSum(header);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean allZero(byte[] block) {
        for (byte x : block) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static long roundUp(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private TarRefusal corrupt(String what) {
        return new TarRefusal(null, "the tar entry at byte " + entryStart + " " + what
                + "; check that the archive is complete and not corrupt");
    }

    private TarRefusal refuse(RuleId rule, String what) {
        int fix = what.indexOf("; ");
        return new TarRefusal(rule.id(), "the tar entry at byte " + entryStart + " " + what.substring(0, fix) + " ("
                + rule.id() + ")" + what.substring(fix));
    }
}
