package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.ConvertMain;
import dev.sysextctl.converter.fixtures.ImageTree;
import dev.sysextctl.converter.fixtures.SquashfsArchives;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Conversion as an ordinary user (uid 65534) in a separate JVM: the image still holds root-owned entries with
 * the archive's modes (setuid included), for tgz and squashfs archives alike.
 */
@Requires(root = true, tools = {"setpriv", "mksquashfs", "unsquashfs"})
class NonRootConversionIT {
    @TempDir
    Path tmp;

    private List<String> readableClasspath() throws Exception {
        Path cpDir = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (p.getFileName().toString().startsWith("surefirebooter") && p.toString().endsWith(".jar")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    for (String u : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" ")) {
                        if (!u.isBlank()) {
                            entries.add(Path.of(URI.create(u)).toString());
                        }
                    }
                }
            } else {
                entries.add(e);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String e : entries) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = cpDir.resolve((i++) + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                Shell.run("cp", "-r", src.toString(), dst.toString()).assertSuccess();
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(dst.toString());
        }
        Shell.run("chmod", "-R", "a+rX", tmp.toString()).assertSuccess();
        return out;
    }

    private ImageTree convertAsNobody(Path archive) throws Exception {
        List<String> cp = readableClasspath();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = out.resolve("image.raw");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Shell.Result r = Shell.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java,
                "-Djava.io.tmpdir=" + work, "-cp", String.join(File.pathSeparator, cp), ConvertMain.class.getName(),
                archive.toString(), image.toString(), work.toString()), Map.of("HOME", work.toString()), tmp, 300);
        System.out.println(r.all());
        r.assertSuccess();
        assertThat(r.stdout()).contains("converted as uid 65534");
        assertThat(Files.getAttribute(image, "unix:uid")).isEqualTo(65534);
        try (Stream<Path> left = Files.list(work)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("sysextctl-torcx"))).isEmpty();
        }
        return ImageTree.read(image, tmp);
    }

    private static void assertRootOwnedWithArchiveModes(ImageTree t) {
        assertThat(t.nodes().values()).allSatisfy(n -> {
            assertThat(n.uid()).isZero();
            assertThat(n.gid()).isZero();
        });
        assertThat(t.nodes().get("usr/bin/suid").mode()).isEqualTo(04755);
        assertThat(t.nodes().get("usr/bin/real").mode()).isEqualTo(0755);
        assertThat(t.nodes().get("usr/lib/existing.txt").mode()).isEqualTo(0644);
        assertThat(t.nodes().get("opt/x/bin/y").mode()).isEqualTo(0755);
        assertThat(t.text("usr/lib/existing.txt")).isEqualTo("from usr/lib\n");
    }

    @Test
    void tgzArchiveConvertsAsNobody() throws Exception {
        Path archive = TorcxFixtures.f4Builder(true, false).fileOwnedBy("./bin/owned", 0700, "x\n", 1000)
                .writeTgz(Files.createDirectories(tmp.resolve("in")).resolve("evil:1.torcx.tgz"));
        ImageTree t = convertAsNobody(archive);
        assertRootOwnedWithArchiveModes(t);
        assertThat(t.nodes().get("usr/bin/owned").mode()).isEqualTo(0700);
    }

    @Test
    void squashfsArchiveConvertsAsNobody() throws Exception {
        Path archive = SquashfsArchives.write(TorcxFixtures.f4Builder(true, false),
                Files.createDirectories(tmp.resolve("in")).resolve("evil:1.torcx.squashfs"));
        Shell.run("chmod", "-R", "a+rX", tmp.toString()).assertSuccess();
        assertRootOwnedWithArchiveModes(convertAsNobody(archive));
    }
}
