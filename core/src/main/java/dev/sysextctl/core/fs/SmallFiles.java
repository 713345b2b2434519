package dev.sysextctl.core.fs;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small files (markers, {@code /proc} tables, release files) read through {@code java.io}: the first NIO file channel
 * of a run sets up the channel classes and loads the JDK's network and NIO libraries, which a short command such as
 * {@code status} otherwise never needs. What they answer and how they fail is what {@link Files} gives: a file that
 * {@code java.io} cannot open is opened again through {@link Files#newInputStream}, whose exception (and message) the
 * caller then sees; text is strict UTF-8 as {@link Files#readString} reads it.
 */
public final class SmallFiles {
    private SmallFiles() {
    }

    /** {@code file} opened for reading. */
    public static InputStream open(Path file) throws IOException {
        try {
            return new FileInputStream(file.toFile());
        } catch (FileNotFoundException | UnsupportedOperationException e) {
            return Files.newInputStream(file); // fails as before, with NIO's message (or opens what java.io cannot)
        }
    }

    /** Every byte of {@code file}. */
    public static byte[] readAllBytes(Path file) throws IOException {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        }
    }

    /** {@code file} as UTF-8 text; malformed input fails as {@link Files#readString(Path)} fails. */
    public static String readString(Path file) throws IOException {
        return utf8(readAllBytes(file));
    }

    /**
     * The lines of {@code file} (UTF-8), split as {@link Files#readAllLines(Path)} splits them: at {@code \n},
     * {@code \r\n} or {@code \r}, no empty line after a final line break.
     */
    public static List<String> readAllLines(Path file) throws IOException {
        String text = readString(file);
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < n) {
            out.add(text.substring(start));
        }
        return out;
    }

    /** Strict UTF-8 (ASCII, most of what these files hold, without a decoder). */
    public static String utf8(byte[] b) throws IOException {
        for (byte x : b) {
            if (x < 0) {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
            }
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
