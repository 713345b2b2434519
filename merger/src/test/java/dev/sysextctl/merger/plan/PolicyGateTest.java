package dev.sysextctl.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiWriter;
import dev.sysextctl.core.image.ddi.ImagePolicy;
import dev.sysextctl.core.image.ddi.KernelVerity;
import dev.sysextctl.core.image.ddi.MergeAdmission;
import dev.sysextctl.merger.discovery.ImageEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy gate of list, explain and merge finds a DDI's root hash where systemd 257 looks for it (docs/ddi.md §6):
 * {@code NAME.roothash} beside the entry in the search directory under the node's root, not beside the link's target.
 */
class PolicyGateTest {
    static final KernelVerity NO_DM = new KernelVerity(false, "no device-mapper in /proc/misc");

    @TempDir
    Path tmp;

    @Test
    void aRootHashFileBesideTheLinkInTheSearchDirectoryMakesTheDdiNeedDmVerity() throws Exception {
        Path fs = tmp.resolve("fs");
        byte[] b = new byte[8 * 4096];
        new Random(3).nextBytes(b);
        Files.write(fs, b);
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path store = Files.createDirectories(root.resolve("opt/app"));
        Path image = store.resolve("app-1.raw");
        DdiWriter.write(fs, image, "x86-64", new UUID(1, 2), null);
        Path dir = Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(dir.resolve("app.raw"), Path.of("/opt/app/app-1.raw"));
        ImageEntry e = new ImageEntry("app", ImageType.RAW, "/etc/extensions/app.raw", "/etc/extensions",
                "/opt/app/app-1.raw", image, 0);
        PolicyGate gate = new PolicyGate(null, NO_DM, root);
        String hash = DdiImage.open(image).rootHash().orElseThrow();

        Files.writeString(store.resolve("app-1.roothash"), hash);
        assertThat(gate.refusals(List.of(e))).as("beside the target: not where systemd looks").isEmpty();

        Files.writeString(dir.resolve("app.roothash"), hash + "\n");
        Map<ImageEntry, MergeAdmission.Refused> refused = gate.refusals(List.of(e));
        assertThat(refused).containsOnlyKeys(e);
        assertThat(refused.get(e).rule()).isEqualTo("no-dm-verity");
        assertThat(refused.get(e).reason()).contains("app.raw needs verity by the image policy (root=unprotected+"
                + "verity+signed+encrypted+absent): its root hash is given in app.roothash, so systemd opens it with "
                + "dm-verity");
    }

    /**
     * list judges each image by the format its reading told, without opening the image again to tell it: an entry
     * whose file is gone since it was read is still judged as what it was read as.
     */
    @Test
    void theFormatReadingToldJudgesAnImageWithoutOpeningItAgain() throws Exception {
        Path gone = tmp.resolve("gone.raw");
        ImageEntry e = new ImageEntry("gone", ImageType.RAW, "/etc/extensions/gone.raw", "/etc/extensions", null,
                gone, 0);
        PolicyGate gate = new PolicyGate(ImagePolicy.parse("root=verity+signed"), NO_DM, null);
        assertThat(gate.refusals(List.of(e))).as("telling the format opens the file: none").isEmpty();

        Map<ImageEntry, ImageInspection> read = Map.of(e, new ImageInspection.NeedsRoot(ImageFormat.SQUASHFS,
                "a squashfs raw image: reading it needs root"));
        Map<ImageEntry, MergeAdmission.Refused> refused = gate.refusals(List.of(e), read);
        assertThat(refused).containsOnlyKeys(e);
        assertThat(refused.get(e).reason()).contains("gone.raw is a bare image");

        Map<ImageEntry, ImageInspection> unknown = Map.of(e, new ImageInspection.Unreadable(ImageFormat.UNKNOWN,
                "not an image", null));
        assertThat(gate.refusals(List.of(e), unknown)).as("neither image nor DDI: left to the readers").isEmpty();
    }
}
