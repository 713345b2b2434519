package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiImageFs;
import dev.sysextctl.core.image.ddi.GptPartition;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieChroot;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDIs against the real peers of Debian trixie (systemd 257's systemd-repart and systemd-dissect, veritysetup,
 * sfdisk, openssl; docs/ddi.md): sysextctl's DDIs pass them, and theirs are read by sysextctl.
 */
@Requires(root = true, mounts = true, tools = {"mkfs.erofs", "mksquashfs", "openssl", "unshare", "chroot"})
class DdiPeersIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));
    static final String SEED = "0c1a9a8e-1111-4222-8333-444455556666";
    static final String POLICY_SIGNED = "--image-policy=root=signed+absent:usr=absent";

    @TempDir
    Path tmp;
    Path tree;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    @BeforeEach
    void setUp() throws Exception {
        tree = tmp.resolve("tree");
        Fixtures.file(tree, "usr/bin/hello", "#!/bin/sh\necho hello\n");
        Fixtures.file(tree, "usr/share/hello/data", "");
        Shell.shOk("head -c 600000 /dev/urandom > '" + tree.resolve("usr/share/hello/data") + "'");
        Fixtures.file(tree, "usr/lib/extension-release.d/extension-release.app", RELEASE.render());
        DdiBuildIT.keyPair(tmp);
    }

    private Path build(String out, DdiSettings ddi) throws Exception {
        // without a checksum, as build -q makes it: the DDI made in the file system's own file (docs/ddi.md §8;
        // DdiBuildIT shows the copy a checksummed build makes has the same bytes)
        new ImageBuilder(tools).withoutChecksum().build(BuildRequest.builder("app").source(new DirectorySource(tree))
                .extensionRelease(RELEASE).format(BuildFormat.DDI).ddi(ddi).output(tmp.resolve(out)).build());
        return tmp.resolve(out);
    }

    private DdiSettings signed() {
        return new DdiSettings(null, tmp.resolve("key.pem"), tmp.resolve("cert.pem"), UUID.fromString(SEED));
    }

    private Shell.Result chroot(String script) {
        Shell.Result r = TrixieChroot.run(tmp, script);
        assertThat(r.exitCode()).as(r.all()).isZero();
        return r;
    }

    @Test
    void sysextctlDdisPassSystemdDissectValidateAndOnlyTheSignedOneTheSignedPolicy() throws Exception {
        build("signed.raw", signed());
        build("unsigned.raw", null);
        build("squashfs.raw", new DdiSettings(BuildFormat.SQUASHFS, null, null, null));
        Shell.Result r = chroot("mkdir -p /etc/verity.d && cp cert.pem /etc/verity.d/test.crt\n"
                + "for f in signed unsigned squashfs; do echo \"$f: $(systemd-dissect --validate $f.raw 2>&1)\"; done\n"
                + "echo \"signed+policy: $(systemd-dissect --validate " + POLICY_SIGNED + " signed.raw 2>&1)\"\n"
                + "if systemd-dissect --validate " + POLICY_SIGNED + " unsigned.raw >/dev/null 2>&1; then "
                + "echo 'unsigned+policy: admitted'; else echo 'unsigned+policy: refused'; fi\n");
        assertThat(r.stdout().lines()).containsExactly("signed: OK", "unsigned: OK", "squashfs: OK",
                "signed+policy: OK", "unsigned+policy: refused");
    }

    @Test
    void veritysetupVerifiesTheHashTreeAndRefusesAFlippedDataByte() throws Exception {
        DdiImage ddi = DdiImage.open(build("signed.raw", signed()));
        extract(ddi.path(), ddi.data(), tmp.resolve("data.img"));
        extract(ddi.path(), ddi.verity().orElseThrow(), tmp.resolve("hash.img"));
        Files.copy(tmp.resolve("data.img"), tmp.resolve("flipped.img"));
        assertThat(Files.size(tmp.resolve("data.img"))).isGreaterThan(600_000);
        try (RandomAccessFile f = new RandomAccessFile(tmp.resolve("flipped.img").toFile(), "rw")) {
            f.seek(300_000);
            int b = f.read();
            f.seek(300_000);
            f.write(b ^ 1);
        }
        String root = ddi.rootHash().orElseThrow();
        Shell.Result r = chroot("veritysetup verify data.img hash.img " + root + " && echo clean: verified\n"
                + "if veritysetup verify flipped.img hash.img " + root + " 2>/dev/null; then echo flipped: verified; "
                + "else echo flipped: refused; fi\n"
                + "veritysetup dump hash.img | grep -E '^(Hash type|Data blocks|Data block size|Hash algorithm):'");
        assertThat(r.stdout()).contains("clean: verified", "flipped: refused").doesNotContain("flipped: verified");
        assertThat(r.stdout()).containsPattern("Hash type:\\s+1").containsPattern("Data block size:\\s+4096")
                .containsPattern("Hash algorithm:\\s+sha256")
                .containsPattern("Data blocks:\\s+" + ddi.data().size(512) / 4096);
    }

    @Test
    void opensslCmsVerifiesTheSignatureWithTheSignersCertificateOnly() throws Exception {
        DdiImage ddi = DdiImage.open(build("signed.raw", signed()));
        Files.write(tmp.resolve("sig.der"), ddi.signature().orElseThrow().signatureDer());
        Files.writeString(tmp.resolve("roothash"), ddi.rootHash().orElseThrow());
        Path other = Files.createDirectory(tmp.resolve("other"));
        DdiBuildIT.keyPair(other);
        Shell.Result r = chroot("openssl cms -verify -binary -inform der -in sig.der -content roothash "
                + "-certfile cert.pem -nointern -noverify -out /dev/null 2>&1\n"
                + "if openssl cms -verify -binary -inform der -in sig.der -content roothash -certfile other/cert.pem "
                + "-nointern -noverify -out /dev/null 2>/dev/null; then echo other: verified; "
                + "else echo other: refused; fi");
        assertThat(r.stdout()).contains("Verification successful", "other: refused");
    }

    @Test
    void theSamePartitionsAsTheDdiSystemdRepartMakesOfTheSameTree() throws Exception {
        build("sysextctl.raw", signed());
        Shell.Result r = chroot("systemd-repart --make-ddi=sysext --copy-source=/work/tree --private-key=key.pem "
                + "--certificate=cert.pem --seed=" + SEED + " repart.raw >/dev/null 2>&1\n"
                + "for f in sysextctl repart; do sfdisk --json $f.raw > $f.sfdisk.json; "
                + "systemd-dissect --json=short --image-policy='*' $f.raw > $f.dissect.json; done");
        assertThat(r.exitCode()).isZero();
        assertThat(partitions(tmp.resolve("sysextctl.sfdisk.json")))
                .isEqualTo(partitions(tmp.resolve("repart.sfdisk.json")))
                .containsExactly("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 root-x86-64 GUID:60",
                        "2C7357ED-EBD2-46D9-AEC1-23D437EC2BF5 root-x86-64-verity GUID:60",
                        "41092B05-9FC8-4523-994F-2DEF0408B176 root-x86-64-verity-sig -");
        assertThat(mounts(tmp.resolve("sysextctl.dissect.json"))).isEqualTo(mounts(tmp.resolve("repart.dissect.json")))
                .contains("root root-x86-64 erofs x86-64 signed");
    }

    @Test
    void signedAndUnsignedDdisMadeBySystemdRepartAreReadAndVerifiedBySysextctl() throws Exception {
        Path defs = Files.createDirectory(tmp.resolve("defs"));
        Files.writeString(defs.resolve("10-root.conf"), "[Partition]\nType=root\nFormat=erofs\nCopyFiles=/usr/\n"
                + "Verity=data\nVerityMatchKey=root\nMinimize=best\n");
        Files.writeString(defs.resolve("20-root-verity.conf"), "[Partition]\nType=root-verity\nVerity=hash\n"
                + "VerityMatchKey=root\nMinimize=best\n");
        chroot("systemd-repart --make-ddi=sysext --copy-source=/work/tree --private-key=key.pem "
                + "--certificate=cert.pem --json=short signed.raw > signed.json\n"
                + "systemd-repart --empty=create --size=auto --dry-run=no --definitions=/work/defs "
                + "--copy-source=/work/tree --json=short unsigned.raw > unsigned.json");
        String fingerprint = Shell.shOk("openssl x509 -in '" + tmp.resolve("cert.pem") + "' -outform der | sha256sum")
                .stdout().substring(0, 64);
        for (String name : List.of("signed", "unsigned")) {
            JsonNode table = Json.mapper().readTree(tmp.resolve(name + ".json").toFile());
            DdiImage ddi = DdiImage.open(tmp.resolve(name + ".raw"));
            assertThat(ddi.architecture()).isEqualTo("x86-64");
            assertThat(ddi.fileSystem()).isEqualTo(DdiImage.FileSystem.EROFS);
            assertThat(ddi.rootHash()).contains(table.get(0).get("roothash").asText());
            assertThat(ddi.verify()).as(name).isEmpty();
            if (name.equals("signed")) {
                assertThat(ddi.signature().orElseThrow().certificateFingerprint()).isEqualTo(fingerprint);
            } else {
                assertThat(ddi.signaturePartition()).isEmpty();
            }
            try (DdiImageFs fs = DdiImageFs.of(ddi)) {
                assertThat(new String(fs.read("usr/bin/hello"))).isEqualTo("#!/bin/sh\necho hello\n");
                assertThat(new String(fs.read("usr/lib/extension-release.d/extension-release.app")))
                        .isEqualTo(RELEASE.render());
                assertThat(fs.walk()).extracting(TreeEntry::path).contains("usr/share/hello/data");
            }
        }
    }

    private static void extract(Path image, GptPartition p, Path to) throws Exception {
        try (var in = java.nio.channels.FileChannel.open(image);
                var out = java.nio.channels.FileChannel.open(to, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE)) {
            in.transferTo(p.offset(512), p.size(512), out);
        }
    }

    /** Type, name and attributes of each partition, as sfdisk lists them. */
    static List<String> partitions(Path sfdiskJson) throws Exception {
        List<String> out = new ArrayList<>();
        JsonNode t = Json.mapper().readTree(sfdiskJson.toFile()).get("partitiontable");
        assertThat(t.get("label").asText()).isEqualTo("gpt");
        assertThat(t.get("sectorsize").asInt()).isEqualTo(512);
        for (JsonNode p : t.get("partitions")) {
            out.add(p.get("type").asText() + " " + p.get("name").asText() + " "
                    + (p.has("attrs") ? p.get("attrs").asText() : "-"));
        }
        return out;
    }

    /** Designator, label, file system, architecture and verity state of each partition systemd-dissect found. */
    static List<String> mounts(Path dissectJson) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode m : Json.mapper().readTree(dissectJson.toFile()).get("mounts")) {
            out.add(m.get("designator").asText() + " " + m.get("partition_label").asText() + " "
                    + m.get("fstype").asText() + " " + m.get("architecture").asText() + " "
                    + m.get("verity").asText());
        }
        return out;
    }
}
