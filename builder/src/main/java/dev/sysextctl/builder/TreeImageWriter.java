package dev.sysextctl.builder;

import dev.sysextctl.builder.tree.TreeSink;
import dev.sysextctl.builder.write.DirectoryDigest;
import dev.sysextctl.builder.write.DirectoryTreeWriter;
import dev.sysextctl.builder.write.ProcessIdentity;
import dev.sysextctl.builder.write.ScratchFiles;
import dev.sysextctl.builder.write.TarStreamWriter;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.process.StdinFailedException;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.ErofsOptions;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tools.SquashfsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a tree that is already final (every entry's owner, mode and time as the image holds them, parents before
 * children) with the builder's writers, without the sysext planning and lint of {@link ImageBuilder}: for images
 * that are not extensions, such as a composed {@code /usr} ({@code sysextctl compose}). The same entries give a
 * byte-identical image; the output appears under its name only when complete ({@link AtomicFiles}).
 */
public final class TreeImageWriter {
    /** Feeds the entries, in order, to the sink. */
    @FunctionalInterface
    public interface Feed {
        void writeTo(TreeSink sink) throws IOException, SysextctlException;
    }

    /** What was written: the image's sha256 (for a directory: {@link DirectoryDigest}) and its size in bytes. */
    public record Written(String sha256, long size) {
    }

    private final NativeTools tools;

    public TreeImageWriter(NativeTools tools) {
        this.tools = tools;
    }

    /**
     * @param epoch the file system's time stamp (squashfs, erofs)
     * @param force replace an existing {@code output}
     */
    public Written write(Feed feed, BuildFormat format, Compression compression, long epoch, Path output,
            boolean force) throws SysextctlException {
        Path out = output.toAbsolutePath().normalize();
        if (!force && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(out + " already exists; pass --force to replace it or choose another -o");
        }
        Compression c = compression != null ? compression : format.defaultCompression();
        boolean root = ProcessIdentity.current().isRoot();
        try (ScratchFiles scratch = new ScratchFiles()) {
            Files.createDirectories(out.getParent());
            Path tmp = scratch.sibling(out);
            switch (format) {
                case SQUASHFS -> {
                    try {
                        tools.mksquashfs().buildFromTar(stdin -> {
                            try (TarStreamWriter tar = new TarStreamWriter(new ImageBuilder.KeepOpen(stdin))) {
                                feed.writeTo(tar);
                                tar.finish();
                            } catch (SysextctlException e) {
                                throw new ImageBuilder.WrappedFailure(e);
                            }
                        }, tmp, new SquashfsOptions(c, epoch, false, 0, List.of()));
                    } catch (StdinFailedException e) {
                        throw ImageBuilder.unwrap(e);
                    }
                    ImageBuilder.moveIntoPlace(tmp, out, force, scratch);
                }
                case EROFS -> {
                    Path stage = scratch.sibling(out.resolveSibling(out.getFileName() + ".stage"));
                    stage(feed, stage, root);
                    tools.mkfsErofs().build(stage, tmp, new ErofsOptions(c, epoch, false, List.of()));
                    scratch.delete(stage);
                    ImageBuilder.moveIntoPlace(tmp, out, force, scratch);
                }
                default -> {
                    stage(feed, tmp, root);
                    if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                        Path old = scratch.sibling(out);
                        Files.move(out, old);
                        Files.move(tmp, out);
                        scratch.delete(old);
                    } else {
                        Files.move(tmp, out);
                    }
                    scratch.release(tmp);
                    return new Written(DirectoryDigest.of(out), 0);
                }
            }
            return new Written(tools.checksums().sha256(out), Files.size(out));
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + out + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
    }

    private void stage(Feed feed, Path stage, boolean setOwners) throws IOException, SysextctlException {
        Files.createDirectory(stage);
        DirectoryTreeWriter writer = new DirectoryTreeWriter(stage, tools.specialFiles(), setOwners);
        feed.writeTo(writer);
        writer.finish();
    }
}
