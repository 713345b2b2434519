package dev.sysextctl.cli;

import static dev.sysextctl.cli.HostileCase.of;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.cli.HostileCase.CaseDirs;
import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The cases of {@link HostileInputCorpusIT}, generated: archives, torcx files, release files, images, roots. */
final class HostileCorpus {
    static final String RELEASE = "usr/lib/extension-release.d/extension-release.hello";
    static final String HELLO = "#!/bin/sh\necho hello\n";

    private HostileCorpus() {
    }

    static List<HostileCase> cases() {
        List<HostileCase> all = new ArrayList<>();
        all.addAll(tarArchives());
        all.addAll(containerArchives());
        all.addAll(torcxImages());
        all.addAll(torcxProfiles());
        all.addAll(releaseFiles());
        all.addAll(images());
        all.addAll(roots());
        return all;
    }

    // ---- tar archives, in every compression

    /** The compressions a build source may have, with the real tool that makes each. */
    enum Compression {
        TAR("tar", null), GZIP("tar.gz", "gzip -n -c"), XZ("tar.xz", "xz -c"), ZSTD("tar.zst", "zstd -q -c"),
        BZIP2("tar.bz2", "bzip2 -c");

        final String suffix;
        final String command;

        Compression(String suffix, String command) {
            this.suffix = suffix;
            this.command = command;
        }

        /** Writes {@code tar} compressed into {@code in/source.SUFFIX} and returns that file. */
        Path write(CaseDirs d, byte[] tar) throws IOException {
            Path plain = d.base().resolve("plain.tar");
            Files.write(plain, tar);
            Path out = d.in("source." + suffix);
            if (command == null) {
                Files.copy(plain, out);
            } else {
                Shell.run("sh", "-c", command + " < '" + plain + "' > '" + out + "'").assertSuccess();
            }
            Files.delete(plain);
            return out;
        }
    }

    static TarBuilder helloTar() {
        return new TarBuilder().dir("usr/", 0755).dir("usr/bin/", 0755).file("usr/bin/hello", 0755, HELLO);
    }

    static List<String> build(CaseDirs d, String source, String... more) {
        List<String> argv = new ArrayList<>(List.of("build", d.arg(source), "--name", "hello", "-o",
                d.out().resolve("hello.raw").toString()));
        argv.addAll(Arrays.asList(more));
        return argv;
    }

    static List<HostileCase> tarArchives() {
        List<HostileCase> out = new ArrayList<>();
        for (Compression c : Compression.values()) {
            String src = "source." + c.suffix;
            String n = "tar-" + c.name().toLowerCase() + "-";
            out.add(of(n + "dotdot-entry", d -> c.write(d, helloTar()
                    .file("usr/../../../canary/evil", 0644, "evil").tar()), d -> build(d, src), 3, "unsafe-path"));
            out.add(of(n + "absolute-entry", d -> c.write(d, helloTar()
                    .file("/" + d.canaryFromRoot() + "/evil", 0644, "evil").tar()), d -> build(d, src), 3,
                    "unsafe-path"));
            out.add(of(n + "symlink-out-then-write-through", d -> c.write(d, helloTar()
                    .symlink("usr/lib", "../../../../../../../../../../../" + d.canaryFromRoot())
                    .file("usr/lib/evil", 0644, "evil").tar()), d -> build(d, src), 3, "unsafe-path"));
            out.add(of(n + "hardlink-out", d -> c.write(d, helloTar()
                    .hardlink("usr/bin/keep", "../../canary/keep").tar()), d -> build(d, src), 3, "unsafe-path"));
            out.add(of(n + "truncated", d -> {
                Path f = c.write(d, helloTar().file("usr/bin/big", 0755, noise(200_000)).tar());
                truncate(f, Files.size(f) / 2);
            }, d -> build(d, src), 1, "truncated at byte"));
            HostileCase corrupt = of(n + "corrupt-bytes", d -> {
                Path f = c.write(d, helloTar().file("usr/bin/big", 0755, noise(200_000)).tar());
                flip(f, c == Compression.TAR ? 0 : Files.size(f) / 2, 64);
            }, d -> build(d, src), 1, null);
            // xz checks are not verified and a tar header checksum is not checked: issue 11 item 6
            out.add(c == Compression.XZ || c == Compression.TAR ? corrupt : corrupt);
        }
        out.add(of("tar-os-release-in-image", d -> Compression.TAR.write(d, helloTar().dir("usr/lib/", 0755)
                .file("usr/lib/os-release", 0644, "ID=evil\n").tar()), d -> build(d, "source.tar"), 3,
                "os-release-in-image"));
        out.add(of("tar-not-an-archive", d -> Files.write(d.in("source.tar"), noise(4096)),
                d -> build(d, "source.tar"), Set.of(1, 2), null));
        out.add(of("tar-empty-file", d -> Files.write(d.in("source.tar"), new byte[0]),
                d -> build(d, "source.tar"), Set.of(1, 2, 3), null));
        out.add(of("tar-gnu-long-name-300MiB", d -> hugeHeader(d, 'L', 300 << 20), d -> build(d, "source.tar.zst"),
                Set.of(1, 3), null));
        out.add(of("tar-pax-header-300MiB", d -> hugeHeader(d, 'x', 300 << 20), d -> build(d, "source.tar.zst"),
                Set.of(1, 3), null));
        out.add(of("tar-gnu-volume-label", d -> {
            byte[] tar = helloTar().file("usr/bin/label", 0644, "").tar();
            setType(tar, "usr/bin/label", (byte) 'V');
            Compression.TAR.write(d, tar);
        }, d -> build(d, "source.tar", "--strict"), 3, "unsupported-entry"));
        out.add(of("tar-2000-component-path", d -> Compression.TAR.write(d, helloTar()
                .file("usr/" + "a/".repeat(2000) + "f", 0644, "deep").tar()), d -> build(d, "source.tar"),
                Set.of(0, 3), null));
        out.add(of("tar-bad-libarchive-xattr-escape", d -> Compression.TAR.write(d, helloTar()
                .file("usr/bin/x", 0644, "x".getBytes(StandardCharsets.UTF_8),
                        java.util.Map.of("LIBARCHIVE.xattr.user.%zz", "eA==")).tar()),
                d -> build(d, "source.tar", "--strict"), 3, "xattr-dropped"));
        out.add(of("tar-fifo-as-source", d -> Shell.run("mkfifo", d.arg("source.tar")).assertSuccess(),
                d -> build(d, "source.tar"), Set.of(1, 2), null));
        out.add(of("tar-name-climbing-out", d -> Compression.TAR.write(d, helloTar().tar()),
                d -> List.of("build", d.arg("source.tar"), "--name", "../canary/evil"), Set.of(2, 3), null));
        return out;
    }

    /** A zstd tar whose first header announces a GNU long name ('L') or a PAX header ('x') of {@code size} bytes. */
    static void hugeHeader(CaseDirs d, char type, long size) throws IOException {
        Process p = new ProcessBuilder("zstd", "-q", "-1", "-c").redirectOutput(d.in("source.tar.zst").toFile())
                .start();
        try (OutputStream o = p.getOutputStream()) {
            byte[] header = rawHeader("././@LongLink", type, size);
            o.write(header);
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) (type == 'L' ? 'a' : ' '));
            if (type == 'x') {
                byte[] rec = (size + " path=").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(rec, 0, chunk, 0, rec.length);
            }
            for (long left = size; left > 0; left -= chunk.length) {
                o.write(chunk, 0, (int) Math.min(left, chunk.length));
                if (type == 'x') {
                    Arrays.fill(chunk, 0, 32, (byte) ' ');
                }
            }
            o.write(new byte[(int) ((512 - size % 512) % 512)]);
            o.write(helloTar().tar());
        }
        try {
            assertThat(p.waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A ustar header block with a correct checksum. */
    static byte[] rawHeader(String name, char type, long size) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar  ");
        checksum(h, 0);
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static void checksum(byte[] tar, int at) {
        Arrays.fill(tar, at + 148, at + 156, (byte) ' ');
        int sum = 0;
        for (int i = at; i < at + 512; i++) {
            sum += tar[i] & 0xff;
        }
        put(tar, at + 148, String.format("%06o", sum));
        tar[at + 154] = 0;
    }

    /** Changes the type flag of the entry named {@code name} (and its checksum). */
    static void setType(byte[] tar, String name, byte type) {
        for (int at = 0; at + 512 <= tar.length; at += 512) {
            if (new String(tar, at, name.length(), StandardCharsets.US_ASCII).equals(name) && tar[at + name.length()]
                    == 0) {
                tar[at + 156] = type;
                checksum(tar, at);
                return;
            }
        }
        throw new AssertionError("no entry " + name);
    }

    static byte[] noise(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    static void truncate(Path f, long size) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
    }

    static void flip(Path f, long at, int n) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < n; i++) {
                r.seek(at + i);
                int b = r.read();
                r.seek(at + i);
                r.write(b ^ 0x5a);
            }
        }
    }

    // ---- container image archives (docker save): the outer archive

    /**
     * The members of a {@code docker save} archive of {@link #helloTar} as one layer: {@code L/layer.tar}, the
     * config {@code C.json} and a manifest.json naming {@code config} and {@code layer} (the real names unless a
     * case changes them). {@code withManifest} false leaves manifest.json out.
     */
    static TarBuilder dockerSave(String config, String layer, boolean withManifest) throws Exception {
        byte[] tar = helloTar().tar();
        String diffId = "sha256:" + java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(tar));
        TarBuilder t = new TarBuilder().dir("L/", 0755).file("L/layer.tar", 0644, tar)
                .file("C.json", 0644, "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
                        + "\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}");
        return withManifest ? t.file("manifest.json", 0644, "[{\"Config\":\"" + config + "\",\"RepoTags\":"
                + "[\"hello:1\"],\"Layers\":[\"" + layer + "\"]}]") : t;
    }

    static HostileCase.Generator dockerArchive(TarBuilder t) {
        return d -> Files.write(d.in("image.tar"), t.tar());
    }

    static List<String> buildImage(CaseDirs d) {
        return build(d, "image.tar").stream().map(a -> a.equals(d.arg("image.tar")) ? "docker-archive:" + a : a)
                .toList();
    }

    /** Writes {@code size} into the size field of the entry named {@code name} in GNU's base-256 form. */
    static void claimSize(byte[] tar, String name, long size) {
        for (int at = 0; at + 512 <= tar.length; at += 512) {
            if (new String(tar, at, name.length(), StandardCharsets.US_ASCII).equals(name) && tar[at + name.length()]
                    == 0) {
                tar[at + 124] = (byte) 0x80;
                for (int i = at + 135; i > at + 124; i--, size >>>= 8) {
                    tar[i] = (byte) size;
                }
                checksum(tar, at);
                return;
            }
        }
        throw new AssertionError("no entry " + name);
    }

    static List<HostileCase> containerArchives() {
        List<HostileCase> out = new ArrayList<>();
        out.add(of("docker-archive-dotdot-entry", d -> dockerArchive(dockerSave("C.json", "L/layer.tar", true)
                .file("../../canary/evil", 0644, "evil")).generate(d), HostileCorpus::buildImage, 3, "unsafe-path"));
        out.add(of("docker-archive-absolute-entry", d -> dockerArchive(dockerSave("C.json", "L/layer.tar", true)
                .file("/" + d.canaryFromRoot() + "/evil", 0644, "evil")).generate(d), HostileCorpus::buildImage, 3,
                "unsafe-path"));
        out.add(of("docker-archive-symlinked-manifest", d -> dockerArchive(dockerSave("C.json", "L/layer.tar", false)
                .symlink("manifest.json", "/" + d.canaryFromRoot() + "/keep")).generate(d), HostileCorpus::buildImage,
                3, "unsafe-path"));
        out.add(of("docker-archive-manifest-linked-up", d -> dockerArchive(dockerSave("C.json", "L/layer.tar", false)
                .symlink("manifest.json", "../canary/keep")).generate(d), HostileCorpus::buildImage, 3,
                "unsafe-path"));
        out.add(of("docker-archive-layer-path-escaping", d -> dockerArchive(dockerSave("C.json",
                "../canary/keep", true)).generate(d), HostileCorpus::buildImage, 3, "unsafe-path"));
        out.add(of("docker-archive-config-pointing-outside", d -> dockerArchive(dockerSave("/" + d.canaryFromRoot()
                + "/keep", "L/layer.tar", true)).generate(d), HostileCorpus::buildImage, 3, "unsafe-path"));
        out.add(of("docker-archive-duplicate-manifest", d -> dockerArchive(dockerSave("C.json", "L/layer.tar", true)
                .file("./manifest.json", 0644, "[{\"Config\":\"C.json\",\"Layers\":[]}]")).generate(d),
                HostileCorpus::buildImage, 3, "twice"));
        out.add(of("docker-archive-10GiB-size-claim", d -> {
            byte[] tar = dockerSave("C.json", "L/layer.tar", true).tar();
            claimSize(tar, "L/layer.tar", 10L << 30);
            Files.write(d.in("image.tar"), tar);
        }, HostileCorpus::buildImage, 1, "claims more data than the archive holds"));
        out.add(of("docker-archive-volume-label", d -> {
            byte[] tar = dockerSave("C.json", "L/layer.tar", true).file("label", 0644, "").tar();
            setType(tar, "label", (byte) 'V');
            Files.write(d.in("image.tar"), tar);
        }, HostileCorpus::buildImage, 3, "unsupported-entry"));
        out.add(of("docker-archive-gnu-long-name-1GiB", d -> {
            // only the header and 4 KiB: a reader that believed it would buffer 1 GiB
            byte[] header = rawHeader("././@LongLink", 'L', 1L << 30);
            Files.write(d.in("image.tar"), java.nio.ByteBuffer.allocate(512 + 4096 + 1024).put(header).array());
        }, HostileCorpus::buildImage, 3, "unsafe-path"));
        return out;
    }

    // ---- torcx images and profiles

    static final String ARCHIVE = "docker:20.10.torcx.tgz";

    static TarBuilder torcx(String manifest) {
        TarBuilder t = new TarBuilder().dir("./", 0755).dir("./bin", 0755).file("./bin/dockerd", 0755, HELLO);
        if (manifest != null) {
            t.dir("./.torcx", 0755).file("./.torcx/manifest.json", 0644, manifest);
        }
        return t;
    }

    static List<String> convert(CaseDirs d) {
        return List.of("convert", "torcx-image", d.arg(ARCHIVE), "-o", d.out().resolve("docker.raw").toString());
    }

    static HostileCase.Generator tgz(TarBuilder t) {
        return d -> Files.write(d.in(ARCHIVE), t.tgz());
    }

    static List<HostileCase> torcxImages() {
        String ok = "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/bin/dockerd\"]}}";
        List<HostileCase> out = new ArrayList<>();
        out.add(of("torcx-manifest-not-json", tgz(torcx("{\"kind\":")), HostileCorpus::convert, 3,
                "not valid JSON"));
        out.add(of("torcx-manifest-nested-100000", tgz(torcx("[".repeat(100_000))), HostileCorpus::convert, 3,
                "not valid JSON"));
        out.add(of("torcx-manifest-bin-not-array", tgz(torcx(
                "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":{\"a\":1}}}")), HostileCorpus::convert, 3,
                "not an array"));
        out.add(of("torcx-manifest-bin-not-string", tgz(torcx(
                "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[1]}}")), HostileCorpus::convert, 3,
                "non-string"));
        out.add(of("torcx-manifest-bin-climbing-out", d -> tgz(torcx(
                "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/../../../../" + d.canaryFromRoot()
                        + "/keep\"]}}")).generate(d), HostileCorpus::convert, Set.of(0, 3), null));
        out.add(of("torcx-entry-dotdot", tgz(torcx(ok).file("./../../canary/evil", 0644, "evil")),
                HostileCorpus::convert, 3, "unsafe-path"));
        out.add(of("torcx-entry-absolute", d -> tgz(torcx(ok).file("/" + d.canaryFromRoot() + "/evil", 0644, "evil"))
                .generate(d), HostileCorpus::convert, 3, "unsafe-path"));
        out.add(of("torcx-symlink-out-then-write-through", d -> tgz(torcx(ok)
                .symlink("./lib", "/" + d.canaryFromRoot()).file("./lib/evil", 0644, "evil")).generate(d),
                HostileCorpus::convert, Set.of(0, 3), null));
        out.add(of("torcx-not-gzip", d -> Files.write(d.in(ARCHIVE), noise(10_000)), HostileCorpus::convert,
                3, "not gzip-compressed"));
        out.add(of("torcx-truncated", d -> {
            Files.write(d.in(ARCHIVE), torcx(ok).file("./bin/big", 0755, noise(100_000)).tgz());
            truncate(d.in(ARCHIVE), Files.size(d.in(ARCHIVE)) / 2);
        }, HostileCorpus::convert, Set.of(1, 3), "not a readable"));
        out.add(of("torcx-manifest-20MiB-string", tgz(torcx("{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\""
                + "a".repeat(20 << 20) + "\"]}}")), HostileCorpus::convert, Set.of(1, 3), null));
        return out;
    }

    /** A torcx-era root in {@code out}: os-release, the docker archive in the user store, the given profile. */
    static void torcxRoot(CaseDirs d, String profile, String nextProfile) throws IOException {
        Path root = d.out();
        write(root.resolve("usr/lib/os-release"), "ID=flatcar\nVERSION_ID=3760.2.0\nSYSEXT_LEVEL=1.0\n");
        Files.createDirectories(root.resolve("var/lib/torcx/store"));
        Files.write(root.resolve("var/lib/torcx/store/docker:20.10.torcx.tgz"), torcx(
                "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/bin/dockerd\"]}}").tgz());
        if (profile != null) {
            write(root.resolve("etc/torcx/profiles/custom.json"), profile);
        }
        if (nextProfile != null) {
            write(root.resolve("etc/torcx/next-profile"), nextProfile);
        }
    }

    static List<String> convertProfile(CaseDirs d) {
        return List.of("convert", "torcx-profile", "--root", d.out().toString(), "-o", d.out().resolve("converted")
                .toString());
    }

    static List<HostileCase> torcxProfiles() {
        List<HostileCase> out = new ArrayList<>();
        out.add(of("torcx-profile-not-json", d -> torcxRoot(d, "{\"kind", "custom\n"), HostileCorpus::convertProfile,
                3, "not valid JSON"));
        out.add(of("torcx-profile-wrong-kind", d -> torcxRoot(d, "{\"kind\":\"profile-manifest-v9\"}", "custom\n"),
                HostileCorpus::convertProfile, 3, "profile-manifest-v9"));
        out.add(of("torcx-profile-image-name-climbing-out", d -> torcxRoot(d, "{\"kind\":\"profile-manifest-v1\","
                + "\"value\":{\"images\":[{\"name\":\"../../../canary/keep\",\"reference\":\"1\"}]}}", "custom\n"),
                HostileCorpus::convertProfile, Set.of(1, 3), "not converted").writesReportOnFailure());
        out.add(of("torcx-next-profile-climbing-out", d -> torcxRoot(d, null, "../../../../canary/keep\n"),
                HostileCorpus::convertProfile, Set.of(0, 1, 3), "not found").writesReportOnFailure());
        out.add(of("torcx-store-symlink-out-of-root", d -> {
            torcxRoot(d, "{\"kind\":\"profile-manifest-v1\",\"value\":{\"images\":[{\"name\":\"docker\","
                    + "\"reference\":\"20.10\"}]}}", "custom\n");
            Path store = d.out().resolve("var/lib/torcx/store");
            Files.move(store.resolve("docker:20.10.torcx.tgz"), d.canary().resolve("docker:20.10.torcx.tgz"));
            Files.delete(store);
            Files.createSymbolicLink(store, d.canary());
        }, HostileCorpus::convertProfile, Set.of(1, 3), "not converted").writesReportOnFailure());
        return out;
    }

    // ---- release files

    static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    static void helloTree(Path tree, String release) throws IOException {
        write(tree.resolve("usr/bin/hello"), HELLO);
        write(tree.resolve(RELEASE), release);
    }

    static void sparse(Path p, long size) throws IOException {
        Files.createDirectories(p.getParent());
        try (RandomAccessFile r = new RandomAccessFile(p.toFile(), "rw")) {
            r.setLength(size);
            r.seek(0);
            r.write("ID=_any\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A node root in {@code out} with a directory extension {@code hello} whose extension-release is 3 GB. */
    static void rootWithHugeRelease(CaseDirs d) throws IOException {
        write(d.out().resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        Path ext = d.out().resolve("var/lib/extensions/hello");
        write(ext.resolve("usr/bin/hello"), HELLO);
        sparse(ext.resolve(RELEASE), 3L << 30);
        helloTree(d.out().resolve("var/lib/extensions/other"), "ID=_any\n");
        Files.move(d.out().resolve("var/lib/extensions/other/" + RELEASE), d.out().resolve(
                "var/lib/extensions/other/usr/lib/extension-release.d/extension-release.other"));
    }

    static List<HostileCase> releaseFiles() {
        List<HostileCase> out = new ArrayList<>();
        out.add(of("release-target-os-release-not-utf8", d -> {
            helloTree(d.in("tree"), "ID=_any\n");
            Files.delete(d.in("tree").resolve(RELEASE));
            Files.write(d.in("os-release"), "ID=debian\nNAME=\"Deb\u00e9an\"\nVERSION_ID=12\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        }, d -> List.of("build", d.arg("tree"), "--name", "hello", "--target-os-release", d.arg("os-release"), "-o",
                d.out().resolve("hello.raw").toString()), 1, "is not valid UTF-8, so systemd refuses the file"));
        out.add(of("release-os-release-sparse-1GiB", d -> {
            helloTree(d.in("hello"), "ID=_any\n");
            sparse(d.in("os-release"), 1L << 30);
        }, d -> List.of("validate", d.arg("hello"), "--os-release", d.arg("os-release")), Set.of(1, 2, 3), null));
        out.add(of("release-os-release-is-a-directory", d -> helloTree(d.in("hello"), "ID=_any\n"),
                d -> List.of("validate", d.arg("hello"), "--os-release", d.in().toString()), Set.of(1, 2), null));
        out.add(of("release-os-release-missing", d -> helloTree(d.in("hello"), "ID=_any\n"),
                d -> List.of("validate", d.arg("hello"), "--os-release", d.arg("nothing")), Set.of(1, 2),
                "does not exist"));
        out.add(of("release-extension-release-link-out-of-image", d -> {
            write(d.in("hello/usr/bin/hello"), HELLO);
            Files.createDirectories(d.in("hello/usr/lib/extension-release.d"));
            Files.createSymbolicLink(d.in("hello/" + RELEASE), d.canary().resolve("keep"));
        }, d -> List.of("validate", d.arg("hello"), "--os", "debian", "--os-version", "12"), 3, null));
        out.add(of("release-extension-release-binary", d -> {
            write(d.in("hello/usr/bin/hello"), HELLO);
            Files.createDirectories(d.in("hello/usr/lib/extension-release.d"));
            Files.write(d.in("hello/" + RELEASE), noise(100_000));
        }, d -> List.of("validate", d.arg("hello"), "--os", "debian", "--os-version", "12"), 1, "could not be read"));
        out.add(of("release-list-huge-extension-release", HostileCorpus::rootWithHugeRelease,
                d -> List.of("list", "--root", d.out().toString()), 0, "other"));
        out.add(of("release-explain-huge-extension-release", HostileCorpus::rootWithHugeRelease,
                d -> List.of("explain", "hello", "--root", d.out().toString()), Set.of(0, 1, 3), null));
        out.add(of("release-merge-dry-run-huge-extension-release", HostileCorpus::rootWithHugeRelease,
                d -> List.of("merge", "--dry-run", "--engine", "native", "--root", d.out().toString()), 0, "other"));
        out.add(of("release-os-release-fifo", d -> {
            helloTree(d.in("hello"), "ID=_any\n");
            Shell.run("mkfifo", d.arg("os-release")).assertSuccess();
        }, d -> List.of("validate", d.arg("hello"), "--os-release", d.arg("os-release")), 1, "not a regular file"));
        out.add(of("release-extension-release-fifo", d -> {
            write(d.in("hello/usr/bin/hello"), HELLO);
            Files.createDirectories(d.in("hello/usr/lib/extension-release.d"));
            Shell.run("mkfifo", d.arg("hello/" + RELEASE)).assertSuccess();
        }, d -> List.of("validate", d.arg("hello"), "--os", "debian", "--os-version", "12"), 3, null));
        out.add(of("release-root-os-release-fifo", d -> {
            nodeRoot(d);
            Files.delete(d.out().resolve("usr/lib/os-release"));
            Shell.run("mkfifo", d.out().resolve("usr/lib/os-release").toString()).assertSuccess();
        }, d -> onRoot(d, "list"), Set.of(0, 1), null));
        out.add(of("release-build-set-newline-key", d -> helloTree(d.in("tree"), "ID=_any\n"),
                d -> List.of("build", d.arg("tree"), "--name", "hello", "--set", "A\nID=evil=1", "-o",
                        d.out().resolve("hello.raw").toString()), Set.of(2, 3), null));
        return out;
    }

    // ---- squashfs and erofs images

    /** A squashfs image of a hello tree made by mksquashfs with {@code options}. */
    static Path squashfs(CaseDirs d, String name, String... options) throws IOException {
        Path tree = d.base().resolve("tree-" + name);
        helloTree(tree, "ID=_any\n");
        return mksquashfs(d, tree, name, options);
    }

    static Path mksquashfs(CaseDirs d, Path tree, String name, String... options) throws IOException {
        Path img = d.in(name);
        List<String> argv = new ArrayList<>(List.of("mksquashfs", tree.toString(), img.toString(), "-noappend",
                "-quiet", "-all-root"));
        argv.addAll(Arrays.asList(options));
        Shell.run(argv).assertSuccess();
        return img;
    }

    /**
     * A squashfs image (uncompressed metadata) whose directory {@code usr/share/XXX...} is renamed to {@code name}
     * by patching the image, with {@code options} added to mksquashfs's.
     */
    static Path squashfsWithName(CaseDirs d, String name, String... options) throws IOException {
        Path tree = d.base().resolve("tree");
        helloTree(tree, "ID=_any\n");
        String placeholder = "X".repeat(name.length());
        write(tree.resolve("usr/share/" + placeholder + "/f"), "file\n");
        List<String> opts = new ArrayList<>(List.of("-noI", "-noD", "-noF", "-noX"));
        opts.addAll(Arrays.asList(options));
        Path img = mksquashfs(d, tree, "hello.raw", opts.toArray(String[]::new));
        patch(img, placeholder, name);
        return img;
    }

    /** Replaces every occurrence of {@code from} in {@code file} by {@code to} (the same length). */
    static void patch(Path file, String from, String to) throws IOException {
        assertThat(to).hasSameSizeAs(from);
        byte[] b = Files.readAllBytes(file);
        byte[] f = from.getBytes(StandardCharsets.ISO_8859_1);
        int n = 0;
        for (int i = 0; i + f.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.ISO_8859_1), 0, b, i, f.length);
                n++;
            }
        }
        assertThat(n).as("occurrences of " + from).isPositive();
        Files.write(file, b);
    }

    static List<String> inspect(CaseDirs d, String image) {
        return List.of("inspect", d.arg(image), "--files");
    }

    /**
     * An erofs image whose directory {@code XXX...} (as long as {@code name}) holds a compressed file, and whose
     * extension-release is compressed too (main's reader then had fsck.erofs extract the whole image to read it).
     */
    static Path erofsWithName(CaseDirs d, String name) throws IOException {
        Path tree = d.base().resolve("tree");
        helloTree(tree, "ID=_any\n" + "# padding\n".repeat(2000));
        String placeholder = "X".repeat(name.length());
        write(tree.resolve("usr/share/" + placeholder + "/f"), "compressible ".repeat(4000));
        Path img = d.in("hello.raw");
        Shell.run("mkfs.erofs", "--quiet", "-zlz4hc", "-T0", "--all-root", img.toString(), tree.toString())
                .assertSuccess();
        clearErofsChecksumFeature(img);
        patch(img, placeholder, name);
        return img;
    }

    /** Clears the superblock checksum feature (the patched image would otherwise fail it: a forger does so too). */
    static void clearErofsChecksumFeature(Path img) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(img.toFile(), "rw")) {
            r.seek(1024 + 8);
            int b = r.read();
            r.seek(1024 + 8);
            r.write(b & ~1);
        }
    }

    static List<HostileCase> images() {
        List<HostileCase> out = new ArrayList<>();
        out.add(of("squashfs-truncated", d -> {
            Path img = squashfs(d, "hello.raw", "-nopad");
            truncate(img, Files.size(img) / 3);
        }, d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("squashfs-bytes-used-beyond-the-file", d -> {
            Path img = squashfs(d, "hello.raw", "-nopad");
            try (RandomAccessFile r = new RandomAccessFile(img.toFile(), "rw")) {
                r.seek(40);
                r.write(new byte[] {0, 0, 0, 0x40, 0, 0, 0, 0});
            }
        }, d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("squashfs-zeros", d -> Files.write(d.in("hello.raw"), new byte[1 << 20]),
                d -> inspect(d, "hello.raw"), Set.of(1, 2), null));
        out.add(of("squashfs-dotdot-name", d -> squashfsWithName(d, ".."), d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("squashfs-slash-name", d -> squashfsWithName(d, "a/b"), d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("squashfs-name-climbing-out-lzo-unsquashfs-fallback", d -> squashfsWithName(d,
                "../".repeat(30) + d.canaryFromRoot(), "-comp", "lzo"), d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("image-fifo", d -> Shell.run("mkfifo", d.arg("hello.raw")).assertSuccess(),
                d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("image-character-device", d -> { }, d -> List.of("inspect", "/dev/zero"), 1, null));
        out.add(of("squashfs-one-bad-image-keeps-the-good-verdict", d -> {
            squashfs(d, "hello.raw");
            Files.write(d.in("bad.raw"), noise(8192));
        }, d -> List.of("validate", d.arg("hello.raw"), d.arg("bad.raw"), "--os", "debian", "--os-version", "12"),
                Set.of(1, 3), null).then((d, r) -> assertThat(r.stdout()).contains("hello.raw: accepted")));
        out.add(of("erofs-dotdot-name-compressed-file", d -> erofsWithName(d, "../".repeat(30)
                + d.canaryFromRoot()), d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("erofs-slash-name", d -> erofsWithName(d, "a/b"), d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("erofs-truncated", d -> {
            Path img = erofsWithName(d, "share");
            truncate(img, 1100);
        }, d -> inspect(d, "hello.raw"), 1, null));
        out.add(of("erofs-one-bad-image-keeps-the-good-verdict", d -> {
            erofsWithName(d, "share");
            Files.write(d.in("bad.raw"), Files.readAllBytes(d.in("hello.raw")));
            flip(d.in("bad.raw"), 4096, 2048);
        }, d -> List.of("validate", d.arg("hello.raw"), d.arg("bad.raw"), "--os", "debian", "--os-version", "12"),
                Set.of(1, 3), null).then((d, r) -> assertThat(r.stdout()).contains("hello.raw: accepted")));
        return out;
    }

    // ---- roots with hostile symlinks

    /** A node root in {@code out} with an image {@code hello} in {@code opt/extensions} and os-release. */
    static void nodeRoot(CaseDirs d) throws IOException {
        Path root = d.out();
        write(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        Path tree = d.base().resolve("tree");
        helloTree(tree, "ID=_any\n");
        Files.createDirectories(root.resolve("opt/extensions"));
        Shell.run("mksquashfs", tree.toString(), root.resolve("opt/extensions/hello.raw").toString(), "-noappend",
                "-quiet", "-all-root").assertSuccess();
    }

    static HostileCase.Generator rootLinking(String path, boolean absolute) {
        return d -> {
            nodeRoot(d);
            Path link = d.out().resolve(path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, absolute ? d.canary() : Path.of("../".repeat(20) + d.canaryFromRoot()));
        };
    }

    static List<String> onRoot(CaseDirs d, String... args) {
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        argv.addAll(List.of("--root", d.out().toString()));
        return argv;
    }

    static List<HostileCase> roots() {
        List<HostileCase> out = new ArrayList<>();
        for (boolean absolute : new boolean[] {true, false}) {
            String k = absolute ? "absolute" : "relative";
            out.add(of("root-enable-etc-extensions-" + k + "-link-out", rootLinking("etc/extensions", absolute),
                    d -> onRoot(d, "enable", d.out().resolve("opt/extensions/hello.raw").toString()), Set.of(0, 1, 3),
                    null));
            out.add(of("root-mask-etc-extensions-" + k + "-link-out", rootLinking("etc/extensions", absolute),
                    d -> onRoot(d, "mask", "hello"), Set.of(0, 1, 3), null));
            out.add(of("root-enable-run-" + k + "-link-out", rootLinking("run", absolute),
                    d -> onRoot(d, "enable", d.out().resolve("opt/extensions/hello.raw").toString(), "--runtime"),
                    Set.of(0, 1, 3), null));
            out.add(of("root-list-var-lib-extensions-" + k + "-link-out", rootLinking("var/lib/extensions", absolute),
                    d -> onRoot(d, "list"), 0, null));
        }
        out.add(of("root-disable-link-to-outside-file", d -> {
            nodeRoot(d);
            Files.createDirectories(d.out().resolve("etc/extensions"));
            Files.createSymbolicLink(d.out().resolve("etc/extensions/hello.raw"), d.canary().resolve("keep"));
        }, d -> onRoot(d, "disable", "hello"), Set.of(0, 1, 3), null));
        out.add(of("root-unmask-directory-link-out", d -> {
            nodeRoot(d);
            Files.createDirectories(d.out().resolve("etc/extensions"));
            Files.createSymbolicLink(d.out().resolve("etc/extensions/hello"), d.canary().resolve("sub"));
        }, d -> onRoot(d, "unmask", "hello"), Set.of(0, 1, 3), null));
        out.add(of("root-explain-os-release-link-out", d -> {
            nodeRoot(d);
            Files.delete(d.out().resolve("usr/lib/os-release"));
            Files.createSymbolicLink(d.out().resolve("usr/lib/os-release"), d.canary().resolve("keep"));
            Files.createDirectories(d.out().resolve("etc/extensions"));
            Files.createSymbolicLink(d.out().resolve("etc/extensions/hello.raw"), Path.of(
                    "../../opt/extensions/hello.raw"));
        }, d -> onRoot(d, "explain", "hello"), Set.of(0, 1, 3), null));
        out.add(of("root-convert-enable-etc-extensions-link-out", d -> {
            torcxRoot(d, "{\"kind\":\"profile-manifest-v1\",\"value\":{\"images\":[{\"name\":\"docker\","
                    + "\"reference\":\"20.10\"}]}}", "custom\n");
            Files.createDirectories(d.out().resolve("etc"));
            Files.createSymbolicLink(d.out().resolve("etc/extensions"), d.canary());
        }, d -> List.of("convert", "torcx-profile", "--root", d.out().toString(), "--enable"), Set.of(0, 1, 3),
                null));
        return out;
    }
}
