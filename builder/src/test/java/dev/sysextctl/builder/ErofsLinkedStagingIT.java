package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.tree.ImagePlan;
import dev.sysextctl.builder.tree.LayeredTree;
import dev.sysextctl.builder.write.DirectoryTreeWriter;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.ErofsOptions;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage mkfs.erofs reads (bare erofs images and the erofs inside a DDI) links the source files instead of
 * copying them where it can (docs/ddi.md §8): the image is byte for byte the one a copied stage gives with the
 * mkfs.erofs options of before, and the source files are left as they were.
 */
@Requires(root = true, tools = {"mkfs.erofs", "mknod", "setfattr"})
class ErofsLinkedStagingIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));
    static final long EPOCH = 1234;

    @TempDir
    Path tmp;
    Path tree;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    /**
     * A tree without extended attributes: modes (setuid, 0600), another owner, a hard link inside the tree, a file
     * that has a second link outside it, an empty file, a symlink, nodes, etc/ (left out), old mtimes.
     */
    static Path makeTree(Path tree) {
        Shell.shOk("mkdir -p '" + tree + "' && cd '" + tree + "' && mkdir -p usr/bin usr/lib/app usr/share/doc etc/app "
                + "opt/x && printf '#!/bin/sh\\necho tool\\n' > usr/bin/tool && chmod 4755 usr/bin/tool && "
                + "ln usr/bin/tool usr/bin/tool-hard && ln -s tool usr/bin/tool-soft && : > usr/bin/empty && "
                + "head -c 300000 /dev/urandom > usr/lib/app/lib.so.1 && chmod 0600 usr/lib/app/lib.so.1 && "
                + "chown 1000:1000 usr/lib/app/lib.so.1 && printf doc > usr/share/doc/file && "
                + "ln usr/share/doc/file ../outside-link && mknod usr/lib/whiteout c 0 0 && mkfifo usr/lib/fifo && "
                + "printf conf > etc/app/app.conf && printf x > opt/x/y && "
                + "find . -exec touch -h -d @1000000 {} +");
        return tree;
    }

    @BeforeEach
    void setUp() {
        tree = makeTree(tmp.resolve("tree"));
    }

    private BuildReport build(String out, Path... sources) throws Exception {
        List<ImageSource> s = new ArrayList<>();
        for (Path p : sources) {
            s.add(new DirectorySource(p));
        }
        return new ImageBuilder(tools).build(BuildRequest.builder("app").sources(s).extensionRelease(RELEASE)
                .format(BuildFormat.EROFS).compression(Compression.NONE).output(tmp.resolve(out))
                .sourceDateEpoch(EPOCH).build());
    }

    /** The plan of the sources staged by {@code writer} (into its root). */
    private static void stage(List<ImageSource> sources, DirectoryTreeWriter writer) throws Exception {
        ImagePlan plan = ImagePlan.of(LayeredTree.scan(sources, new Findings()), "app", RELEASE, EPOCH, false);
        plan.write(sources, writer);
        writer.finish();
    }

    /** The image as before linking: every file copied into the stage, mkfs.erofs with the options of before. */
    private byte[] copiedStageImage(String name, Path... sources) throws Exception {
        List<ImageSource> s = new ArrayList<>();
        for (Path p : sources) {
            s.add(new DirectorySource(p));
        }
        Path stage = Files.createDirectory(tmp.resolve(name + ".stage"));
        stage(s, new DirectoryTreeWriter(stage, tools.specialFiles(), true));
        Path image = tmp.resolve(name + ".raw");
        tools.mkfsErofs().build(stage, image, new ErofsOptions(Compression.NONE, EPOCH, true, List.of()));
        return Files.readAllBytes(image);
    }

    /** Every path of {@code root} with its type, mode, owner, size, mtime and link count (no ctime, no atime). */
    private static Map<String, String> attributes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(root.relativize(p).toString(), Files.readAttributes(p,
                        "unix:mode,uid,gid,size,lastModifiedTime,nlink,ino", LinkOption.NOFOLLOW_LINKS).toString());
            }
        }
        return out;
    }

    @Test
    void aLinkedStageGivesTheImageOfACopiedOne() throws Exception {
        byte[] copied = copiedStageImage("copied", tree);

        Path stage = Files.createDirectory(tmp.resolve("linked.stage"));
        DirectoryTreeWriter linking = DirectoryTreeWriter.linkingSourceFiles(stage, tools.specialFiles(), true, false);
        stage(List.of(new DirectorySource(tree)), linking);
        assertThat(linking.linkedFiles()).as("tool, empty, lib.so.1, doc/file, opt/x/y linked; the release "
                + "written").isEqualTo(5);
        assertThat(Files.readAttributes(stage.resolve("usr/lib/app/lib.so.1"), "unix:ino").get("ino"))
                .isEqualTo(Files.readAttributes(tree.resolve("usr/lib/app/lib.so.1"), "unix:ino").get("ino"));
        Path linked = tmp.resolve("linked.raw");
        tools.mkfsErofs().build(stage, linked, new ErofsOptions(Compression.NONE, EPOCH, true,
                List.of(ErofsOptions.NO_XATTRS)));
        assertThat(Files.readAllBytes(linked)).isEqualTo(copied);

        build("built.raw", tree);
        assertThat(Files.readAllBytes(tmp.resolve("built.raw"))).isEqualTo(copied);
    }

    @Test
    void theBuildLinksTheSourceFilesAndChangesNoneOfThem() throws Exception {
        Map<String, String> before = attributes(tree);
        Object ctime = Files.getAttribute(tree.resolve("usr/lib/app/lib.so.1"), "unix:ctime");
        Thread.sleep(20);
        build("app.raw", tree);
        assertThat(Files.getAttribute(tree.resolve("usr/lib/app/lib.so.1"), "unix:ctime"))
                .as("linked into the stage and unlinked again (a copy only reads it)").isNotEqualTo(ctime);
        assertThat(attributes(tree)).as("mode, owner, mtime and link count of every source path").isEqualTo(before);
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }

    @Test
    void aSourceFilesOtherExtendedAttributesStayOutOfTheImageAsWithACopy() throws Exception {
        Shell.shOk("setfattr -n trusted.sysextctl -v linked '" + tree.resolve("usr/bin/tool") + "' && "
                + "setfattr -n trusted.sysextctl -v linked '" + tree.resolve("usr/lib/app/lib.so.1") + "'");
        byte[] copied = copiedStageImage("copied", tree);
        build("built.raw", tree);
        assertThat(Files.readAllBytes(tmp.resolve("built.raw"))).isEqualTo(copied);
    }

    @Test
    void twoSourcesSharingAnInodeStayTwoFilesAsWithACopy() throws Exception {
        Path b = tmp.resolve("b");
        Shell.shOk("mkdir -p '" + b + "/usr/bin' && ln '" + tree.resolve("usr/share/doc/file") + "' '" + b
                + "/usr/bin/same-inode' && touch -h -d @1000000 '" + b + "' '" + b + "/usr' '" + b + "/usr/bin'");
        byte[] copied = copiedStageImage("copied", tree, b);
        build("built.raw", tree, b);
        assertThat(Files.readAllBytes(tmp.resolve("built.raw"))).isEqualTo(copied);
    }
}
