package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erofs image whose directory entry is named {@code ../../…/CANARY/x} (a valid image with a placeholder name of
 * the same length, sorting in the same place, patched, its superblock checksum fixed): {@code inspect} and
 * {@code validate} refuse it in one line and write nothing anywhere; next to a good image, validate still gives the
 * good one its verdict. (Reading compressed files with fsck.erofs --extract wrote CANARY/x/payload.)
 */
@Requires(tools = "mkfs.erofs")
class HostileErofsIT {
    @TempDir
    Path tmp;

    private Path image(String name, String entry) throws Exception {
        Path tree = tmp.resolve(name + "-tree");
        Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
        StringBuilder release = new StringBuilder("ID=_any\n");
        for (int i = 0; i < 300; i++) {
            release.append("# a comment long enough to make the file compressed, line ").append(i).append('\n');
        }
        Files.writeString(tree.resolve("usr/lib/extension-release.d/extension-release." + name), release);
        if (entry != null) {
            Files.createDirectories(tree.resolve("usr/lib/" + entry));
            Files.writeString(tree.resolve("usr/lib/" + entry + "/payload"), "written by the image\n".repeat(500));
        }
        Path image = tmp.resolve(name + ".raw");
        Shell.shOk("mkfs.erofs --quiet -T0 -zlz4hc '" + image + "' '" + tree + "'");
        return image;
    }

    @Test
    void anEntryClimbingOutIsRefusedInOneLineAndWritesNothing() throws Exception {
        Path canary = Files.createDirectories(tmp.resolve("canary"));
        String name = "../../../../../../../.." + canary + "/x";
        // "..." sorts where "../" does (after "..", before "extension-release.d"): the entries stay in order
        String placeholder = "..." + "p".repeat(name.length() - 3);
        Path hostile = image("hostile", placeholder);
        byte[] bytes = Files.readAllBytes(hostile);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(placeholder);
        assertThat(text.indexOf(placeholder, at + 1)).isEqualTo(-1);
        System.arraycopy(name.getBytes(StandardCharsets.UTF_8), 0, bytes, at, name.length());
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1024 + 4, 0);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 1024, 4096 - 1024);
        b.putInt(1024 + 4, ~(int) crc.getValue());
        Files.write(hostile, bytes);
        Path good = image("good", null);

        String refusal = hostile + " is not a readable erofs image: directory 'usr/lib' has an entry named '" + name
                + "' (with a '/'), which no file system may hold; the image is crafted or corrupt; check it with "
                + "fsck.erofs or rebuild it";
        Cli.Run inspect = Cli.run("inspect", hostile.toString());
        assertThat(inspect.exit()).as(inspect.toString()).isEqualTo(1);
        assertThat(inspect.errLines()).containsExactly("sysextctl: " + refusal);

        Cli.Run validate = Cli.run("validate", good.toString(), hostile.toString(), "--os", "debian",
                "--os-version", "12");
        assertThat(validate.exit()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.out()).contains(good + ": accepted [any-os]")
                .contains(hostile + ": refused [unreadable]").contains("    why: " + refusal + "\n");
        assertThat(validate.errLines()).containsExactly("sysextctl: 1 of 2 images could not be read; see the "
                + "reasons above");
        try (Stream<Path> s = Files.list(canary)) {
            assertThat(s).isEmpty();
        }
    }
}
