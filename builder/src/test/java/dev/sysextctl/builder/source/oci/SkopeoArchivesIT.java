package dev.sysextctl.builder.source.oci;

import static dev.sysextctl.builder.Fixtures.Member.dir;
import static dev.sysextctl.builder.Fixtures.Member.file;
import static dev.sysextctl.builder.Fixtures.Member.symlink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.source.ArchiveCompression;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives written by a real tool pass the outer archive's checks ({@link ImageFiles#archive}): skopeo's
 * {@code docker-archive} (whose {@code ID/layer.tar} are symlinks to {@code ../HEX.tar}, read in place) and its
 * {@code oci-archive} (directory entries, the layout's files) give what the OCI layout they were copied from gives.
 */
@Requires(tools = "skopeo")
class SkopeoArchivesIT {
    @TempDir
    Path tmp;

    private Fixtures.Scan scan(String ref) throws Exception {
        return Fixtures.scan(ContainerImageSource.open(ImageReference.parse(ref).orElseThrow(), ContainerSelection.ALL));
    }

    @Test
    void skopeosArchivesReadAsTheLayoutTheyWereCopiedFrom() throws Exception {
        Path layout = tmp.resolve("layout");
        OciFixture.ociDir(layout, List.of(
                OciFixture.LayerSpec.of(ArchiveCompression.GZIP, dir("usr/"), dir("usr/bin/"),
                        file("usr/bin/app", "app v1\n").mode(0755), symlink("usr/bin/a", "app")),
                OciFixture.LayerSpec.plain(dir("usr/"), dir("usr/bin/"), file("usr/bin/app", "app v2\n").mode(0755))),
                "app:1");
        Fixtures.Scan expected = scan("oci:" + layout);
        Shell.run("skopeo", "copy", "-q", "oci:" + layout + ":app:1", "docker-archive:" + tmp.resolve("d.tar") + ":app:1")
                .assertSuccess();
        Shell.run("skopeo", "copy", "-q", "oci:" + layout + ":app:1", "oci-archive:" + tmp.resolve("o.tar"))
                .assertSuccess();
        String listing = Shell.run("tar", "tvf", tmp.resolve("d.tar").toString()).assertSuccess().stdout();
        assertThat(listing).as("skopeo links the legacy layer names").contains("/layer.tar -> ../");
        for (String ref : List.of("docker-archive:" + tmp.resolve("d.tar"), "oci-archive:" + tmp.resolve("o.tar"))) {
            Fixtures.Scan s = scan(ref);
            assertThat(s.entries()).as(ref).isEqualTo(expected.entries());
            assertThat(s.contents()).as(ref).isEqualTo(expected.contents());
        }
    }
}
