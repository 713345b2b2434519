package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate --image-policy --trusted-certs} on DDIs built by sysextctl, with the real openssl: each reason
 * for a refusal is one line and exit 3 (docs/ddi.md §6).
 */
@Requires(tools = {"mkfs.erofs", "openssl"})
class ValidatePolicyIT {
    static final String SIGNED_ONLY = "root=signed+absent:usr=absent";

    @TempDir
    Path tmp;
    Path trusted;

    @BeforeEach
    void setUp() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.write(tree.resolve("usr/bin/blob"), new java.util.Random(9).ints(200_000).collect(
                java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> { }).toByteArray());
        trusted = Files.createDirectory(tmp.resolve("verity.d"));
        for (String who : new String[] {"good", "stranger"}) {
            Path d = Files.createDirectory(tmp.resolve(who));
            Shell.shOk("cd '" + d + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem "
                    + "-days 3650 -subj /CN=" + who + " 2>&1");
        }
        Files.copy(tmp.resolve("good/cert.pem"), trusted.resolve("good.crt"));
        build("signed.raw", "--sign-key", tmp.resolve("good/key.pem").toString(), "--certificate",
                tmp.resolve("good/cert.pem").toString());
        build("stranger.raw", "--sign-key", tmp.resolve("stranger/key.pem").toString(), "--certificate",
                tmp.resolve("stranger/cert.pem").toString());
        build("unsigned.raw");
    }

    private void build(String out, String... extra) {
        String[] base = {"build", tmp.resolve("tree").toString(), "--name", "app", "--arch", "x86-64", "--format", "ddi",
            "-o", tmp.resolve(out).toString(), "-q"};
        String[] argv = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, argv, base.length, extra.length);
        Cli.Run r = Cli.run(argv);
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private Cli.Run validate(String image, String... policy) {
        String[] base = {"validate", tmp.resolve(image).toString(), "--as", "app", "--trusted-certs",
            trusted.toString()};
        String[] argv = java.util.Arrays.copyOf(base, base.length + policy.length);
        System.arraycopy(policy, 0, argv, base.length, policy.length);
        return Cli.run(argv);
    }

    private static String why(Cli.Run r) {
        return r.out().lines().filter(l -> l.startsWith("    why: ")).findFirst().orElse("").substring(9);
    }

    @Test
    void aDdiSignedWithATrustedKeyIsAdmitted() {
        Cli.Run r = validate("signed.raw", "--image-policy", SIGNED_ONLY);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("signed.raw: policy " + SIGNED_ONLY + ": admitted as signed (signed by the "
                + "trusted certificate " + trusted.resolve("good.crt") + ")");
    }

    @Test
    void anUnsignedDdiIsRefusedWhereSignedIsRequired() {
        Cli.Run r = validate("unsigned.raw", "--image-policy", SIGNED_ONLY);
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).contains("unsigned.raw: refused [image-policy]");
        assertThat(why(r)).startsWith("the policy wants root=signed+absent, but the image is verity (unverified): "
                + "unsigned, and no root hash is given (no unsigned.roothash beside it, no user.verity.roothash "
                + "attribute)");
        assertThat(r.out()).contains("    effect: refused-by-policy").contains("the image policy refuses "
                + tmp.resolve("unsigned.raw") + " (systemd-sysext 257 then merges nothing, exit 1; sysextctl's native "
                + "engine skips it): the policy wants root=signed+absent").doesNotContain("incompatible version");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void aDdiSignedByAnUnknownKeyIsRefused() {
        Cli.Run r = validate("stranger.raw", "--image-policy", SIGNED_ONLY);
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(why(r)).startsWith("the policy wants root=signed+absent, but the image is verity: signed by an "
                + "unknown key (certificate sha256 ").contains("none of the 1 trusted certificate in " + trusted);
    }

    @Test
    void oneFlippedByteInTheDataOrTheHashPartitionIsRefusedEvenUnderTheDefaultPolicy() throws Exception {
        DdiImage ddi = DdiImage.open(tmp.resolve("signed.raw"));
        long[] places = {ddi.data().offset(512) + 50_000, ddi.verity().orElseThrow().offset(512) + 4096 + 33};
        byte[] clean = Files.readAllBytes(tmp.resolve("signed.raw"));
        for (long at : places) {
            Files.write(tmp.resolve("signed.raw"), clean);
            try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("signed.raw").toFile(), "rw")) {
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 1);
            }
            Cli.Run r = validate("signed.raw");
            assertThat(r.exit()).as(r.toString()).isEqualTo(3);
            assertThat(r.out()).contains("signed.raw: refused [verity-mismatch]");
            assertThat(why(r)).startsWith("signed.raw: its ").endsWith("(tampered or damaged); rebuild the image or "
                    + "fetch it again");
        }
    }

    @Test
    void aMalformedPolicyIsAUsageError() {
        Cli.Run r = validate("signed.raw", "--image-policy", "root=sealed");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("sysextctl: image policy 'root=sealed' is not valid: 'sealed' is no "
                + "policy flag").doesNotContain("\n");
    }
}
