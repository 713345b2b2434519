package dev.sysextctl.provision.release;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.progress.ProgressListener;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.image.ExtensionImageReader;
import dev.sysextctl.provision.image.NameRules;
import dev.sysextctl.provision.sysupdate.NoopTransfer;
import dev.sysextctl.provision.sysupdate.Sha256Sums;
import dev.sysextctl.provision.sysupdate.TransferFile;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Lays out a sysupdate release directory, ready for any static HTTP server (the sysext-bakery layout):
 * {@code NAME-VERSION-ARCH.raw} images, {@code SHA256SUMS}, one transfer file per extension and the no-op
 * transfer. An existing directory is added to: its index keeps its other entries, a file already released
 * with the same bytes is left alone, one with other bytes under the same name is refused (a published version
 * never changes under the nodes' feet).
 *
 * <p>Everything is checked before anything is written; files go in through temporary names, images first and
 * the index last, so a client never sees an index entry whose file is not there yet.
 */
public final class ReleasePublisher {
    public static final String INDEX = "SHA256SUMS";

    private final ExtensionImageReader reader;
    private final ProgressListener progress;

    public ReleasePublisher(ExtensionImageReader reader) {
        this(reader, ProgressListener.NONE);
    }

    private ReleasePublisher(ExtensionImageReader reader, ProgressListener progress) {
        this.reader = reader;
        this.progress = progress;
    }

    /** This publisher telling {@code listener} how far it has come: a step per image read, then per image copied. */
    public ReleasePublisher withProgress(ProgressListener listener) {
        return new ReleasePublisher(reader, listener);
    }

    public ReleaseResult publish(List<Path> imagePaths, ReleaseOptions options)
            throws OperationFailedException, UsageException, RefusedException {
        try {
            return publishWithProgress(imagePaths, options);
        } finally {
            progress.done();
        }
    }

    private ReleaseResult publishWithProgress(List<Path> imagePaths, ReleaseOptions options)
            throws OperationFailedException, UsageException, RefusedException {
        if (imagePaths.isEmpty()) {
            throw new UsageException("no image given; name the image files to release");
        }
        Path dir = options.directory();
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir)) {
            throw new UsageException(dir + " exists and is not a directory; give -o a directory");
        }
        List<ExtensionImage> images = new ArrayList<>();
        Map<String, ExtensionImage> byFile = new LinkedHashMap<>();
        for (Path p : imagePaths) {
            progress.step("reading " + p.getFileName(), -1);
            ExtensionImage image = reader.read(p, options.extensionClass());
            progress.advance(1, image.sizeBytes());
            String fileName = NameRules.requireReleasable(image);
            ExtensionImage same = byFile.get(fileName);
            if (same != null) {
                if (!same.sha256().equals(image.sha256())) {
                    throw new RefusedException(p + " and " + same.path() + " would both be released as " + fileName
                            + " but differ; give each version its own " + image.versionKey());
                }
                continue;
            }
            byFile.put(fileName, image);
            images.add(image);
        }

        Sha256Sums index = readIndex(dir);
        List<ReleaseResult.Released> released = new ArrayList<>();
        for (Map.Entry<String, ExtensionImage> e : byFile.entrySet()) {
            released.add(checkAgainstDirectory(dir, e.getKey(), e.getValue(), index));
        }

        TreeSet<String> names = new TreeSet<>();
        Map<String, ExtensionImage> firstOfName = new LinkedHashMap<>();
        for (ExtensionImage i : images) {
            names.add(i.name());
            ExtensionImage other = firstOfName.putIfAbsent(i.name(), i);
            if (other != null && other.extensionClass() != i.extensionClass()) {
                throw new RefusedException(i.path() + " is a " + i.extensionClass().id() + " and " + other.path()
                        + " a " + other.extensionClass().id() + " of the same name '" + i.name() + "', which "
                        + "would share one transfer file; release them into separate directories");
            }
        }
        Map<String, String> existingTransfers = existingTransferFiles(dir);
        checkPatternsDisjoint(names, existingTransfers.keySet(), dir);

        List<String> notes = new ArrayList<>();
        Map<String, TransferFile> transfers = new LinkedHashMap<>();
        for (String name : names) {
            String url = options.baseUrl() != null ? options.baseUrl().directory()
                    : existingSourceUrl(dir, name, existingTransfers.get(name));
            transfers.put(name, new TransferFile(name, url, options.instancesMax(),
                    firstOfName.get(name).extensionClass()));
            String other = name + (options.systemd().usesTransferSuffix() ? ".conf" : ".transfer");
            if (Files.exists(dir.resolve(other))) {
                notes.add(dir.resolve(other) + " from an earlier release is still there beside "
                        + transfers.get(name).fileName(options.systemd())
                        + "; nodes should fetch only one of them, remove the other");
            }
        }

        // Write: images, transfer files, no-op transfer, index last.
        for (ReleaseResult.Released r : released) {
            if (!r.alreadyPresent()) {
                copyImage(byFile.get(r.fileName()).path(), dir.resolve(r.fileName()));
            }
            index = index.with(r.sha256(), r.fileName());
        }
        List<String> transferNames = new ArrayList<>();
        for (TransferFile t : transfers.values()) {
            String fileName = t.fileName(options.systemd());
            AtomicFiles.writeString(dir.resolve(fileName), t.render(), true);
            transferNames.add(fileName);
        }
        String noop = NoopTransfer.fileName(options.systemd());
        AtomicFiles.writeString(dir.resolve(noop), NoopTransfer.CONTENT, true);
        AtomicFiles.writeString(dir.resolve(INDEX), index.render(), true);
        return new ReleaseResult(dir, released, transferNames, noop, INDEX, notes);
    }

    private static Sha256Sums readIndex(Path dir) throws OperationFailedException, RefusedException {
        Path file = dir.resolve(INDEX);
        if (!Files.exists(file)) {
            return Sha256Sums.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        try {
            return Sha256Sums.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(file + ": " + e.getMessage() + ", which systemd-sysupdate would refuse; "
                    + "fix or remove that line (sha256sum format: 64 hex digits, two spaces, file name)");
        }
    }

    private static ReleaseResult.Released checkAgainstDirectory(Path dir, String fileName, ExtensionImage image,
            Sha256Sums index) throws OperationFailedException, RefusedException {
        Optional<Sha256Sums.Entry> listed = index.find(fileName);
        if (listed.isPresent() && !listed.get().sha256().equals(image.sha256())) {
            throw new RefusedException(dir.resolve(INDEX) + " already lists " + fileName + " with other content; "
                    + "a released version must not change, give the image a new " + image.versionKey());
        }
        Path target = dir.resolve(fileName);
        boolean present = false;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new RefusedException(target + " exists and is not a regular file; remove it");
            }
            String existing = ExtensionImageReader.digest(target).sha256();
            if (!existing.equals(image.sha256())) {
                if (listed.isPresent()) {
                    throw new RefusedException(target + " does not match its SHA256SUMS entry; restore it or "
                            + "remove both the file and its line");
                }
                throw new RefusedException(target + " exists with other content; a released version must not "
                        + "change, give the image a new " + image.versionKey()
                        + " (or remove the stale file)");
            }
            present = true;
        }
        return new ReleaseResult.Released(image.name(), image.version(), image.architecture(), fileName,
                image.sha256(), image.sizeBytes(), present);
    }

    /** Transfer files already in the directory (written by an earlier release): extension name → file name. */
    private static Map<String, String> existingTransferFiles(Path dir) throws OperationFailedException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            List<Path> sorted = new ArrayList<>();
            ds.forEach(sorted::add);
            sorted.sort(null);
            for (Path p : sorted) {
                String f = p.getFileName().toString();
                for (String suffix : new String[] {".conf", ".transfer"}) {
                    if (f.endsWith(suffix) && !f.startsWith(".")) {
                        String name = f.substring(0, f.length() - suffix.length());
                        if (!name.equals("noop") && Files.isRegularFile(p)) {
                            out.putIfAbsent(name, f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot list " + dir + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        return out;
    }

    /**
     * One directory, one index: {@code docker-@v-%a.raw} would also match {@code docker-compose-2.0-x86-64.raw}
     * (as version {@code compose-2.0}), so no name may be another's prefix followed by {@code -}.
     */
    private static void checkPatternsDisjoint(TreeSet<String> names, java.util.Set<String> existing, Path dir)
            throws RefusedException {
        TreeSet<String> all = new TreeSet<>(names);
        all.addAll(existing);
        for (String a : all) {
            for (String b : all) {
                if (!a.equals(b) && b.startsWith(a + "-") && (names.contains(a) || names.contains(b))) {
                    throw new RefusedException("the sysupdate pattern " + a + "-@v-%a.raw would also pick up " + b
                            + "'s images in " + dir + " (as versions '" + b.substring(a.length() + 1)
                            + "-…'); release " + a + " and " + b + " into separate directories");
                }
            }
        }
    }

    private static String existingSourceUrl(Path dir, String name, String transferFile)
            throws OperationFailedException, UsageException {
        if (transferFile != null) {
            try {
                Optional<String> url = TransferFile.sourcePathOf(
                        Files.readString(dir.resolve(transferFile), StandardCharsets.UTF_8));
                if (url.isPresent()) {
                    return url.get();
                }
            } catch (IOException e) {
                throw new OperationFailedException("cannot read " + dir.resolve(transferFile) + ": "
                        + AtomicFiles.describe(e) + "; check the permissions");
            }
        }
        throw new UsageException("no --base-url and no earlier transfer file for '" + name + "' in " + dir
                + "; give --base-url URL, the address the directory will be served at");
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private void copyImage(Path source, Path target) throws OperationFailedException {
        progress.step("copying " + target.getFileName(), sizeOf(source));
        AtomicFiles.write(target, out -> Files.copy(source, new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                progress.advance(0, len);
            }
        }), false,
                PosixFilePermissions.fromString("rw-r--r--"));
    }
}
