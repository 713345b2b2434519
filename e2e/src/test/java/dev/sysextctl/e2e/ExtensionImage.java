package dev.sysextctl.e2e;

import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A system extension made in test code: a tree of files and the lines of its {@code extension-release}, built into a
 * squashfs image by the repository's {@code sysextctl build} on the host, as a user would make it. The tree goes in as
 * the source; the release lines become the build's options ({@code ID} → {@code --os}, {@code VERSION_ID} →
 * {@code --os-version}, {@code SYSEXT_VERSION_ID} → {@code --version}, {@code EXTENSION_RELOAD_MANAGER=1} →
 * {@code --reload-manager}, …, anything else {@code --set}), so the image holds the same files and fields as the tree
 * written by {@link #writeTree} (ExtensionImageIT compares them). Every image of the end-to-end tests is made here.
 *
 * <pre>{@code
 * Path raw = ExtensionImage.named("hello")
 *         .release("ID=debian", "VERSION_ID=12")
 *         .file("usr/bin/hello", "#!/bin/sh\necho hello\n", 0755)
 *         .unit("hello.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/bin/hello\n")
 *         .upheldBy("multi-user.target", "hello.service")
 *         .squashfs(tempDir);
 * }</pre>
 */
public final class ExtensionImage {
    /** Images built in this JVM, by {@link #contentKey()}. */
    private static final Map<String, CompletableFuture<byte[]>> BUILT = new ConcurrentHashMap<>();

    private final String name;
    private final Map<String, Entry> files = new LinkedHashMap<>();
    private List<String> release = List.of("ID=_any");

    private record Entry(byte[] content, int mode) {
    }

    private ExtensionImage(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not an extension name: '" + name + "'");
        }
        this.name = name;
    }

    public static ExtensionImage named(String name) {
        return new ExtensionImage(name);
    }

    public String name() {
        return name;
    }

    /** The lines of {@code usr/lib/extension-release.d/extension-release.NAME} (default {@code ID=_any}). */
    public ExtensionImage release(String... lines) {
        this.release = List.of(lines);
        return this;
    }

    /** A file at {@code path}, relative to the image's root (e.g. {@code usr/bin/hello}). */
    public ExtensionImage file(String path, String content, int mode) {
        if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a relative path inside the image: '" + path + "'");
        }
        files.put(path, new Entry(content.getBytes(StandardCharsets.UTF_8), mode));
        return this;
    }

    /** A unit file in {@code usr/lib/systemd/system}. */
    public ExtensionImage unit(String unitName, String content) {
        return file("usr/lib/systemd/system/" + unitName, content, 0644);
    }

    /**
     * Starts {@code unitName} with {@code target} the way Flatcar's extensions do: a drop-in
     * {@code usr/lib/systemd/system/TARGET.d/10-UNIT.conf} with {@code Upholds=UNIT}; the unit name's suffix is left
     * out of the file name ({@code hello.service} → {@code 10-hello.conf}).
     */
    public ExtensionImage upheldBy(String target, String unitName) {
        String stem = unitName.contains(".") ? unitName.substring(0, unitName.lastIndexOf('.')) : unitName;
        return file("usr/lib/systemd/system/" + target + ".d/10-" + stem + ".conf",
                "[Unit]\nUpholds=" + unitName + "\n", 0644);
    }

    /** Writes the tree to {@code dir/NAME}, its extension-release file included, and returns that directory. */
    public Path writeTree(Path dir) {
        Path root = writeFiles(dir);
        try {
            write(root, "usr/lib/extension-release.d/extension-release." + name,
                    new Entry((String.join("\n", release) + "\n").getBytes(StandardCharsets.UTF_8), 0644));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the extension-release of extension " + name, e);
        }
        return root;
    }

    /** Writes the files to {@code dir/NAME}, without the extension-release file (the builder makes that one). */
    Path writeFiles(Path dir) {
        Path root = dir.resolve(name);
        try {
            Files.createDirectories(root);
            for (Map.Entry<String, Entry> f : files.entrySet()) {
                write(root, f.getKey(), f.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tree of extension " + name, e);
        }
    }

    /**
     * Builds the image {@code dir/NAME.raw} with {@code sysextctl build} (squashfs, every file owned by root, modes
     * kept, timestamps 0) and returns it. The builder is reproducible: an extension with the same name, release lines
     * and files is built once per JVM and its bytes reused (several tests use the same docker-like image).
     */
    public Path squashfs(Path dir) {
        Path raw = dir.resolve(name + ".raw");
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> built = BUILT.putIfAbsent(contentKey(), mine);
        try {
            Files.createDirectories(dir);
            if (built == null) {
                try {
                    mine.complete(Files.readAllBytes(build(dir, raw)));
                } catch (IOException | RuntimeException | Error e) {
                    BUILT.remove(contentKey(), mine);
                    mine.completeExceptionally(e);
                    throw e;
                }
                return raw;
            }
            Files.write(raw, built.join());
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image of extension " + name + " to " + raw, e);
        }
    }

    private Path build(Path dir, Path raw) {
        Path tree = writeFiles(dir.resolve(name + ".tree"));
        Shell.Result r = HostSysextctl.run("sysextctl build " + name, buildArguments(tree, raw));
        if (r.exitCode() != 0) {
            throw new AssertionError("sysextctl build of extension " + name + " failed (exit " + r.exitCode() + "):\n"
                    + r.all());
        }
        return raw;
    }

    /** A hash of everything the image is made of: name, release lines, every file's path, mode and content. */
    String contentKey() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((name + "\0" + String.join("\n", release) + "\0").getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Entry> f : files.entrySet()) {
                sha.update((f.getKey() + "\0" + f.getValue().mode() + "\0" + f.getValue().content().length + "\0")
                        .getBytes(StandardCharsets.UTF_8));
                sha.update(f.getValue().content());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The arguments of {@code sysextctl} that build this extension from {@code tree} into {@code raw}. */
    List<String> buildArguments(Path tree, Path raw) {
        List<String> args = new ArrayList<>(List.of("build", tree.toString(), "--name", name, "-o", raw.toString(),
                "--quiet"));
        for (String line : release) {
            // a line of an env file: the value may be quoted (VERSION_ID="12", as os-release files have it)
            List<Map.Entry<String, String>> pairs = EnvFile.parsePairs(line);
            if (pairs.size() != 1) {
                throw new IllegalArgumentException("not a KEY=VALUE line of extension " + name + ": '" + line + "'");
            }
            String key = pairs.get(0).getKey();
            String value = pairs.get(0).getValue();
            String option = switch (key) {
                case "ID" -> "--os";
                case "VERSION_ID" -> "--os-version";
                case "SYSEXT_LEVEL" -> "--sysext-level";
                case "SYSEXT_VERSION_ID" -> "--version";
                case "ARCHITECTURE" -> "--arch";
                case "SYSEXT_SCOPE" -> "--scope";
                default -> null;
            };
            if (option != null) {
                args.addAll(List.of(option, value));
            } else if (key.equals("EXTENSION_RELOAD_MANAGER") && value.equals("1")) {
                args.add("--reload-manager");
            } else {
                args.addAll(List.of("--set", key + "=" + value));
            }
        }
        return args;
    }

    private static void write(Path root, String path, Entry entry) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, entry.content());
        Files.setPosixFilePermissions(file, permissions(entry.mode()));
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
