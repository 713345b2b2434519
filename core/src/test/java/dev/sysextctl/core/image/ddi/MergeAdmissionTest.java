package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the native engine would use a DDI under an image policy (docs/ddi.md §7), on a kernel without device-mapper
 * (like the test machines) and with one, for DDIs without verity, unsigned with verity and signed.
 */
class MergeAdmissionTest {
    static final KernelVerity NO_DM = new KernelVerity(false, "no device-mapper in /proc/misc");
    static final KernelVerity DM = new KernelVerity(true, "/dev/mapper/control");

    @TempDir
    Path tmp;
    Path fs;

    @BeforeEach
    void setUp() throws Exception {
        fs = tmp.resolve("fs");
        byte[] b = new byte[8 * 4096];
        new Random(7).nextBytes(b);
        Files.write(fs, b);
    }

    private DdiImage verity(String name, boolean signed) throws Exception {
        DdiSigner signer = signed ? DdiSigner.withFingerprint(new DdiWriterTest.FakeOpenssl(), tmp.resolve("k"),
                tmp.resolve("c"), "ab") : null;
        DdiWriter.write(fs, tmp.resolve(name), "x86-64", new UUID(1, 2), signer);
        return DdiImage.open(tmp.resolve(name));
    }

    /** A GPT with one root partition and nothing else, as systemd-repart makes it with Verity= off. */
    private DdiImage plain(String name) throws Exception {
        Path out = tmp.resolve(name);
        long sectors = 40 + 64 + 40;
        GptPartition root = new GptPartition(PartitionTypes.of("x86-64", PartitionTypes.Role.ROOT).orElseThrow(),
                new UUID(3, 4), "root-x86-64", 40, 40 + 64 - 1, 0);
        try (FileChannel c = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(1), sectors * 512 - 1);
            Gpt.of(new UUID(5, 6), sectors, List.of(root)).write(c);
        }
        return DdiImage.open(out);
    }

    private static MergeAdmission.Decision decide(DdiImage ddi, String policy, KernelVerity k) throws Exception {
        return MergeAdmission.ddi("app.raw", ddi, ImagePolicy.parse(policy), k);
    }

    @Test
    void underSystemdsDefaultPolicyAnUnsignedDdiIsMountedUnverifiedWithOrWithoutVerityPartition() throws Exception {
        assertThat(decide(plain("p.raw"), ImagePolicy.SYSEXT_DEFAULT, NO_DM))
                .isEqualTo(new MergeAdmission.Unverified("no verity partition"));
        assertThat(decide(verity("u.raw", false), ImagePolicy.SYSEXT_DEFAULT, NO_DM))
                .isEqualTo(new MergeAdmission.Unverified("unsigned, and no root hash is given (no NAME.roothash "
                        + "beside it, no user.verity.roothash attribute): nothing to set up dm-verity with, so systemd "
                        + "mounts it unverified, and so does sysextctl"));
    }

    @Test
    void aRootHashGivenBesideAnUnsignedDdiMakesItNeedDmVerityAsASignatureDoes() throws Exception {
        DdiImage u = verity("u.raw", false);
        Files.writeString(tmp.resolve("u.roothash"), u.rootHash().orElseThrow() + "\n");
        java.util.Optional<VeritySidecar> side = VeritySidecar.find(tmp.resolve("u.raw"), tmp.resolve("u.raw"), "root");
        assertThat(side).map(VeritySidecar::rootHash).contains(u.rootHash().orElseThrow());
        MergeAdmission.Decision d = MergeAdmission.ddi("app.raw", u, ImagePolicy.parse(ImagePolicy.SYSEXT_DEFAULT),
                NO_DM, side);
        assertThat(d).isInstanceOf(MergeAdmission.Refused.class);
        assertThat(((MergeAdmission.Refused) d).rule()).isEqualTo("no-dm-verity");
        assertThat(((MergeAdmission.Refused) d).reason()).contains("needs verity by the image policy "
                + "(root=unprotected+verity+signed+encrypted+absent): its root hash is given in u.roothash, so "
                + "systemd opens it with dm-verity");
        // measured with systemd-dissect 257: the given root hash keeps the verity partition in use, and a policy
        // without verity then refuses the image
        assertThat(MergeAdmission.ddi("app.raw", u, ImagePolicy.parse("root=unprotected+absent:usr=absent"), NO_DM,
                side)).isEqualTo(new MergeAdmission.Refused("image-policy", "the image policy wants "
                        + "root=unprotected+absent, but app.raw is verity: its root hash is given in u.roothash, which "
                        + "keeps its verity partition in use (systemd 257 refuses it then); remove u.roothash or merge "
                        + "with a policy that allows root=verity", "app.raw: Image does not match image policy."));
    }

    @Test
    void aRootHashGivenBesideADdiThatIsNotItsOwnOrNotAHashIsRefusedAsTamperedUnderEveryPolicy() throws Exception {
        // systemd-dissect 257: "Cannot dissect image: Invalid argument" whatever the policy (ValidateRootHashIT)
        DdiImage u = verity("w.raw", false);
        Path side = tmp.resolve("w.roothash");
        for (String policy : List.of(ImagePolicy.SYSEXT_DEFAULT, "root=unprotected+absent:usr=absent",
                "root=verity+absent:usr=absent")) {
            Files.writeString(side, "ab".repeat(32) + "\n");
            MergeAdmission.Refused wrong = (MergeAdmission.Refused) MergeAdmission.ddi("app.raw", u,
                    ImagePolicy.parse(policy), NO_DM, VeritySidecar.find(tmp.resolve("w.raw"), tmp.resolve("w.raw"),
                            "root"));
            assertThat(wrong.rule()).isEqualTo("verity-mismatch");
            assertThat(wrong.reason()).isEqualTo("app.raw: the root hash in w.roothash (" + "ab".repeat(32) + ") is "
                    + "not the image's (" + u.rootHash().orElseThrow() + "), and systemd 257 cannot dissect the image "
                    + "under any policy; give the image's root hash or remove w.roothash");
            Files.writeString(side, "not a hash\n");
            MergeAdmission.Refused junk = (MergeAdmission.Refused) MergeAdmission.ddi("app.raw", u,
                    ImagePolicy.parse(policy), NO_DM, VeritySidecar.find(tmp.resolve("w.raw"), tmp.resolve("w.raw"),
                            "root"));
            assertThat(junk.rule()).isEqualTo("verity-mismatch");
            assertThat(junk.reason()).startsWith("app.raw: the root hash in w.roothash is not a hex root hash, and ");
        }
    }

    @Test
    void aSignedDdiUnderThePolicyThatTakesVerityIsRefusedNamingTheMissingDmVerity() throws Exception {
        MergeAdmission.Decision d = decide(verity("s.raw", true), ImagePolicy.SYSEXT_DEFAULT, NO_DM);
        assertThat(d).isInstanceOf(MergeAdmission.Refused.class);
        MergeAdmission.Refused r = (MergeAdmission.Refused) d;
        assertThat(r.rule()).isEqualTo("no-dm-verity");
        assertThat(r.reason()).startsWith("this kernel has no dm-verity (no device-mapper in /proc/misc); app.raw "
                + "needs verity by the image policy (root=unprotected+verity+signed+encrypted+absent): it is signed")
                .contains("merge it on a kernel with dm-verity", "--image-policy root=unprotected+absent")
                .doesNotContain("\n");
        assertThat(r.systemdMessage()).isEqualTo(MergeAdmission.SYSTEMD_NO_VERITY_MESSAGE);
        MergeAdmission.Refused withDm = (MergeAdmission.Refused) decide(verity("s2.raw", true),
                "root=signed+absent:usr=absent", DM);
        assertThat(withDm.reason()).startsWith("app.raw needs verity by the image policy (root=signed+absent), and "
                + "sysextctl's native engine does not set up dm-verity; merge it with --engine systemd");
        assertThat(withDm.systemdMessage()).isNull();
    }

    @Test
    void aPolicyWithoutVerityOrSignedMountsASignedDdiUnverifiedAsSystemdDoes() throws Exception {
        assertThat(decide(verity("s.raw", true), "root=unprotected+absent:usr=absent", NO_DM))
                .isEqualTo(new MergeAdmission.Unverified("the policy allows root=unprotected and neither verity "
                        + "nor signed, so its verity partitions are ignored, as systemd ignores them"));
    }

    @Test
    void aPolicyWithVerityButNotSignedIgnoresTheSignatureAndMountsTheCheckedDataUnverifiedAsSystemdDoes()
            throws Exception {
        // systemd 257 derives the signature partition's policy from the data partition's: without signed, it is
        // ignored, so no root hash is known and the data partition is mounted unverified (ConfextConformanceIT K64)
        for (KernelVerity k : List.of(NO_DM, DM)) {
            assertThat(decide(verity("s-" + k.deviceMapper() + ".raw", true), "root=verity+absent:usr=absent", k))
                    .isEqualTo(new MergeAdmission.Unverified("the policy allows root=verity but not signed, so systemd "
                            + "ignores the signature partition, the one source of the root hash, and mounts the data "
                            + "partition unverified; so does sysextctl, after checking the data against the "
                            + "signature's root hash"));
        }
        // with signed among the flags the signature is used, and dm-verity is needed as before
        assertThat(decide(verity("s2.raw", true), "root=verity+signed+absent:usr=absent", NO_DM))
                .isInstanceOf(MergeAdmission.Refused.class).extracting(x -> ((MergeAdmission.Refused) x).rule())
                .isEqualTo("no-dm-verity");
        // a root hash given beside it still makes systemd open it with dm-verity
        DdiImage s = verity("s3.raw", true);
        Files.writeString(tmp.resolve("s3.roothash"), s.rootHash().orElseThrow() + "\n");
        MergeAdmission.Decision side = MergeAdmission.ddi("app.raw", s, ImagePolicy.parse(
                "root=verity+absent:usr=absent"), NO_DM, VeritySidecar.find(tmp.resolve("s3.raw"),
                tmp.resolve("s3.raw"), "root"));
        assertThat(((MergeAdmission.Refused) side).reason()).contains("its root hash is given in s3.roothash");
    }

    @Test
    void aSignedDdiWhoseSignatureThePolicyIgnoresIsRefusedWhenItsDataDoesNotMatchTheSignaturesRootHash()
            throws Exception {
        verity("t.raw", true);
        flipDataByte("t.raw");
        MergeAdmission.Refused r = (MergeAdmission.Refused) decide(DdiImage.open(tmp.resolve("t.raw")),
                "root=verity+absent:usr=absent", NO_DM);
        assertThat(r.rule()).isEqualTo("verity-mismatch");
        assertThat(r.reason()).startsWith("app.raw: ").contains("systemd 257 would mount it unverified under this "
                + "policy (it ignores the signature), sysextctl refuses it").doesNotContain("\n");
        assertThat(r.systemdMessage()).isNull();
    }

    @Test
    void anUnsignedDdiWithoutARootHashUnderAVerityOnlyPolicyIsMountedUnverifiedAsSystemdDoes() throws Exception {
        // systemd 257 counts the verity partition as verity (no signature partition), has no root hash (nothing
        // beside the image) and mounts the data partition as it is (ConfextConformanceIT K65)
        for (KernelVerity k : List.of(NO_DM, DM)) {
            assertThat(decide(verity("u-" + k.deviceMapper() + ".raw", false), "root=verity+absent:usr=absent", k))
                    .isEqualTo(new MergeAdmission.Unverified("unsigned, and no root hash is given (no NAME.roothash "
                            + "beside it, no user.verity.roothash attribute): the policy counts its verity partition "
                            + "as root=verity, but systemd has nothing to set up dm-verity with and mounts the data "
                            + "partition unverified; so does sysextctl, after checking the data against its hash "
                            + "partition and the root hash its partition UUIDs name"));
        }
        // the other partition must still be allowed to be absent
        assertThat(decide(verity("u2.raw", false), "root=verity+absent:usr=verity", NO_DM))
                .isInstanceOf(MergeAdmission.Refused.class);
    }

    @Test
    void anUnsignedDdiUnderAVerityOnlyPolicyIsRefusedWhenItsDataDoesNotMatchItsHashTree() throws Exception {
        verity("t.raw", false);
        flipDataByte("t.raw");
        MergeAdmission.Refused r = (MergeAdmission.Refused) decide(DdiImage.open(tmp.resolve("t.raw")),
                "root=verity+absent:usr=absent", NO_DM);
        assertThat(r.rule()).isEqualTo("verity-mismatch");
        assertThat(r.reason()).startsWith("app.raw: ").endsWith("; systemd 257 would mount it unverified under this "
                + "policy (nothing gives it a root hash), sysextctl refuses it; rebuild the image or fetch it again")
                .doesNotContain("\n");
        assertThat(r.systemdMessage()).isNull();
        // where the policy allows unprotected, the image is mounted as it is, unchecked, as systemd mounts it
        assertThat(decide(DdiImage.open(tmp.resolve("t.raw")), ImagePolicy.SYSEXT_DEFAULT, NO_DM))
                .isInstanceOf(MergeAdmission.Unverified.class);
    }

    @Test
    void anUnsignedDdiUnderASignedOnlyPolicyIsRefusedAsSystemdRefusesIt() throws Exception {
        MergeAdmission.Refused r = (MergeAdmission.Refused) decide(verity("u.raw", false),
                "root=signed+absent:usr=absent", NO_DM);
        assertThat(r.rule()).isEqualTo("image-policy");
        assertThat(r.reason()).isEqualTo("the image policy wants root=signed+absent, but app.raw is unsigned (a verity "
                + "partition and no signature partition: verity to systemd); sign it (build --format ddi --sign-key "
                + "KEY --certificate CERT), or merge with a policy that allows root=verity");
        assertThat(r.systemdMessage()).isEqualTo("app.raw: Image does not match image policy.");
    }

    private void flipDataByte(String name) throws Exception {
        long at = DdiImage.open(tmp.resolve(name)).data().offset(512) + 100;
        try (FileChannel c = FileChannel.open(tmp.resolve(name), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, at);
            c.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 1)}), at);
        }
    }

    @Test
    void aDdiWithoutVerityUnderASignedPolicyAndAPolicyWantingUsrAreRefusedAsSystemdRefusesThem() throws Exception {
        MergeAdmission.Refused r = (MergeAdmission.Refused) decide(plain("p.raw"), "root=signed+absent:usr=absent",
                NO_DM);
        assertThat(r.rule()).isEqualTo("image-policy");
        assertThat(r.reason()).isEqualTo("the image policy wants root=signed+absent, but app.raw is unprotected (no "
                + "verity partition); build it with verity and sign it (build --format ddi --sign-key KEY "
                + "--certificate CERT)");
        assertThat(r.systemdMessage()).isEqualTo("app.raw: Image does not match image policy.");
        MergeAdmission.Refused usr = (MergeAdmission.Refused) decide(plain("p2.raw"), "root=unprotected:usr=verity",
                NO_DM);
        assertThat(usr.reason()).isEqualTo("the image policy wants usr=verity, but app.raw has no usr partition; "
                + "merge with a policy with usr=...+absent");
    }

    @Test
    void aBareImageIsAnUnprotectedRootPartition() throws Exception {
        assertThat(MergeAdmission.bare("b.raw", ImagePolicy.sysextDefault())).isInstanceOf(
                MergeAdmission.Unverified.class);
        MergeAdmission.Refused r = (MergeAdmission.Refused) MergeAdmission.bare("b.raw",
                ImagePolicy.parse("root=signed+absent:usr=absent"));
        assertThat(r.reason()).startsWith("the image policy wants root=signed+absent, but b.raw is a bare image");
    }

    @Test
    void kernelVerityIsFoundByAnyOfItsSignsAndMissingWhenNoneIsThere(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/misc"), "237 loop-control\n229 fuse\n");
        Files.writeString(root.resolve("proc/devices"), "Block devices:\n  7 loop\n259 blkext\n");
        KernelVerity none = KernelVerity.probe(root);
        assertThat(none.deviceMapper()).isFalse();
        assertThat(none.evidence()).isEqualTo("no device-mapper in /proc/misc or /proc/devices, no "
                + "/sys/module/dm_mod");
        // a stale node, as libdevmapper leaves it behind on such a kernel, is no device-mapper
        Files.createDirectories(root.resolve("dev/mapper"));
        Files.writeString(root.resolve("dev/mapper/control"), "");
        assertThat(KernelVerity.probe(root).deviceMapper()).isFalse();
        Files.writeString(root.resolve("proc/misc"), "237 loop-control\n236 device-mapper\n");
        assertThat(KernelVerity.probe(root)).isEqualTo(new KernelVerity(true, "device-mapper in /proc/misc"));
        Files.writeString(root.resolve("proc/misc"), "");
        Files.createDirectories(root.resolve("sys/module/dm_mod"));
        assertThat(KernelVerity.probe(root)).isEqualTo(new KernelVerity(true, "/sys/module/dm_mod"));
    }
}
