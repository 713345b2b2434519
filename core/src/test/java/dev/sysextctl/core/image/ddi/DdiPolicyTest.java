package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.tools.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy decisions and their reasons, with a stand-in openssl that trusts one certificate file name (the real
 * openssl decides in ValidatePolicyIT).
 */
class DdiPolicyTest {
    private static final String SIGNED_ONLY = "root=signed+absent:usr=absent";

    @TempDir
    Path tmp;
    Path certs;
    Path fs;
    final List<Path> asked = new ArrayList<>();

    /** Verifies with the certificate named good.crt only. */
    final Openssl openssl = new DdiWriterTest.FakeOpenssl() {
        @Override
        public boolean verifyDetached(Path signature, Path content, Path certificate) {
            asked.add(certificate);
            return certificate.getFileName().toString().equals("good.crt");
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        certs = Files.createDirectory(tmp.resolve("verity.d"));
        fs = tmp.resolve("fs");
        byte[] b = new byte[40 * 4096];
        new Random(5).nextBytes(b);
        Files.write(fs, b);
    }

    private Path ddi(String name, boolean signed) throws Exception {
        DdiSigner signer = signed ? DdiSigner.withFingerprint(openssl, tmp.resolve("k"), tmp.resolve("c"), "ab") : null;
        DdiWriter.write(fs, tmp.resolve(name), "x86-64", new UUID(1, 2), signer);
        return tmp.resolve(name);
    }

    private DdiPolicy.Verdict assess(Path image, String policy) throws Exception {
        return new DdiPolicy(openssl).assess(image, ImageFormat.detect(image), ImagePolicy.parse(policy),
                List.of(certs, tmp.resolve("missing.d")));
    }

    @Test
    void aSignedDdiIsAdmittedWhenATrustedCertificateVerifiesIt() throws Exception {
        Files.writeString(certs.resolve("a-other.crt"), "x");
        Files.writeString(certs.resolve("good.crt"), "x");
        Files.writeString(certs.resolve("notes.txt"), "x");
        DdiPolicy.Verdict v = assess(ddi("s.raw", true), SIGNED_ONLY);
        assertThat(v.admitted()).as(v.reason()).isTrue();
        assertThat(v.protection()).isEqualTo("signed");
        assertThat(v.reason()).isEqualTo("admitted as signed (signed by the trusted certificate "
                + certs.resolve("good.crt") + ")");
        assertThat(asked).extracting(p -> p.getFileName().toString()).containsExactly("a-other.crt", "good.crt");
    }

    @Test
    void aSignatureByAnUnknownKeyIsRefusedWhereSignedIsRequired() throws Exception {
        Files.writeString(certs.resolve("other.crt"), "x");
        DdiPolicy.Verdict v = assess(ddi("s.raw", true), SIGNED_ONLY);
        assertThat(v.admitted()).isFalse();
        assertThat(v.rule()).isEqualTo("image-policy");
        assertThat(v.reason()).isEqualTo("the policy wants root=signed+absent, but the image is verity: signed by an "
                + "unknown key (certificate sha256 ab; none of the 1 trusted certificate in " + certs + ", "
                + tmp.resolve("missing.d") + " verifies its signature); sign it (build --format ddi --sign-key KEY "
                + "--certificate CERT) with a key whose certificate is in the trusted directories");
        assertThat(assess(ddi("s.raw", true), "root=signed+verity+absent").admitted()).as("verity allowed").isTrue();
    }

    @Test
    void anUnsignedDdiIsRefusedWhereSignedIsRequiredAndAdmittedByTheDefault() throws Exception {
        Path unsigned = ddi("u.raw", false);
        DdiPolicy.Verdict v = assess(unsigned, SIGNED_ONLY);
        assertThat(v.admitted()).isFalse();
        assertThat(v.reason()).startsWith("the policy wants root=signed+absent, but the image is verity (unverified): "
                + "unsigned, and no root hash is given (no u.roothash beside it, no user.verity.roothash attribute): "
                + "systemd mounts its data partition unverified (systemd-dissect: \"verity\":\"no\"); sign it");
        assertThat(assess(unsigned, ImagePolicy.SYSEXT_DEFAULT).admitted()).isTrue();
    }

    @Test
    void anUnsignedDdiWithoutARootHashIsVerityToThePolicyButMountedUnverified() throws Exception {
        Path unsigned = ddi("u.raw", false);
        DdiPolicy.Verdict v = assess(unsigned, ImagePolicy.SYSEXT_DEFAULT);
        assertThat(v.protection()).isEqualTo("unverified");
        assertThat(v.reason()).startsWith("admitted as verity, mounted unverified (unsigned, and no root hash is given");
        assertThat(assess(unsigned, "root=verity+absent:usr=absent")).extracting(DdiPolicy.Verdict::admitted,
                DdiPolicy.Verdict::protection).containsExactly(true, "unverified");
        // a policy without verity and signed makes systemd ignore the verity partition (measured with systemd-dissect)
        DdiPolicy.Verdict open = assess(unsigned, "root=unprotected+absent:usr=absent");
        assertThat(open).extracting(DdiPolicy.Verdict::admitted, DdiPolicy.Verdict::protection)
                .containsExactly(true, "unprotected");
        assertThat(open.reason()).isEqualTo("admitted as unprotected (the policy leaves verity and signed out, so "
                + "systemd ignores its verity partitions and mounts the data partition unverified)");
        Files.writeString(certs.resolve("good.crt"), "x");
        assertThat(assess(ddi("s.raw", true), "root=unprotected+absent:usr=absent")).extracting(
                DdiPolicy.Verdict::admitted, DdiPolicy.Verdict::protection).containsExactly(true, "unprotected");
    }

    @Test
    void aRootHashFileBesideTheImageGivesItsRootHash() throws Exception {
        Path unsigned = ddi("u.raw", false);
        String hash = DdiImage.open(unsigned).rootHash().orElseThrow();
        Files.writeString(tmp.resolve("u.roothash"), hash.toUpperCase() + "\n");
        DdiPolicy.Verdict v = assess(unsigned, ImagePolicy.SYSEXT_DEFAULT);
        assertThat(v).extracting(DdiPolicy.Verdict::admitted, DdiPolicy.Verdict::protection)
                .containsExactly(true, "verity");
        assertThat(v.reason()).isEqualTo("admitted as verity (unsigned, with the root hash from u.roothash)");
        assertThat(assess(unsigned, SIGNED_ONLY).admitted()).as("a root hash is not a signature").isFalse();
        assertThat(assess(unsigned, "root=unprotected+absent:usr=absent").reason()).isEqualTo("the policy wants "
                + "root=unprotected+absent, but the image is verity: unsigned, with the root hash from u.roothash; use "
                + "an image the policy allows");
        Files.writeString(tmp.resolve("u.roothash.p7s"), "x");
        assertThat(assess(unsigned, ImagePolicy.SYSEXT_DEFAULT).reason()).contains("(its signature u.roothash.p7s goes "
                + "to dm-verity; it does not make the image signed to a policy)");
        assertThat(assess(unsigned, SIGNED_ONLY).admitted()).as("nor is a .p7s beside it").isFalse();
    }

    @Test
    void aRootHashFileThatIsNotTheImagesIsRefusedWhateverThePolicy() throws Exception {
        Path unsigned = ddi("u.raw", false);
        Files.writeString(tmp.resolve("u.roothash"), "00".repeat(32) + "\n");
        DdiPolicy.Verdict v = assess(unsigned, "*");
        assertThat(v).extracting(DdiPolicy.Verdict::admitted, DdiPolicy.Verdict::rule).containsExactly(false,
                "verity-mismatch");
        assertThat(v.reason()).isEqualTo("u.raw: the root hash in u.roothash (" + "00".repeat(32) + ") is not the "
                + "image's (" + DdiImage.open(unsigned).rootHash().orElseThrow() + "), and systemd cannot dissect it "
                + "(\"Cannot dissect image: Invalid argument\"); give the image's root hash or remove u.roothash");
        Files.writeString(tmp.resolve("u.roothash"), "not a hash\n");
        assertThat(assess(unsigned, "*").reason()).isEqualTo("u.raw: its root hash from u.roothash is not a hex root "
                + "hash, and systemd fails reading the image; fix or remove it");
    }

    @Test
    void theRootHashFileIsLookedForBesideTheLinkSystemdOpensNotBesideItsTarget() throws Exception {
        Path unsigned = ddi("u.raw", false);
        Files.writeString(tmp.resolve("u.roothash"), DdiImage.open(unsigned).rootHash().orElseThrow());
        Path dir = Files.createDirectory(tmp.resolve("extensions"));
        Path link = Files.createSymbolicLink(dir.resolve("app.raw"), unsigned);
        DdiPolicy policy = new DdiPolicy(openssl);
        ImagePolicy p = ImagePolicy.parse(ImagePolicy.SYSEXT_DEFAULT);
        assertThat(policy.assess(link, unsigned, ImageFormat.GPT, p, List.of(certs)).protection())
                .isEqualTo("unverified");
        Files.copy(tmp.resolve("u.roothash"), dir.resolve("app.roothash"));
        assertThat(policy.assess(link, unsigned, ImageFormat.GPT, p, List.of(certs)).reason())
                .isEqualTo("admitted as verity (unsigned, with the root hash from app.roothash)");
    }

    @Test
    void theUserVerityRoothashAttributeGivesTheRootHashBeforeTheFile() throws Exception {
        Path unsigned = ddi("u.raw", false);
        java.nio.file.attribute.UserDefinedFileAttributeView view = Files.getFileAttributeView(unsigned,
                java.nio.file.attribute.UserDefinedFileAttributeView.class);
        try {
            view.write("verity.roothash", java.nio.ByteBuffer.wrap(DdiImage.open(unsigned).rootHash().orElseThrow()
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no user extended attributes in " + tmp);
        }
        Files.writeString(tmp.resolve("u.roothash"), "00".repeat(32));
        assertThat(assess(unsigned, ImagePolicy.SYSEXT_DEFAULT).reason())
                .isEqualTo("admitted as verity (unsigned, with the root hash from the user.verity.roothash attribute)");
    }

    @Test
    void aFlippedByteInTheDataOrTheHashPartitionIsRefusedWhateverThePolicy() throws Exception {
        Path image = ddi("t.raw", true);
        Files.writeString(certs.resolve("good.crt"), "x");
        DdiImage ddi = DdiImage.open(image);
        byte[] clean = Files.readAllBytes(image);
        for (long at : new long[] {ddi.data().offset(512) + 9000, ddi.verity().orElseThrow().offset(512) + 4096 + 7}) {
            byte[] b = clean.clone();
            b[(int) at] ^= 0x10;
            Files.write(image, b);
            DdiPolicy.Verdict v = assess(image, "*");
            assertThat(v.admitted()).isFalse();
            assertThat(v.rule()).isEqualTo("verity-mismatch");
            assertThat(v.reason()).startsWith("t.raw: its ").endsWith("(tampered or damaged); rebuild the image or "
                    + "fetch it again");
        }
    }

    @Test
    void aBareImageIsAnUnprotectedRootPartition() throws Exception {
        Path bare = tmp.resolve("bare.raw");
        byte[] b = new byte[8192];
        b[0] = 'h';
        b[1] = 's';
        b[2] = 'q';
        b[3] = 's';
        Files.write(bare, b);
        DdiPolicy.Verdict v = assess(bare, SIGNED_ONLY);
        assertThat(v.admitted()).isFalse();
        assertThat(v.reason()).startsWith("the policy wants root=signed+absent, but the image is unprotected: a bare "
                + "squashfs image, which systemd treats as an unprotected root partition");
        assertThat(assess(bare, "root=unprotected+absent:usr=absent").admitted()).isTrue();
        assertThat(assess(bare, "root=unprotected:usr=verity").reason()).isEqualTo("the policy wants usr=verity, but "
                + "the image has no usr partition; use a policy with usr=...+absent");
    }
}
