package dev.sysextctl.provision;

import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test images made with the real mksquashfs: {@code usr/bin/hello} (a script printing {@code hello VERSION})
 * and {@code usr/lib/extension-release.d/extension-release.RELEASE_NAME}; confexts with {@code etc/NAME.d/greeting}
 * and {@code etc/extension-release.d/extension-release.NAME}.
 */
public final class TestImages {
    private TestImages() {
    }

    /** An image of extension {@code name}, version and x86-64, written to {@code dir/fileName}. */
    public static Path hello(Path dir, String fileName, String name, String version) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ID", "_any");
        if (version != null) {
            fields.put("SYSEXT_VERSION_ID", version);
        }
        fields.put("ARCHITECTURE", "x86-64");
        return image(dir, fileName, name, fields, "hello " + version);
    }

    /**
     * A confext {@code name} (x86-64, {@code CONFEXT_VERSION_ID} = {@code version} unless null) whose
     * {@code etc/NAME.d/greeting} says {@code NAME VERSION}, written to {@code dir/fileName}.
     */
    public static Path confext(Path dir, String fileName, String name, String version) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("ID", "_any");
        if (version != null) {
            fields.put("CONFEXT_VERSION_ID", version);
        }
        fields.put("ARCHITECTURE", "x86-64");
        return pack(dir, fileName, Map.of("etc/extension-release.d/extension-release." + name, release(fields),
                "etc/" + name + ".d/greeting", name + " " + version + "\n"));
    }

    /** An image holding exactly {@code files} (path → text), packed with mksquashfs as {@code dir/fileName}. */
    public static Path pack(Path dir, String fileName, Map<String, String> files) {
        try {
            Path tree = Files.createTempDirectory(dir, "tree");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = tree.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            return squash(dir, fileName, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String release(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static Path squash(Path dir, String fileName, Path tree) throws IOException {
        Path out = dir.resolve(fileName);
        Files.createDirectories(out.getParent());
        Shell.run(List.of("mksquashfs", tree.toString(), out.toString(), "-all-root", "-noappend", "-quiet",
                "-mkfs-time", "0", "-all-time", "0")).assertSuccess();
        Shell.run("rm", "-rf", tree.toString()).assertSuccess();
        return out;
    }

    public static Path image(Path dir, String fileName, String releaseName, Map<String, String> fields,
            String helloSays) {
        return image(dir, fileName, releaseName, fields, "hello", helloSays);
    }

    /** An image whose {@code usr/bin/BINARY} prints {@code says}. */
    public static Path image(Path dir, String fileName, String releaseName, Map<String, String> fields,
            String binary, String says) {
        try {
            Path tree = Files.createTempDirectory(dir, "tree");
            Path bin = Files.createDirectories(tree.resolve("usr/bin"));
            Path script = bin.resolve(binary);
            Files.writeString(script, "#!/bin/sh\necho '" + says + "'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path rel = Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
            Files.writeString(rel.resolve("extension-release." + releaseName), release(fields));
            return squash(dir, fileName, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
