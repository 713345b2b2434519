package dev.sysextctl.converter.archive;

import dev.sysextctl.builder.source.TarHeaderGuard;
import dev.sysextctl.builder.write.ScratchFiles;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads a torcx archive into a {@link StagedArchive}: {@code .torcx.tgz} with commons-compress (gzip only, as
 * torcx itself required; only the files the conversion may change are copied, the rest is streamed from the
 * archive later), {@code .torcx.squashfs} through unsquashfs (listing for the metadata, extraction of
 * the regular files for their bytes). Works as an ordinary user: ownership and modes come from the archive's
 * metadata, never from the staging files.
 */
public final class ArchiveStager {
    private static final String XATTR_PAX = "SCHILY.xattr.";
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    private static final byte[] SQUASHFS_MAGIC = {'h', 's', 'q', 's'};
    /** The largest text the conversion rewrites (ConversionPlanner's limit). */
    private static final int TEXT_LIMIT = 1 << 20;
    /** How much a conversion may copy to the temporary directory (ELF binaries and texts to rewrite), in MiB. */
    static final String LIMIT_PROPERTY = "sysextctl.torcx.stagingLimitMiB";
    private static final long DEFAULT_LIMIT_MIB = 2048;

    private ArchiveStager() {
    }

    /**
     * Stages {@code archive} in a new directory under {@code workDir} (the temporary directory when null).
     *
     * @throws RefusedException when the file is not what its name says (not gzip, not squashfs, not a tar)
     * @throws OperationFailedException when it cannot be read or staged
     */
    public static StagedArchive stage(Path archive, TorcxArchiveFormat format, Unsquashfs unsquashfs, Path workDir)
            throws SysextctlException {
        if (!Files.isRegularFile(archive)) {
            throw new OperationFailedException("torcx archive " + archive + " does not exist or is not a regular "
                    + "file; give the path of a *.torcx.tgz or *.torcx.squashfs file");
        }
        Path staging;
        try {
            // named for this process: a later run removes it once this one is gone (a SIGKILL runs no hook)
            staging = AtomicFiles.createScratchDirectory(workDir, "sysextctl-torcx");
        } catch (IOException e) {
            throw new OperationFailedException("cannot create a staging directory: " + AtomicFiles.describe(e)
                    + "; check that the temporary directory is writable");
        }
        // Removed by StagedArchive.close(), or by ScratchFiles' shutdown hook when the process is stopped first.
        ScratchFiles scratch = new ScratchFiles();
        scratch.register(staging);
        boolean ok = false;
        try {
            StagedArchive staged = format == TorcxArchiveFormat.SQUASHFS
                    ? stageSquashfs(archive, unsquashfs, staging, scratch)
                    : stageTgz(archive, staging, scratch);
            ok = true;
            return staged;
        } finally {
            if (!ok) {
                scratch.close();
            }
        }
    }

    private static StagedArchive stageTgz(Path archive, Path staging, ScratchFiles scratch) throws SysextctlException {
        byte[] magic = head(archive, 2);
        if (magic.length < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b) {
            throw new RefusedException(archive.getFileName() + " is not gzip-compressed: torcx only unpacked "
                    + "gzip'd tar archives (*.torcx.tgz); recompress it with 'gzip' or name it for what it is");
        }
        List<StagedEntry> entries = new ArrayList<>();
        List<RejectedEntry> rejected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Path blobs = staging.resolve("blobs");
        int count = 0;
        long staged = 0;
        long stagingLimit = Long.getLong(LIMIT_PROPERTY, DEFAULT_LIMIT_MIB) << 20;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(raw)
                     .setDecompressConcatenated(true).get();
             TarArchiveInputStream tar = new TarArchiveInputStream(new TarHeaderGuard(gz))) {
            Files.createDirectories(blobs);
            Map<String, Integer> seen = new LinkedHashMap<>();
            TarArchiveEntry te;
            while ((te = tar.getNextEntry()) != null) {
                count++;
                String rawName = te.getName();
                Optional<String> norm = ImagePaths.normalize(rawName);
                if (norm.isEmpty()) {
                    rejected.add(new RejectedEntry(rawName, rawName.startsWith("/") ? "absolute path"
                            : "path with a '..' component"));
                    continue;
                }
                String path = norm.get();
                EntryType type = typeOf(te);
                if (type == null) {
                    notes.add(rawName + ": unsupported tar entry type '" + (char) te.getLinkFlag() + "', skipped");
                    continue;
                }
                if (seen.merge(path, 1, Integer::sum) > 1) {
                    notes.add(path + " appears more than once in the archive; the last one is used");
                }
                String linkTarget = null;
                if (type == EntryType.SYMLINK) {
                    linkTarget = te.getLinkName();
                    if (!ImagePaths.relativeLinkStaysInside(path, linkTarget)) {
                        rejected.add(new RejectedEntry(rawName, "symlink to " + linkTarget + " leaves the image"));
                        continue;
                    }
                } else if (type == EntryType.HARDLINK) {
                    Optional<String> t = ImagePaths.normalize(te.getLinkName());
                    if (t.isEmpty()) {
                        rejected.add(new RejectedEntry(rawName, "hard link to " + te.getLinkName()
                                + " outside the image"));
                        continue;
                    }
                    linkTarget = t.get();
                }
                Path blob = null;
                long size = 0;
                int member = -1;
                if (type == EntryType.FILE) {
                    // Only what the conversion may change is copied (ELF binaries, units, texts naming torcx, the
                    // manifest), within a cap; everything else is streamed from the archive when the image is
                    // written, so temporary space stays small whatever the archive holds.
                    byte[] head = tar.readNBytes(TEXT_LIMIT + 1);
                    if (needsCopy(path, head)) {
                        blob = blobs.resolve(String.format("%08d", count));
                        try (OutputStream out = Files.newOutputStream(blob, StandardOpenOption.CREATE_NEW)) {
                            out.write(head);
                            size = head.length + copyCapped(tar, out, stagingLimit - staged - head.length);
                        }
                        Files.setPosixFilePermissions(blob, PRIVATE_FILE);
                        staged += size;
                        if (staged > stagingLimit) {
                            throw new RefusedException(archive.getFileName() + " holds more than "
                                    + (stagingLimit >> 20) + " MiB of ELF binaries and texts to rewrite, the most a "
                                    + "conversion copies to the temporary directory; convert a smaller archive, or "
                                    + "set -D" + LIMIT_PROPERTY + "=MiB");
                        }
                    } else {
                        size = te.getSize();
                        member = count;
                    }
                } else if (type == EntryType.SYMLINK) {
                    size = linkTarget.length();
                }
                Map<String, String> xattrs = new LinkedHashMap<>();
                te.getExtraPaxHeaders().forEach((k, v) -> {
                    if (k.startsWith(XATTR_PAX)) {
                        xattrs.put(k.substring(XATTR_PAX.length()), v);
                    }
                });
                long mtime = te.getModTime().getTime() / 1000;
                TreeEntry entry = new TreeEntry(path, type, te.getMode(), (int) te.getLongUserId(),
                        (int) te.getLongGroupId(), size, linkTarget, type.isSpecial() ? te.getDevMajor() : 0,
                        type.isSpecial() ? te.getDevMinor() : 0, mtime, xattrs);
                entries.add(new StagedEntry(entry, blob, member));
            }
            gz.transferTo(OutputStream.nullOutputStream()); // the rest of the stream: gzip's CRC and size
        } catch (IOException e) {
            TarHeaderGuard.TarRefusal refusal = TarHeaderGuard.TarRefusal.in(e);
            if (refusal != null) {
                throw new RefusedException(archive.getFileName() + ": " + refusal.getMessage());
            }
            throw new RefusedException(archive.getFileName() + " is not a readable gzip'd tar archive ("
                    + AtomicFiles.describe(e) + "); check that the download is complete ('gzip -t')");
        }
        if (count == 0) {
            throw new RefusedException(archive.getFileName() + " holds no tar entries; check that it is a torcx "
                    + "image archive");
        }
        return new StagedArchive(archive, TorcxArchiveFormat.TGZ, staging, scratch, entries, rejected, notes);
    }

    /**
     * Whether the conversion may change the file, so it needs a copy: an ELF binary (its runpath), or a small text
     * that is a unit, names torcx or is the manifest (what {@code ConversionPlanner} reads or rewrites).
     */
    private static boolean needsCopy(String path, byte[] head) {
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            return true;
        }
        if (head.length > TEXT_LIMIT) {
            return false;
        }
        if (path.equals(ImageManifest.PATH) || path.contains("systemd/")) {
            return true;
        }
        return TorcxReferences.mentionsTorcx(new String(head, StandardCharsets.UTF_8));
    }

    /** Copies the rest of {@code in}, failing once more than {@code room} bytes came (the cap is then exceeded). */
    private static long copyCapped(InputStream in, OutputStream out, long room) throws IOException {
        byte[] buf = new byte[1 << 16];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            out.write(buf, 0, r);
            n += r;
            if (n > room) {
                break;
            }
        }
        return n;
    }

    private static EntryType typeOf(TarArchiveEntry te) {
        if (te.isSymbolicLink()) {
            return EntryType.SYMLINK;
        }
        if (te.isLink()) {
            return EntryType.HARDLINK;
        }
        if (te.isDirectory()) {
            return EntryType.DIRECTORY;
        }
        if (te.isCharacterDevice()) {
            return EntryType.CHAR_DEVICE;
        }
        if (te.isBlockDevice()) {
            return EntryType.BLOCK_DEVICE;
        }
        if (te.isFIFO()) {
            return EntryType.FIFO;
        }
        if (te.isFile()) {
            return EntryType.FILE;
        }
        return null;
    }

    private static StagedArchive stageSquashfs(Path archive, Unsquashfs unsquashfs, Path staging,
            ScratchFiles scratch)
            throws SysextctlException {
        byte[] magic = head(archive, 4);
        if (magic.length < 4 || !java.util.Arrays.equals(magic, SQUASHFS_MAGIC)) {
            throw new RefusedException(archive.getFileName() + " is not a squashfs image; a *.torcx.squashfs "
                    + "archive must be squashfs 4.0 (check the file, or rename a gzip'd tar to *.torcx.tgz)");
        }
        List<TreeEntry> listing = unsquashfs.list(archive);
        List<StagedEntry> entries = new ArrayList<>();
        List<RejectedEntry> rejected = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (TreeEntry e : listing) {
            if (e.type() == EntryType.SYMLINK && !ImagePaths.relativeLinkStaysInside(e.path(), e.linkTarget())) {
                rejected.add(new RejectedEntry(e.path(), "symlink to " + e.linkTarget() + " leaves the image"));
                continue;
            }
            if (e.type() == EntryType.FILE) {
                files.add(e.path());
            }
        }
        Path tree = staging.resolve("tree");
        if (!files.isEmpty()) {
            unsquashfs.extract(archive, tree, files);
            makeReadable(tree, listing);
        }
        for (TreeEntry e : listing) {
            if (rejected.stream().anyMatch(r -> r.rawName().equals(e.path()))) {
                continue;
            }
            Path blob = null;
            if (e.type() == EntryType.FILE) {
                blob = tree.resolve(e.path());
                if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
                    throw new OperationFailedException("unsquashfs did not extract " + e.path() + " from " + archive
                            + "; check the image with 'unsquashfs -l'");
                }
            }
            entries.add(new StagedEntry(e, blob));
        }
        notes.add("squashfs archives are read through unsquashfs: modification times to the minute, no extended "
                + "attributes, hard links as separate files");
        return new StagedArchive(archive, TorcxArchiveFormat.SQUASHFS, staging, scratch, entries, rejected, notes);
    }

    /** Gives the owner read access to the extracted files and rwx to directories (modes come from the listing). */
    private static void makeReadable(Path tree, List<TreeEntry> listing) throws OperationFailedException {
        try {
            if (Files.isDirectory(tree)) {
                Files.setPosixFilePermissions(tree, EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            }
            for (TreeEntry e : listing) {
                if (e.path().isEmpty()) {
                    continue;
                }
                Path p = tree.resolve(e.path());
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p,
                        LinkOption.NOFOLLOW_LINKS));
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.OWNER_WRITE);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    perms.add(PosixFilePermission.OWNER_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot read the files unsquashfs extracted: "
                    + AtomicFiles.describe(e) + "; check the temporary directory");
        }
    }

    private static byte[] head(Path file, int n) throws OperationFailedException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + AtomicFiles.describe(e)
                    + "; check that it is readable");
        }
    }
}
