package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ErofsImageFs;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.image.squashfs.SquashfsImage;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tree of a DDI: the squashfs or erofs file system in its root (or {@code /usr}) partition, read in place by
 * the Java readers at the partition's offset, without loop devices or mounts (docs/ddi.md §5). Reading the tree
 * does not check the verity data: {@link DdiImage#verify} does.
 */
public final class DdiImageFs implements ImageFileSystem {
    private final DdiImage ddi;
    private final ImageFileSystem inner;

    private DdiImageFs(DdiImage ddi, ImageFileSystem inner) {
        this.ddi = ddi;
        this.inner = inner;
    }

    public static DdiImageFs open(Path image) throws OperationFailedException {
        return of(DdiImage.open(image));
    }

    public static DdiImageFs of(DdiImage ddi) throws OperationFailedException {
        GptPartition p = ddi.data();
        long offset = p.offset(Gpt.SECTOR);
        long size = p.size(Gpt.SECTOR);
        ImageFileSystem inner = switch (ddi.fileSystem()) {
            case SQUASHFS -> SquashfsImageFs.of(SquashfsImage.open(ddi.path(), offset, size));
            case EROFS -> new ErofsImageFs(ddi.path(), offset, size);
            default -> throw new OperationFailedException(ddi.path() + " is a DDI whose " + p.name() + " partition "
                    + "holds neither squashfs nor erofs; sysextctl reads those two (systemd-dissect reads others)");
        };
        return new DdiImageFs(ddi, inner);
    }

    /** The disk image around the tree. */
    public DdiImage ddi() {
        return ddi;
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        return inner.lstat(path);
    }

    @Override
    public List<TreeEntry> list(String path) throws OperationFailedException {
        return inner.list(path);
    }

    @Override
    public List<TreeEntry> walk() throws OperationFailedException {
        return inner.walk();
    }

    @Override
    public java.io.InputStream open(String path) throws OperationFailedException {
        return inner.open(path);
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        return inner.read(path);
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        return inner.xattrs(path);
    }

    @Override
    public void close() {
        inner.close();
    }
}
