package dev.sysextctl.core.image.squashfs;

import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Source trees with everything squashfs stores, and images of them made by the real mksquashfs. */
final class SquashfsFixtures {
    static final String LONG_NAME = "n".repeat(250) + ".conf";
    static final int MANY = 2000;

    private SquashfsFixtures() {
    }

    /**
     * A tree with small, empty, multi-block, incompressible, exactly-one-block and sparse files, hard links,
     * symlinks (short, absolute, long), character and block devices (large numbers), a FIFO, a socket, a 255-byte
     * name, a UTF-8 name, a directory of {@value #MANY} entries (indexed), odd modes and owners, timestamps, and
     * user/trusted/security xattrs (shared, large, out-of-line, on hundreds of files). Needs root.
     */
    static Path richTree(Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("usr/bin"));
        Files.createDirectories(src.resolve("usr/lib/many"));
        Files.createDirectories(src.resolve("usr/lib/extension-release.d"));
        Files.createDirectories(src.resolve("opt/empty"));
        Files.writeString(src.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
        Files.writeString(src.resolve("usr/bin/empty"), "");
        Files.writeString(src.resolve("usr/lib/extension-release.d/extension-release.other"), "ID=_any\n");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 30000; i++) {
            big.append("line ").append(i).append(" of a compressible file\n");
        }
        Files.writeString(src.resolve("usr/lib/big.txt"), big);
        Random random = new Random(7);
        Files.write(src.resolve("usr/lib/random.bin"), bytes(random, 300_000));
        Files.write(src.resolve("usr/lib/exact-block.bin"), bytes(random, 131072));
        Files.write(src.resolve("usr/lib/two-blocks.bin"), bytes(random, 262144));
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("usr/lib/sparse.bin").toFile(), "rw")) {
            f.write(bytes(random, 10_000));
            f.seek(700_000);
            f.write(bytes(random, 10_000));
            f.setLength(1_200_000);
        }
        for (int i = 0; i < MANY; i++) {
            Files.writeString(src.resolve("usr/lib/many/file-with-a-longish-name-" + i), "n" + i);
        }
        Files.writeString(src.resolve("usr/lib/" + LONG_NAME), "long\n");
        Files.writeString(src.resolve("usr/lib/grüße-ünïcødé"), "utf-8\n");
        Files.createLink(src.resolve("usr/bin/hello-again"), src.resolve("usr/bin/hello"));
        Files.createLink(src.resolve("usr/lib/random-link.bin"), src.resolve("usr/lib/random.bin"));
        Files.createSymbolicLink(src.resolve("usr/bin/hi"), Path.of("hello"));
        Files.createSymbolicLink(src.resolve("usr/bin/abs"), Path.of("/usr/lib/" + "x".repeat(200)));
        Files.createSymbolicLink(src.resolve("usr/lib/dangling"), Path.of("../nowhere/at/all"));
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(src.resolve("usr/lib/socket")));
        }
        Shell.shOk("cd '" + src + "' && chmod 4755 usr/bin/hello && chmod 1777 opt/empty && chmod 2750 usr/lib "
                + "&& chmod 0600 usr/lib/big.txt && chmod 0444 usr/lib/exact-block.bin "
                + "&& mknod usr/lib/wh c 0 0 && mknod usr/lib/blk b 7 300 && mknod usr/lib/chr c 300 70000 "
                + "&& mkfifo usr/lib/fifo && chown 70000:1234 usr/lib/random.bin && chown 5:6 usr/bin/empty "
                + "&& chown -h 7:8 usr/bin/hi "
                + "&& touch -h -d '2001-02-03 04:05:06 UTC' usr/bin/hi usr/lib/big.txt "
                + "&& touch -d '1999-12-31 23:59:59 UTC' opt/empty");
        StringBuilder xattrs = new StringBuilder("cd '" + src + "'\n");
        xattrs.append("setfattr -n user.extension-release.strict -v 0 "
                + "usr/lib/extension-release.d/extension-release.other\n");
        String bigValue = "v".repeat(3000);
        for (String f : List.of("usr/bin/empty", "usr/lib/random.bin", "usr/lib/many/file-with-a-longish-name-1")) {
            xattrs.append("setfattr -n user.shared -v 'same value everywhere' ").append(f).append('\n');
            xattrs.append("setfattr -n user.big -v ").append(bigValue).append(' ').append(f).append('\n');
        }
        xattrs.append("setfattr -n trusted.overlay.opaque -v y opt/empty\n");
        xattrs.append("setfattr -n security.sysextctl -v secret usr/bin/hello\n");
        xattrs.append("setfattr -n user.on-a-directory -v 0x00ff10 usr/lib/many\n");
        for (int i = 0; i < 400; i++) {
            xattrs.append("setfattr -n user.id -v id-").append(i).append("-").append("p".repeat(i % 50))
                    .append(" usr/lib/many/file-with-a-longish-name-").append(i).append('\n');
        }
        Path script = dir.resolve("xattrs.sh");
        Files.writeString(script, xattrs);
        Shell.run("sh", "-e", script.toString()).assertSuccess();
        return src;
    }

    /** A small tree: a release file, a few files, a link, an xattr. */
    static Path smallTree(Path dir) throws IOException {
        Path src = Files.createTempDirectory(dir, "small");
        Files.createDirectories(src.resolve("usr/lib/extension-release.d"));
        Files.createDirectories(src.resolve("usr/bin"));
        Files.writeString(src.resolve("usr/lib/extension-release.d/extension-release.small"), "ID=debian\n"
                + "VERSION_ID=12\n");
        Files.write(src.resolve("usr/bin/tool"), bytes(new Random(3), 9000));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            text.append("text ").append(i).append('\n');
        }
        Files.writeString(src.resolve("usr/lib/text"), text);
        Files.createSymbolicLink(src.resolve("usr/bin/alias"), Path.of("tool"));
        Shell.shOk("setfattr -n user.extension-release.strict -v 0 '"
                + src.resolve("usr/lib/extension-release.d/extension-release.small") + "'");
        return src;
    }

    static Path mksquashfs(Path src, Path image, List<String> options) {
        List<String> argv = new ArrayList<>(List.of("mksquashfs", src.toString(), image.toString(), "-noappend",
                "-quiet", "-no-progress"));
        argv.addAll(options);
        Shell.run(argv).assertSuccess();
        return image;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
