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
 * and {@code usr/lib/extension-release.d/extension-release.RELEASE_NAME}.
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
            StringBuilder sb = new StringBuilder();
            fields.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Files.writeString(rel.resolve("extension-release." + releaseName), sb.toString());
            Path out = dir.resolve(fileName);
            Files.createDirectories(out.getParent());
            Shell.run(List.of("mksquashfs", tree.toString(), out.toString(), "-all-root", "-noappend", "-quiet",
                    "-mkfs-time", "0", "-all-time", "0")).assertSuccess();
            Shell.run("rm", "-rf", tree.toString()).assertSuccess();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
