package dev.sysextctl.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small files read through java.io answer and fail as {@link Files} does. */
class SmallFilesTest {
    @TempDir
    Path tmp;

    @Test
    void textAndLinesAreWhatFilesReads() throws IOException {
        for (String text : List.of("", "a", "a\n", "a\nb", "a\r\nb\r\n", "a\rb\r", "\n\n", "a\n\nb\n", "\r\n\r",
                "ext1\next2\n", "é\nß\r\n€")) {
            Path f = Files.writeString(tmp.resolve("f"), text);
            assertThat(SmallFiles.readString(f)).as("'%s'", text).isEqualTo(Files.readString(f));
            assertThat(SmallFiles.readAllLines(f)).as("lines of '%s'", text).isEqualTo(Files.readAllLines(f));
            assertThat(SmallFiles.readAllBytes(f)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void malformedUtf8FailsAsFilesFails() throws IOException {
        Path f = Files.write(tmp.resolve("bad"), new byte[] {'a', (byte) 0xff, 'b'});
        assertThatThrownBy(() -> Files.readString(f)).isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> SmallFiles.readString(f)).isInstanceOf(CharacterCodingException.class);
        assertThatThrownBy(() -> SmallFiles.readAllLines(f)).isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aFileThatCannotBeOpenedFailsWithTheMessageOfFiles() {
        Path missing = tmp.resolve("missing");
        Throwable nio = catchIt(() -> Files.newInputStream(missing).close());
        Throwable io = catchIt(() -> SmallFiles.open(missing).close());
        assertThat(io).isInstanceOf(nio.getClass()).hasMessage(nio.getMessage());
        assertThat(catchIt(() -> SmallFiles.readString(missing))).hasMessage(nio.getMessage());
    }

    @Test
    void aDirectoryOpensAndFailsOnReadAsFilesDoes() throws IOException {
        try (InputStream in = SmallFiles.open(tmp)) {
            assertThatThrownBy(in::read).isInstanceOf(IOException.class);
        }
    }

    private interface Io {
        void run() throws IOException;
    }

    private static Throwable catchIt(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            return e;
        }
        throw new AssertionError("no exception");
    }
}
