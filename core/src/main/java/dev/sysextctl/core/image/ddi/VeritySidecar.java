package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.fs.AtomicFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Locale;
import java.util.Optional;

/**
 * The root hash systemd 257 is given for a DDI from outside it (docs/ddi.md §6): the extended attribute
 * {@code user.verity.roothash} of the image (read through a link), else the first line of {@code NAME.roothash}
 * beside the path systemd opens ({@code NAME.raw} in the search directory: beside the link, not beside its target);
 * for a {@code /usr} partition {@code user.verity.usrhash} and {@code NAME.usrhash}. A {@code NAME.roothash.p7s}
 * ({@code NAME.usrhash.p7s}) beside it is a signature systemd hands to dm-verity with that root hash; it does not make
 * the image {@code signed} to an image policy (measured: systemd-dissect 257 refuses such an image under
 * {@code root=signed+absent}, with its certificate in {@code /etc/verity.d}).
 *
 * @param rootHash the root hash, lower-case hex; null when the source is unusable
 * @param source where it came from: {@code user.verity.roothash} or the file
 * @param defect why the source is unusable (not hex, shorter than 16 bytes, unreadable), else null
 * @param signature the {@code .p7s} file beside it, or null
 */
public record VeritySidecar(String rootHash, String source, String defect, Path signature) {

    /**
     * The root hash given for the image opened as {@code entry} (the path systemd opens: the search directory's entry,
     * or the file given to validate), whose file is {@code image} (the entry with its links followed), with its data in
     * a {@code designator} ({@code root} or {@code usr}) partition; empty when none is given.
     */
    public static Optional<VeritySidecar> find(Path entry, Path image, String designator) {
        String kind = designator.equals("usr") ? "usrhash" : "roothash";
        String text = attribute(image, "verity." + kind);
        String source = "user.verity." + kind;
        Path file = auxiliary(entry, "." + kind);
        if (text == null && file != null) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                String line = r.readLine();
                text = line == null ? "" : line;
                source = file.toString();
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(new VeritySidecar(null, file.toString(), "cannot be read: " + AtomicFiles.describe(e),
                        null));
            }
        }
        if (text == null) {
            return Optional.empty();
        }
        Path p7s = auxiliary(entry, "." + kind + ".p7s");
        Path signature = p7s != null && Files.isRegularFile(p7s) ? p7s : null;
        String hex = text.strip().toLowerCase(Locale.ROOT);
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            return Optional.of(new VeritySidecar(null, source, "is not a hex root hash", signature));
        }
        if (hex.length() < 32) {
            return Optional.of(new VeritySidecar(null, source, "holds " + hex.length() / 2 + " bytes, fewer than the 16 "
                    + "of the shortest root hash systemd takes", signature));
        }
        return Optional.of(new VeritySidecar(hex, source, null, signature));
    }

    /** {@code NAME.SUFFIX} beside {@code NAME.raw}; null for a name without {@code .raw} (systemd finds none then). */
    static Path auxiliary(Path entry, String suffix) {
        String name = entry.getFileName().toString();
        if (!name.endsWith(".raw")) {
            return null;
        }
        return entry.resolveSibling(name.substring(0, name.length() - 4) + suffix);
    }

    private static String attribute(Path image, String name) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(image, UserDefinedFileAttributeView.class);
        if (view == null) {
            return null;
        }
        try {
            if (!view.list().contains(name)) {
                return null;
            }
            ByteBuffer b = ByteBuffer.allocate(view.size(name));
            view.read(name, b);
            return new String(b.array(), 0, b.position(), StandardCharsets.ISO_8859_1);
        } catch (UnsupportedOperationException | IOException e) {
            // a file system without user attributes: systemd finds none there either
            return null;
        }
    }

    /** Where the root hash comes from, for messages: {@code NAME.roothash} or {@code the user.verity.roothash attribute}. */
    public String describe() {
        return source.startsWith("user.") ? "the " + source + " attribute" : Path.of(source).getFileName().toString();
    }
}
