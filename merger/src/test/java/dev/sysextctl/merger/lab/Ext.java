package dev.sysextctl.merger.lab;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test extension, built by code: its extension-release (or none), files, links, whiteouts; written as a
 * directory tree or packed with the real mksquashfs, mkfs.erofs or mkfs.ext4.
 */
public final class Ext {
    public static final String DEBIAN_12 = "ID=debian\nVERSION_ID=12\n";
    private final String name;
    private String release = DEBIAN_12;
    private final Map<String, String> files = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();
    private final List<String> dirs = new ArrayList<>();
    private final List<String> whiteouts = new ArrayList<>();
    private final List<String> opaque = new ArrayList<>();
    private final Map<String, String[]> releaseFiles = new LinkedHashMap<>();
    private final ExtensionClass cls;

    private Ext(String name) {
        this(name, ExtensionClass.SYSEXT);
    }

    private Ext(String name, ExtensionClass cls) {
        this.name = name;
        this.cls = cls;
    }

    /**
     * A configuration extension: its release is {@code etc/extension-release.d/extension-release.NAME} for Debian
     * 12, with one file of its own, {@code etc/NAME.conf}.
     */
    public static Ext confext(String name) {
        return new Ext(name, ExtensionClass.CONFEXT).file("etc/" + name + ".conf", name);
    }

    /** An extension whose release is {@code extension-release.NAME} for Debian 12, with one file of its own. */
    public static Ext named(String name) {
        return new Ext(name).file("usr/share/sysext-test/" + name, name);
    }

    /** An extension with no content yet (only what is added). */
    public static Ext bare(String name) {
        return new Ext(name);
    }

    public String name() {
        return name;
    }

    public Ext release(String text) {
        this.release = text;
        return this;
    }

    public Ext noRelease() {
        this.release = null;
        return this;
    }

    public Ext file(String path, String content) {
        files.put(path, content);
        return this;
    }

    public Ext dir(String path) {
        dirs.add(path);
        return this;
    }

    public Ext symlink(String path, String target) {
        links.put(path, target);
        return this;
    }

    public Ext whiteout(String path) {
        whiteouts.add(path);
        return this;
    }

    public Ext opaque(String dir) {
        opaque.add(dir);
        return this;
    }

    /** An extra file in usr/lib/extension-release.d, with {@code user.extension-release.strict} (null: none). */
    public Ext releaseFile(String fileName, String text, String strictXattr) {
        releaseFiles.put(fileName, new String[] {text, strictXattr});
        return this;
    }

    public Path tree(Path dir) {
        try {
            Files.createDirectories(dir);
            if (release != null) {
                write(dir.resolve(cls.releasePath(name)), release);
            }
            for (Map.Entry<String, String[]> e : releaseFiles.entrySet()) {
                Path p = dir.resolve(cls.releaseDirectory() + "/" + e.getKey());
                write(p, e.getValue()[0]);
                if (e.getValue()[1] != null) {
                    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                    v.write("extension-release.strict", ByteBuffer.wrap(e.getValue()[1].getBytes(
                            StandardCharsets.UTF_8)));
                }
            }
            for (String d : dirs) {
                Files.createDirectories(dir.resolve(d));
            }
            for (Map.Entry<String, String> f : files.entrySet()) {
                write(dir.resolve(f.getKey()), f.getValue());
            }
            for (Map.Entry<String, String> l : links.entrySet()) {
                Path p = dir.resolve(l.getKey());
                Files.createDirectories(p.getParent());
                Files.createSymbolicLink(p, Path.of(l.getValue()));
            }
            for (String w : whiteouts) {
                Path p = dir.resolve(w);
                Files.createDirectories(p.getParent());
                Shell.run("mknod", p.toString(), "c", "0", "0").assertSuccess();
            }
            for (String o : opaque) {
                Path p = dir.resolve(o);
                Files.createDirectories(p);
                Shell.run("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", p.toString()).assertSuccess();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path squashfs(Path file) {
        Path t = tree(scratch(file));
        Shell.run("mksquashfs", t.toString(), file.toString(), "-noappend", "-all-root", "-quiet", "-no-progress")
                .assertSuccess();
        Lab.deleteTree(t);
        return file;
    }

    public Path erofs(Path file) {
        Path t = tree(scratch(file));
        Shell.run("mkfs.erofs", "--quiet", "--all-root", file.toString(), t.toString()).assertSuccess();
        Lab.deleteTree(t);
        return file;
    }

    public Path ext4(Path file) {
        Path t = tree(scratch(file));
        Shell.run("mkfs.ext4", "-q", "-F", "-d", t.toString(), file.toString(), "8M").assertSuccess();
        Lab.deleteTree(t);
        return file;
    }

    private static Path scratch(Path file) {
        try {
            return Files.createTempDirectory(file.toAbsolutePath().getParent(), ".tree-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }
}
