package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.RunningProcess;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.DefaultVeritysetup;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import dev.sysextctl.testing.Requires;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real veritysetup computes the DDI's hash tree (docs/ddi.md §8) and the DDI is byte for byte the one whose tree
 * Java computes: one data block (no hash block), one level, and three levels.
 */
@Requires(tools = "veritysetup")
class VeritysetupTreeIT {
    private static final UUID SEED = UUID.fromString("0c1a9a8e-1111-4222-8333-444455556666");

    @TempDir
    Path tmp;

    /** The real runner, recording what it ran. */
    static final class Ran implements ProcessRunner {
        final ProcessRunner real = new ZtProcessRunner();
        final List<String> programs = new ArrayList<>();

        @Override
        public ProcessResult run(Command command) throws OperationFailedException {
            programs.add(command.program());
            return real.run(command);
        }

        @Override
        public RunningProcess start(Command command) throws OperationFailedException {
            programs.add(command.program());
            return real.start(command);
        }
    }

    /** A stand-in file system of {@code blocks} blocks of random bytes (seeded by the count). */
    static Path randomFileSystem(Path file, int blocks) throws java.io.IOException {
        byte[] b = new byte[blocks * 4096];
        new Random(blocks).nextBytes(b);
        return Files.write(file, b);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100, 16_500})
    void veritysetupsTreeGivesTheBytesOfJavasTree(int blocks) throws Exception {
        Path fs = randomFileSystem(tmp.resolve("fs.img"), blocks);
        DdiWriter.Result java = DdiWriter.write(fs, tmp.resolve("java.raw"), "x86-64", SEED, null);
        Ran ran = new Ran();
        DdiWriter.Result nat = DdiWriter.write(fs, tmp.resolve("native.raw"), "x86-64", () -> SEED, null,
                new DefaultVeritysetup(ran));
        assertThat(ran.programs).containsExactly("veritysetup");
        assertThat(nat.rootHash()).isEqualTo(java.rootHash());
        assertThat(Files.readAllBytes(tmp.resolve("native.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("java.raw")));
        assertThat(DdiImage.open(tmp.resolve("native.raw")).verify()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 16_500})
    void veritysetupWritesTheSuperblockAndTreeJavaComputes(int blocks) throws Exception {
        Path fs = randomFileSystem(tmp.resolve("fs.img"), blocks);
        VeritySuperblock sb = new VeritySuperblock(UUID.fromString("12345678-1234-4234-8234-123456789abc"), "sha256",
                4096, 4096, blocks, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                        21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
        VerityHashTree inJava;
        try (FileChannel ch = FileChannel.open(fs)) {
            inJava = VerityHashTree.compute(ch, 0, sb);
        }
        String root = new DefaultVeritysetup(new ZtProcessRunner()).format(fs, tmp.resolve("hash"), blocks, sb.salt(),
                sb.uuid());
        assertThat(root).isEqualTo(inJava.rootHashHex());
        assertThat(Files.readAllBytes(tmp.resolve("hash"))).isEqualTo(inJava.hashArea());
        assertThat(DdiWriter.consistent(Files.readAllBytes(tmp.resolve("hash")), sb, inJava.rootHash()))
                .as("the writer takes veritysetup's tree").isTrue();
    }
}
