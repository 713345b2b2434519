package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiSigner;
import dev.sysextctl.core.image.ddi.DdiWriter;
import dev.sysextctl.core.image.ddi.GptPartition;
import dev.sysextctl.core.image.ddi.KernelVerity;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LabMain;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.lab.Snapshot;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.TrixieChroot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native engine merges DDIs as systemd does where the image policy lets it (docs/ddi.md §7): the data
 * partition mounted read-only from a loop device at its offset and size, in a private mount namespace, merged,
 * refreshed and unmerged; DDIs made by sysextctl (erofs and squashfs inside) and by systemd-repart 257. A DDI that
 * would need dm-verity is refused with the reason, never mounted unverified, and the rest is merged.
 */
@Requires(root = true, mounts = true, tools = {"mkfs.erofs", "mksquashfs", "openssl", "unshare", "losetup"})
class DdiMergeIT {
    static final String E = "/etc/extensions";
    static final UUID SEED = UUID.fromString("0c1a9a8e-1111-4222-8333-444455556666");

    @TempDir
    Path tmp;

    private static String lab(String args) {
        return Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " " + LabMain.class.getName() + " " + args;
    }

    /** A DDI as {@code build --format ddi} writes it (DdiWriter), around an erofs or squashfs of {@code ext}. */
    private Path ddi(Layout l, Ext ext, boolean squashfs, boolean signed) throws Exception {
        Path fs = tmp.resolve(ext.name() + (squashfs ? ".squashfs" : ".erofs"));
        if (squashfs) {
            ext.squashfs(fs);
        } else {
            ext.erofs(fs);
        }
        DdiSigner signer = null;
        if (signed) {
            dev.sysextctl.testing.Shell.shOk("cd '" + tmp + "' && [ -f key.pem ] || openssl req -x509 -newkey "
                    + "rsa:2048 -nodes -keyout key.pem -out cert.pem -days 3650 -subj /CN=sysextctl-test 2>&1");
            signer = DdiSigner.of(new NativeTools(new ZtProcessRunner()).openssl(), tmp.resolve("key.pem"),
                    tmp.resolve("cert.pem"));
        }
        l.mkdirs(E);
        Path out = l.path(E).resolve(ext.name() + ".raw");
        DdiWriter.write(fs, out, "x86-64", SEED, signer);
        return out;
    }

    /** The loop devices backed by {@code file}: "offset sizelimit" each. */
    private static String loopsOf(Path file) {
        return "losetup --list --noheadings --output BACK-FILE,OFFSET,SIZELIMIT | awk -v f=" + Shell.quote(
                file.toString()) + " '$1 == f {print \"@loop \" $2 \" \" $3}'";
    }

    private static List<String> loops(String extra) {
        List<String> out = new ArrayList<>();
        extra.lines().filter(x -> x.startsWith("@loop ")).forEach(x -> out.add(x.substring(6)));
        return out;
    }

    private static String partition(Path image) throws Exception {
        GptPartition p = DdiImage.open(image).data();
        return p.offset(512) + " " + p.size(512);
    }

    @Test
    void unsignedDdisMadeBySysextctlAreMergedFromTheirRootPartitionRefreshedAndUnmerged() throws Exception {
        Layout l = Layout.create(tmp.resolve("own"));
        Path erofs = ddi(l, Ext.named("app").file("usr/share/app/data", "erofs inside"), false, false);
        Path squashfs = ddi(l, Ext.named("sq").file("usr/share/sq/data", "squashfs inside"), true, false);
        String refreshed = "usr/share/app/data";
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).probes("/usr/share/app/data", "/usr/share/sq/data",
                "/usr/share/sysext-test/host").after(loopsOf(erofs) + "; " + loopsOf(squashfs)
                + "; echo '@@refresh'; " + lab("refresh \"$R\"") + " 2>&1; echo \"@@rrc $?\"; cat \"$R/" + refreshed
                + "\"; echo; " + loopsOf(erofs)));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.output()).contains("Using extensions 'app', 'sq'.");
        assertThat(s.usrExtensions()).containsExactly("app", "sq");
        assertThat(s.files()).containsEntry("/usr/share/app/data", "erofs inside")
                .containsEntry("/usr/share/sq/data", "squashfs inside")
                .containsEntry("/usr/share/sysext-test/host", "host");
        String extra = s.extra();
        String before = extra.substring(0, extra.indexOf("@@refresh"));
        // each DDI on one loop device over its root partition alone (sysextctl's DDIs start it at sector 40)
        assertThat(loops(before)).containsExactly(partition(erofs), partition(squashfs));
        assertThat(partition(erofs)).startsWith("20480 ");
        String after = extra.substring(extra.indexOf("@@refresh"));
        assertThat(after).contains("@@rrc 0").contains("Unmerged '" + l.root() + "/usr'.")
                .contains("Merged extensions into '" + l.root() + "/usr'.").contains("erofs inside");
        assertThat(loops(after)).containsExactly(partition(erofs));
        assertThat(s.unmergeOutput()).contains("Unmerged '" + l.root() + "/usr'.");
        assertThat(Differential.sysextMounts(s.mountsAfter())).as("%s", s).isEmpty();
    }

    @Test
    void ddisMadeBySystemdRepartWithAndWithoutVerityAreMergedNatively() throws Exception {
        Path work = Files.createDirectory(tmp.resolve("work"));
        Ext.named("rplain").file("usr/share/rplain/data", "repart plain").tree(work.resolve("plain"));
        Ext.named("rverity").file("usr/share/rverity/data", "repart verity").tree(work.resolve("verity"));
        Path defs = Files.createDirectories(work.resolve("defs/plain"));
        Files.writeString(defs.resolve("10-root.conf"), "[Partition]\nType=root\nFormat=erofs\nCopyFiles=/usr/\n"
                + "Minimize=best\n");
        Path vdefs = Files.createDirectories(work.resolve("defs/verity"));
        Files.writeString(vdefs.resolve("10-root.conf"), "[Partition]\nType=root\nFormat=squashfs\n"
                + "CopyFiles=/usr/\nVerity=data\nVerityMatchKey=root\nMinimize=best\n");
        Files.writeString(vdefs.resolve("20-root-verity.conf"), "[Partition]\nType=root-verity\nVerity=hash\n"
                + "VerityMatchKey=root\nMinimize=best\n");
        dev.sysextctl.testing.Shell.Result r = TrixieChroot.run(work, "for k in plain verity; do "
                + "systemd-repart --empty=create --size=auto --dry-run=no --definitions=/work/defs/$k "
                + "--copy-source=/work/$k r$k.raw >/dev/null; done");
        assertThat(r.exitCode()).as(r.all()).isZero();
        Layout l = Layout.create(tmp.resolve("repart")).mkdirs(E);
        Files.copy(work.resolve("rplain.raw"), l.path(E).resolve("rplain.raw"));
        Files.copy(work.resolve("rverity.raw"), l.path(E).resolve("rverity.raw"));
        assertThat(DdiImage.open(l.path(E).resolve("rverity.raw")).verity()).isPresent();
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).probes("/usr/share/rplain/data",
                "/usr/share/rverity/data").after(loopsOf(l.path(E).resolve("rplain.raw")) + "; "
                + loopsOf(l.path(E).resolve("rverity.raw"))));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.usrExtensions()).containsExactly("rplain", "rverity");
        assertThat(s.files()).containsEntry("/usr/share/rplain/data", "repart plain")
                .containsEntry("/usr/share/rverity/data", "repart verity");
        assertThat(loops(s.extra())).containsExactly(partition(l.path(E).resolve("rplain.raw")),
                partition(l.path(E).resolve("rverity.raw")));
        assertThat(Differential.sysextMounts(s.mountsAfter())).as("%s", s).isEmpty();
    }

    @Test
    void aSignedDdiNeedingVerityIsRefusedWithTheKernelsReasonAndTheRestIsMerged() throws Exception {
        Layout l = Layout.create(tmp.resolve("signed"));
        Path signed = ddi(l, Ext.named("signed").file("usr/share/signed/data", "s"), false, true);
        ddi(l, Ext.named("plain").file("usr/share/plain/data", "p"), false, false);
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).probes("/usr/share/signed/data", "/usr/share/plain/data")
                .after(loopsOf(signed) + "; echo '@@list'; " + lab("list \"$R\"")));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.usrExtensions()).containsExactly("plain");
        assertThat(s.files()).containsEntry("/usr/share/signed/data", null);
        String kernel = KernelVerity.probe().deviceMapper() ? "sysextctl's native engine does not set up dm-verity"
                : "this kernel has no dm-verity (";
        assertThat(s.output()).contains("warning: skipped image 'signed' (/etc/extensions/signed.raw) refused under "
                + "the image policy 'root=verity+signed+encrypted+unprotected+absent:usr=verity+signed+encrypted+"
                + "unprotected+absent' [no-dm-verity]: ").contains(kernel)
                .contains("signed.raw needs verity by the image policy (root=unprotected+verity+signed+encrypted+"
                        + "absent)");
        assertThat(s.output().lines().filter(x -> x.contains("signed.raw needs verity"))).singleElement()
                .satisfies(x -> assertThat(x).doesNotContain("Exception"));
        assertThat(loops(s.extra())).as("never mounted unverified").isEmpty();
        JsonNode list = Json.mapper().readTree(s.extra().substring(s.extra().indexOf("@@list") + 6));
        List<String> states = new ArrayList<>();
        list.path("images").forEach(x -> states.add(x.path("name").asText() + ":" + x.path("state").asText() + ":"
                + x.path("rule").asText() + ":" + x.path("format").asText()));
        assertThat(states).containsExactlyInAnyOrder("signed:refused:no-dm-verity:gpt",
                "plain:active:version-match:gpt");
    }

    @Test
    void withNothingElseToMergeTheSummaryNamesThePolicyAndTheFixNotAnIncompatibleVersion() throws Exception {
        Layout l = Layout.create(tmp.resolve("only"));
        ddi(l, Ext.named("signed").file("usr/share/signed/data", "s"), false, true);
        ddi(l, Ext.named("fed").release("ID=fedora\n"), false, false);
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE));
        assertThat(s.rc()).as("%s", s).isZero();
        assertThat(s.mergedHierarchies()).isEmpty();
        assertThat(s.output()).contains("No suitable extensions found (1 ignored due to incompatible version, 1 "
                + "refused under the image policy 'root=verity+signed+encrypted+unprotected+absent:usr=verity+signed+"
                + "encrypted+unprotected+absent': 'signed' [no-dm-verity]: ")
                .contains("--image-policy root=unprotected+absent");
    }

    @Test
    void anImagePolicyDecidesWhichDdisAreMountedUnverifiedAndWhichAreRefused() throws Exception {
        Layout l = Layout.create(tmp.resolve("policy"));
        ddi(l, Ext.named("signed").file("usr/share/signed/data", "s"), false, true);
        ddi(l, Ext.named("unsigned").file("usr/share/unsigned/data", "u"), true, false);
        Snapshot open = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("merge --image-policy "
                + "root=unprotected+absent:usr=absent").probes("/usr/share/signed/data"));
        assertThat(open.rc()).as("%s", open).isZero();
        assertThat(open.usrExtensions()).containsExactly("signed", "unsigned");
        assertThat(open.files()).containsEntry("/usr/share/signed/data", "s");
        // verity without signed: systemd 257 ignores the signature partition and mounts the signed DDI's data
        // partition unverified (ConfextConformanceIT K64); the unsigned one has no root hash either and is mounted
        // unverified too (K65); the native engine does both, after checking each one's data in userspace
        Snapshot strict = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("merge --image-policy "
                + "root=verity+absent:usr=absent").probes("/usr/share/signed/data", "/usr/share/unsigned/data"));
        assertThat(strict.rc()).as("%s", strict).isZero();
        assertThat(strict.usrExtensions()).containsExactly("signed", "unsigned");
        assertThat(strict.files()).containsEntry("/usr/share/signed/data", "s")
                .containsEntry("/usr/share/unsigned/data", "u");
        assertThat(strict.output()).doesNotContain("[image-policy]").doesNotContain("[no-dm-verity]");
        Snapshot signedToo = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("merge --image-policy "
                + "root=verity+signed+absent:usr=absent"));
        assertThat(signedToo.usrExtensions()).as("%s", signedToo).containsExactly("unsigned");
        assertThat(signedToo.output()).contains("[no-dm-verity]");
    }
}
