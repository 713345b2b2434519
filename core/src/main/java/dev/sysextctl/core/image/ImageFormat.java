package dev.sysextctl.core.image;

import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What an image file holds, told from its magic numbers. */
public enum ImageFormat {
    DIRECTORY("directory"),
    SQUASHFS("squashfs"),
    EROFS("erofs"),
    EXT4("ext4"),
    BTRFS("btrfs"),
    /** A GPT disk image (a DDI). */
    GPT("gpt"),
    /** An empty file. */
    EMPTY("empty"),
    UNKNOWN("unknown");

    private final String jsonName;

    ImageFormat(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** The kernel file-system type an image of this format is mounted with, or empty when it cannot be mounted. */
    public Optional<String> mountType() {
        return switch (this) {
            case SQUASHFS, EROFS, EXT4, BTRFS -> Optional.of(jsonName);
            default -> Optional.empty();
        };
    }

    /**
     * Reads the head of {@code path} (or looks at the directory) and names the format: the first 4 KiB tell every
     * format but btrfs, whose superblock is at 64 KiB, so more is read only when they tell nothing.
     */
    public static ImageFormat detect(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            return DIRECTORY;
        }
        if (!Files.isRegularFile(path) && !isBlockDevice(path)) {
            return UNKNOWN; // a FIFO or socket would block the read forever, a character device never end
        }
        byte[] head = new byte[FIRST_READ];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, FIRST_READ);
            if (n == FIRST_READ && detect(head, n) == UNKNOWN) {
                head = java.util.Arrays.copyOf(head, 0x10000 + 0x48);
                n += in.readNBytes(head, n, head.length - n);
            }
        }
        return detect(head, n);
    }

    private static final int FIRST_READ = 4096;

    private static boolean isBlockDevice(Path path) throws IOException {
        return ((Integer) Files.getAttribute(path, "unix:mode") & 0170000) == 0060000;
    }

    private static ImageFormat detect(byte[] head, int n) {
        if (n == 0) {
            return EMPTY;
        }
        if (n >= 4 && head[0] == 'h' && head[1] == 's' && head[2] == 'q' && head[3] == 's') {
            return SQUASHFS;
        }
        if (n >= 1028 && le32(head, 1024) == 0xE0F5E1E2L) {
            return EROFS;
        }
        if (n >= 520 && new String(head, 512, 8, java.nio.charset.StandardCharsets.US_ASCII).equals("EFI PART")) {
            return GPT;
        }
        if (n >= 1082 && (head[1080] & 0xff) == 0x53 && (head[1081] & 0xff) == 0xEF) {
            return EXT4;
        }
        if (n >= 0x10048 && new String(head, 0x10040, 8, java.nio.charset.StandardCharsets.US_ASCII)
                .equals("_BHRfS_M")) {
            return BTRFS;
        }
        return UNKNOWN;
    }

    private static long le32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }
}
