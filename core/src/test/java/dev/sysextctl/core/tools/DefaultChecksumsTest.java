package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ZtProcessRunner;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultChecksumsTest {
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path tmp;

    @Test
    void smallFilesAreHashedInJava() throws Exception {
        Path f = Files.writeString(tmp.resolve("abc"), "abc");
        ErofsAndSpecialFileToolsTest.RecordingRunner r = new ErofsAndSpecialFileToolsTest.RecordingRunner(c -> {
            throw new AssertionError("no tool for small files");
        });
        assertThat(new DefaultChecksums(r).sha256(f)).isEqualTo(ABC);
    }

    /** Files just below the limit are hashed by {@link Sha256}, from the limit on by the JDK: the same digests. */
    @Test
    void filesAroundTheShortLimitGetTheJdksDigest() throws Exception {
        byte[] data = new byte[(int) DefaultChecksums.SHORT_BELOW_BYTES + 1];
        new java.util.Random(7).nextBytes(data);
        ErofsAndSpecialFileToolsTest.RecordingRunner r = new ErofsAndSpecialFileToolsTest.RecordingRunner(c -> {
            throw new AssertionError("no tool for small files");
        });
        for (int n : new int[] {0, 1, 4096, data.length - 2, data.length - 1, data.length}) {
            Path f = Files.write(tmp.resolve("f" + n), java.util.Arrays.copyOf(data, n));
            assertThat(new DefaultChecksums(r).sha256(f)).as("%d bytes", n).isEqualTo(DefaultChecksums.javaDigest(f))
                    .isEqualTo(DefaultChecksums.shortDigest(f));
        }
    }

    private Path large() throws Exception {
        Path f = tmp.resolve("large");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(DefaultChecksums.NATIVE_FROM_BYTES);
        }
        return f;
    }

    @Test
    void largeFilesGoToOpensslThenSha256sumThenJava() throws Exception {
        Path f = large();
        ErofsAndSpecialFileToolsTest.RecordingRunner openssl = new ErofsAndSpecialFileToolsTest.RecordingRunner(c ->
                new ProcessResult(c.argv(), 0, "a".repeat(64) + " *" + f + "\n", ""));
        assertThat(new DefaultChecksums(openssl).sha256(f)).isEqualTo("a".repeat(64));
        assertThat(openssl.commands).extracting(Command::argv)
                .containsExactly(List.of("openssl", "dgst", "-sha256", "-r", f.toString()));

        ErofsAndSpecialFileToolsTest.RecordingRunner noOpenssl = new ErofsAndSpecialFileToolsTest.RecordingRunner(c ->
                c.program().equals("openssl") ? new ProcessResult(c.argv(), 127, "", "openssl: not found")
                        : new ProcessResult(c.argv(), 0, "b".repeat(64) + "  " + f + "\n", ""));
        assertThat(new DefaultChecksums(noOpenssl).sha256(f)).isEqualTo("b".repeat(64));
        assertThat(noOpenssl.commands).extracting(Command::program).containsExactly("openssl", "sha256sum");

        ErofsAndSpecialFileToolsTest.RecordingRunner none = new ErofsAndSpecialFileToolsTest.RecordingRunner(c ->
                new ProcessResult(c.argv(), 1, "", "broken"));
        assertThat(new DefaultChecksums(none).sha256(f)).isEqualTo(DefaultChecksums.javaDigest(f));
    }

    @Test
    void theRealToolsAgreeWithJava() throws Exception {
        Path f = large();
        assertThat(new DefaultChecksums(new ZtProcessRunner()).sha256(f)).isEqualTo(DefaultChecksums.javaDigest(f));
    }
}
