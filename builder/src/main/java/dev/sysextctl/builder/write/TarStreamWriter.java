package dev.sysextctl.builder.write;

import dev.sysextctl.builder.tree.TreeSink;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncoding;

/**
 * Writes entries as a clean, deterministic, uncompressed tar stream (what {@code mksquashfs -tar} reads): no
 * user or group names, numeric ids, the entry's mode with its type bits, one mtime, PAX headers for long or
 * non-ASCII names, big numbers and extended attributes ({@code SCHILY.xattr.NAME}). The same entries always give
 * the same bytes.
 */
public final class TarStreamWriter implements TreeSink, AutoCloseable {
    private final TarArchiveOutputStream tar;

    public TarStreamWriter(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, TarConstants.DEFAULT_BLKSIZE, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    @Override
    public void add(TreeEntry e, InputStream content) throws IOException {
        TarArchiveEntry te;
        switch (e.type()) {
            case DIRECTORY -> te = new Entry(e.path() + "/", TarConstants.LF_DIR);
            case FILE -> {
                te = new Entry(e.path(), TarConstants.LF_NORMAL);
                te.setSize(e.size());
            }
            case SYMLINK -> {
                te = new Entry(e.path(), TarConstants.LF_SYMLINK);
                te.setLinkName(e.linkTarget());
            }
            case HARDLINK -> {
                te = new Entry(e.path(), TarConstants.LF_LINK);
                te.setLinkName(e.linkTarget());
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                te = new Entry(e.path(), e.type() == EntryType.CHAR_DEVICE ? TarConstants.LF_CHR
                        : TarConstants.LF_BLK);
                te.setDevMajor(e.devMajor());
                te.setDevMinor(e.devMinor());
            }
            case FIFO -> te = new Entry(e.path(), TarConstants.LF_FIFO);
            default -> throw new IOException(e.path() + ": a " + e.type().jsonName() + " cannot be stored in an image");
        }
        te.setMode(typeBits(e.type()) | (e.mode() & 07777));
        te.setUserId(e.uid());
        te.setGroupId(e.gid());
        te.setUserName("");
        te.setGroupName("");
        te.setModTime(e.mtime() * 1000);
        for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
            te.addPaxHeader("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        tar.putArchiveEntry(te);
        if (e.type() == EntryType.FILE && e.size() > 0) {
            Content.copyExactly(content, tar, e.size(), e.path());
            if (content.read() >= 0) {
                throw new Content.SourceChangedException(e.path() + " is longer than its " + e.size()
                        + " bytes (it changed during the build)");
            }
        }
        tar.closeArchiveEntry();
    }

    /**
     * An entry whose ustar name and link fields get an ASCII stand-in of at most 100 bytes when the name does not fit
     * (the whole name is already in the PAX header by then): commons-compress would fit it by encoding ever shorter
     * prefixes, one character at a time, the square of the name's length for every entry and so the cube of a
     * path's depth for a deep tree. For ASCII names the bytes are the ones commons-compress writes.
     */
    private static final class Entry extends TarArchiveEntry {
        Entry(String name, byte linkFlag) {
            super(name, linkFlag);
        }

        @Override
        public void writeEntryHeader(byte[] outbuf, ZipEncoding encoding, boolean starMode) throws IOException {
            String name = getName();
            String link = getLinkName();
            setName(fitting(name));
            setLinkName(fitting(link));
            try {
                super.writeEntryHeader(outbuf, encoding, starMode);
            } finally {
                setName(name);
                setLinkName(link);
            }
        }
    }

    /** {@code name} if it is ASCII of at most 100 bytes, else its first 100 characters with '_' for non-ASCII. */
    static String fitting(String name) {
        if (name == null || name.length() <= TarConstants.NAMELEN && name.chars().allMatch(c -> c < 0x80)) {
            return name;
        }
        StringBuilder b = new StringBuilder(TarConstants.NAMELEN);
        for (int i = 0; i < name.length() && b.length() < TarConstants.NAMELEN; i++) {
            char c = name.charAt(i);
            b.append(c < 0x80 ? c : '_');
        }
        return b.toString();
    }

    private static int typeBits(EntryType t) {
        return switch (t) {
            case DIRECTORY -> 0040000;
            case SYMLINK -> 0120000;
            case CHAR_DEVICE -> 0020000;
            case BLOCK_DEVICE -> 0060000;
            case FIFO -> 0010000;
            default -> 0100000;
        };
    }

    /** Writes the end-of-archive blocks. */
    public void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
