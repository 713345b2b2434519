package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Entry-by-entry comparison of an image with the tree it should hold (integration tests). */
public final class ImageContents {
    private ImageContents() {
    }

    /** One expected or actual entry: what matters for "the same image". */
    public record Item(EntryType type, int mode, int uid, int gid, String linkTarget, int major, int minor,
            String content, Map<String, String> xattrs) {
    }

    /**
     * The tree at {@code dir} as an image would hold it: hard links as files, owners forced to root unless
     * {@code keepOwners}, {@code etc/} left out, {@code user.}/{@code trusted.} xattrs.
     */
    public static Map<String, Item> expected(Path dir, boolean keepOwners) throws Exception {
        Map<String, Item> out = new TreeMap<>();
        try (DirectoryImageFs fs = new DirectoryImageFs(dir)) {
            for (TreeEntry e : fs.walk()) {
                if (e.path().isEmpty() || e.topLevel().equals("etc")) {
                    continue;
                }
                out.put(e.path(), item(fs, e, keepOwners, dir.resolve(e.path())));
            }
        }
        return out;
    }

    /**
     * What an image holds: type, mode, owners and xattrs from its reader, contents from its extraction
     * (unsquashfs -d, fsck.erofs --extract).
     */
    public static Map<String, Item> actual(ImageFileSystem listing, Path extracted) throws Exception {
        Map<String, Item> out = new TreeMap<>();
        try (DirectoryImageFs fs = new DirectoryImageFs(extracted)) {
            for (TreeEntry e : listing.walk()) {
                if (e.path().isEmpty()) {
                    continue;
                }
                Item x = item(fs, fs.lstat(e.path()).orElseThrow(), true, extracted.resolve(e.path()));
                Map<String, String> xattrs = e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY
                        ? userOnly(listing.xattrs(e.path())) : Map.of();
                out.put(e.path(), new Item(e.type() == EntryType.HARDLINK ? EntryType.FILE : e.type(), e.mode(),
                        e.uid(), e.gid(), e.linkTarget(), e.devMajor(), e.devMinor(), x.content(), xattrs));
            }
        }
        return out;
    }

    private static Map<String, String> userOnly(Map<String, String> xattrs) {
        Map<String, String> out = new TreeMap<>(xattrs);
        out.keySet().removeIf(k -> !k.startsWith("user."));
        return out;
    }

    private static Item item(DirectoryImageFs fs, TreeEntry e, boolean keepOwners, Path p) throws Exception {
        String content = e.type() == EntryType.FILE ? new String(Files.readAllBytes(p),
                java.nio.charset.StandardCharsets.ISO_8859_1) : null;
        Map<String, String> xattrs = e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY
                ? DirectoryImageFs.userXattrs(p) : Map.of();
        return new Item(e.type(), e.mode(), keepOwners ? e.uid() : 0, keepOwners ? e.gid() : 0, e.linkTarget(),
                e.devMajor(), e.devMinor(), content, xattrs);
    }

    /** Compares all entries but the extension-release (which the test checks separately). */
    public static void assertSameTree(Map<String, Item> actual, Map<String, Item> expected) {
        Map<String, Item> a = new TreeMap<>(actual);
        a.keySet().removeIf(k -> k.startsWith("usr/lib/extension-release.d"));
        Map<String, Item> x = new TreeMap<>(expected);
        x.keySet().removeIf(k -> k.startsWith("usr/lib/extension-release.d"));
        assertThat(a.keySet()).containsExactlyElementsOf(x.keySet());
        for (String k : x.keySet()) {
            assertThat(a.get(k)).as(k).isEqualTo(x.get(k));
        }
    }

    /** True when the two paths are hard links to one inode. */
    public static boolean sameInode(Path a, Path b) throws Exception {
        return Files.getAttribute(a, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                .equals(Files.getAttribute(b, "unix:ino", LinkOption.NOFOLLOW_LINKS));
    }
}
