package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.ImagePolicy;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieChroot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate --image-policy} against {@code systemd-dissect --json=short --image-policy} 257 (the trixie chroot,
 * docs/testing.md §2) on DDIs built by sysextctl, with the root hash from nowhere, from a {@code NAME.roothash} file
 * beside the image, from the {@code user.verity.roothash} attribute, from a wrong {@code NAME.roothash}, and from
 * the signature partition: both admit or refuse alike under each policy, and what systemd-dissect says of the data
 * partition's verity ({@code "no"}: mounted unverified, {@code "yes"}: a root hash for dm-verity) is what validate
 * says (docs/ddi.md §6).
 */
@Requires(root = true, mounts = true, tools = {"mkfs.erofs", "openssl", "unshare", "chroot"})
class ValidateRootHashIT {
    static final List<String> POLICIES = List.of(ImagePolicy.SYSEXT_DEFAULT, "root=verity+absent:usr=absent",
            "root=signed+absent:usr=absent", "root=unprotected+absent:usr=absent");
    static final Pattern DISSECT = Pattern.compile("@@(\\S+) (\\d) (\\S+) (\\d+) (.*)");

    @TempDir
    Path tmp;

    private void build(String out, String... extra) {
        List<String> argv = new ArrayList<>(List.of("build", tmp.resolve("tree").toString(), "--name", "app", "--arch",
                "x86-64", "--format", "ddi", "-o", tmp.resolve(out).toString(), "-q"));
        argv.addAll(List.of(extra));
        Cli.Run r = Cli.run(argv.toArray(String[]::new));
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void validateAdmitsRefusesAndNamesTheVerityOfEachDdiAsSystemdDissectDoes() throws Exception {
        Files.createDirectories(tmp.resolve("tree/usr/share/app"));
        Files.writeString(tmp.resolve("tree/usr/share/app/data"), "app\n");
        Path keys = Files.createDirectory(tmp.resolve("keys"));
        Shell.shOk("cd '" + keys + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem "
                + "-days 3650 -subj /CN=app 2>&1");
        Path trusted = Files.createDirectory(tmp.resolve("verity.d"));
        Files.copy(keys.resolve("cert.pem"), trusted.resolve("app.crt"));
        for (String name : List.of("plain", "side", "attr", "wrong")) {
            build(name + ".raw");
        }
        build("signed.raw", "--sign-key", keys.resolve("key.pem").toString(), "--certificate",
                keys.resolve("cert.pem").toString());
        String hash = DdiImage.open(tmp.resolve("side.raw")).rootHash().orElseThrow();
        Files.writeString(tmp.resolve("side.roothash"), hash + "\n");
        Files.writeString(tmp.resolve("wrong.roothash"), "ab".repeat(32) + "\n");
        Files.getFileAttributeView(tmp.resolve("attr.raw"), UserDefinedFileAttributeView.class).write(
                "verity.roothash", ByteBuffer.wrap(DdiImage.open(tmp.resolve("attr.raw")).rootHash().orElseThrow()
                        .getBytes(StandardCharsets.US_ASCII)));
        List<String> images = List.of("plain", "side", "attr", "wrong", "signed");

        StringBuilder script = new StringBuilder("mkdir -p /etc/verity.d && cp /work/verity.d/app.crt /etc/verity.d/\n");
        for (String image : images) {
            for (int p = 0; p < POLICIES.size(); p++) {
                script.append("out=$(systemd-dissect --json=short --image-policy='").append(POLICIES.get(p))
                        .append("' ").append(image).append(".raw 2>&1) && rc=0 || rc=$?\n")
                        .append("v=$(echo \"$out\" | grep -o '\"designator\":\"root\"[^}]*\"verity\":[^,]*' | ")
                        .append("sed 's/.*\"verity\"://; s/\"//g')\n")
                        .append("echo \"@@").append(image).append(' ').append(p)
                        .append(" ${v:-none} $rc $(echo \"$out\" | tail -n 1 | cut -c1-120)\"\n");
            }
        }
        Shell.Result r = TrixieChroot.run(tmp, script.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        Map<String, String> dissect = new LinkedHashMap<>();
        Map<String, String> sysextctl = new LinkedHashMap<>();
        Matcher m = DISSECT.matcher(r.stdout());
        while (m.find()) {
            String image = m.group(1);
            String policy = POLICIES.get(Integer.parseInt(m.group(2)));
            String verity = m.group(3);
            boolean admitted = m.group(4).equals("0");
            dissect.put(image + " " + policy, (admitted ? "admitted" : "refused")
                    + (admitted ? " verity=" + verity : ""));
            Cli.Run v = Cli.run("validate", tmp.resolve(image + ".raw").toString(), "--as", "app", "--image-policy",
                    policy, "--trusted-certs", trusted.toString());
            String line = v.out().lines().filter(x -> x.contains(": policy " + policy + ": ")).findFirst().orElse("");
            String said = v.exit() != 0 ? "refused" : "admitted verity="
                    + (line.contains("admitted as signed") ? "signed"
                    : line.contains("with the root hash from") ? "yes"
                    : line.contains("unverified") ? "no" : "?" + line);
            sysextctl.put(image + " " + policy, said);
            assertThat(v.err()).doesNotContain("\tat ");
        }
        assertThat(dissect).as(r.all()).hasSize(images.size() * POLICIES.size());
        assertThat(sysextctl).isEqualTo(dissect);
        // the measured facts the comparison rests on
        assertThat(dissect).containsEntry("plain " + POLICIES.get(0), "admitted verity=no")
                .containsEntry("side " + POLICIES.get(0), "admitted verity=yes")
                .containsEntry("attr " + POLICIES.get(0), "admitted verity=yes")
                .containsEntry("wrong " + POLICIES.get(0), "refused")
                .containsEntry("side " + POLICIES.get(2), "refused")
                .containsEntry("side " + POLICIES.get(3), "refused")
                .containsEntry("plain " + POLICIES.get(3), "admitted verity=no")
                .containsEntry("signed " + POLICIES.get(1), "admitted verity=no");
        Cli.Run wrong = Cli.run("validate", tmp.resolve("wrong.raw").toString(), "--as", "app");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.out()).contains("wrong.raw: refused [verity-mismatch]", "the root hash in wrong.roothash ("
                + "ab".repeat(32) + ") is not the image's");
    }
}
