package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DDI options of build: one usage line (exit 2) for each misuse, nothing written. */
class BuildDdiOptionsTest {
    @TempDir
    Path tmp;
    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("usr/bin/hello"), "hello\n");
    }

    private void refused(String message, String... args) throws Exception {
        String[] argv = new String[args.length + 5];
        argv[0] = "build";
        argv[1] = tree.toString();
        argv[2] = "--name";
        argv[3] = "hello";
        argv[4] = "-o" + tmp.resolve("hello.raw");
        System.arraycopy(args, 0, argv, 5, args.length);
        Cli.Run r = Cli.run(argv);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("sysextctl: " + message);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("tree");
        }
    }

    @Test
    void ddiOptionsWithoutFormatDdiAreRefused() throws Exception {
        refused("--fs, --sign-key, --certificate and --seed apply to DDIs; add --format ddi or drop them",
                "--sign-key", "k.pem", "--certificate", "c.pem");
        refused("--fs, --sign-key, --certificate and --seed apply to DDIs; add --format ddi or drop them",
                "--format", "erofs", "--fs", "squashfs");
    }

    @Test
    void aSeedMustBeAUuidAndAKeyNeedsItsCertificate() throws Exception {
        refused("--seed 'abc' is not a UUID; give one like 0c1a9a8e-1111-4222-8333-444455556666", "--format", "ddi",
                "--seed", "abc");
        refused("signing needs both --sign-key KEY and --certificate CERT; give both, or neither for an unsigned DDI",
                "--format", "ddi", "--sign-key", tmp.resolve("k.pem").toString());
    }

    @Test
    void theFileSystemInsideIsErofsOrSquashfs() throws Exception {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "--format", "ddi", "--fs", "directory");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown file system 'directory' for a DDI; use erofs or squashfs")
                .doesNotContain("\tat ");
        assertThat(Cli.run("build", "--help").out()).contains("--fs=FS", "squashfs (default: erofs)", "--sign-key=KEY",
                "--certificate=CERT", "--seed=UUID");
    }
}
