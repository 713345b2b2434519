package dev.sysextctl.merger.lab;

import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A scratch OS tree for the merge tests: {@code etc/os-release} (Debian 12 unless changed), a host file in
 * {@code /usr}, and images placed in the search directories.
 */
public final class Layout {
    private final Path root;

    private Layout(Path root) {
        this.root = root;
    }

    public static Layout create(Path dir) {
        Layout l = new Layout(dir);
        l.host("etc/os-release", Ext.DEBIAN_12);
        l.host("usr/share/sysext-test/host", "host");
        return l;
    }

    /** A layout over an existing tree. */
    public static Layout at(Path root) {
        return new Layout(root);
    }

    public Path root() {
        return root;
    }

    public Path path(String p) {
        return root.resolve(p.startsWith("/") ? p.substring(1) : p);
    }

    public Layout host(String path, String content) {
        try {
            Path p = path(path);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Layout osRelease(String text) {
        return host("etc/os-release", text);
    }

    public Layout remove(String path) {
        Lab.deleteTree(path(path));
        return this;
    }

    /** A squashfs image {@code dir/file}. */
    public Layout raw(String dir, String file, Ext ext) {
        mkdirs(dir);
        ext.squashfs(path(dir).resolve(file));
        return this;
    }

    /** {@code dir/NAME.raw} as squashfs. */
    public Layout raw(String dir, Ext ext) {
        return raw(dir, ext.name() + ".raw", ext);
    }

    public Layout directory(String dir, String entry, Ext ext) {
        ext.tree(path(dir).resolve(entry));
        return this;
    }

    public Layout directory(String dir, Ext ext) {
        return directory(dir, ext.name(), ext);
    }

    public Layout emptyDir(String dir, String name) {
        mkdirs(dir + "/" + name);
        return this;
    }

    public Layout file(String dir, String name, byte[] content) {
        try {
            mkdirs(dir);
            Files.write(path(dir).resolve(name), content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Layout link(String dir, String name, String target) {
        try {
            mkdirs(dir);
            Files.createSymbolicLink(path(dir).resolve(name), Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Layout fifo(String dir, String name) {
        mkdirs(dir);
        Shell.run("mkfifo", path(dir).resolve(name).toString()).assertSuccess();
        return this;
    }

    public Layout mkdirs(String dir) {
        try {
            Files.createDirectories(path(dir));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a chroot needs: the merged-usr links and mount points for /dev, /proc, /sys, /run. */
    public Layout chrootable() {
        try {
            for (String l : new String[] {"bin", "sbin", "lib", "lib64"}) {
                if (!Files.exists(path(l), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(path(l), Path.of("usr/" + l));
                }
            }
            for (String d : new String[] {"dev", "proc", "sys", "run", "tmp"}) {
                mkdirs(d);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy (cp -a: links, devices, xattrs kept) at {@code dir}. */
    public Layout copyTo(Path dir) {
        Shell.run("cp", "-a", root.toString(), dir.toString()).assertSuccess();
        return new Layout(dir);
    }
}
