package dev.sysextctl.provision.sysupdate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import org.junit.jupiter.api.Test;

class TransferFileTest {
    @Test
    void rendersTheBakeryTemplateWithOneNameEverywhere() {
        TransferFile t = new TransferFile("docker", "https://example.com/sysext", 3);
        assertThat(t.render()).isEqualTo("""
                # systemd-sysupdate transfer for the sysext 'docker' (written by sysextctl)
                [Transfer]
                Verify=false

                [Source]
                Type=url-file
                Path=https://example.com/sysext/
                MatchPattern=docker-@v-%a.raw

                [Target]
                Type=regular-file
                Path=/opt/extensions/docker
                MatchPattern=docker-@v-%a.raw
                CurrentSymlink=/etc/extensions/docker.raw
                InstancesMax=3
                """);
    }

    @Test
    void aConfextsVersionsGoToOptConfextsLinkedFromVarLibConfexts() {
        TransferFile t = new TransferFile("motd", "https://example.com/ext", 2, ExtensionClass.CONFEXT);
        assertThat(t.render()).isEqualTo("""
                # systemd-sysupdate transfer for the confext 'motd' (written by sysextctl)
                [Transfer]
                Verify=false

                [Source]
                Type=url-file
                Path=https://example.com/ext/
                MatchPattern=motd-@v-%a.raw

                [Target]
                Type=regular-file
                Path=/opt/confexts/motd
                MatchPattern=motd-@v-%a.raw
                CurrentSymlink=/var/lib/confexts/motd.raw
                InstancesMax=2
                """);
        assertThat(t.nodePath(new SystemdVersion(257))).isEqualTo("/etc/sysupdate.motd.d/motd.transfer");
    }

    @Test
    void suffixFollowsTheSystemdVersion() {
        TransferFile t = new TransferFile("docker", "https://example.com/", 3);
        assertThat(t.fileName(SystemdVersion.V252)).isEqualTo("docker.conf");
        assertThat(t.fileName(new SystemdVersion(256))).isEqualTo("docker.conf");
        assertThat(t.fileName(new SystemdVersion(257))).isEqualTo("docker.transfer");
        assertThat(t.nodePath(SystemdVersion.V252)).isEqualTo("/etc/sysupdate.docker.d/docker.conf");
        assertThat(NoopTransfer.nodePath(new SystemdVersion(257))).isEqualTo("/etc/sysupdate.d/noop.transfer");
        assertThat(NoopTransfer.fileName(SystemdVersion.V252)).isEqualTo("noop.conf");
    }

    @Test
    void percentSignsAreEscapedAndReadBack() {
        TransferFile t = new TransferFile("x", "http://h/a%20b/", 2);
        assertThat(t.render()).contains("Path=http://h/a%%20b/\n");
        assertThat(TransferFile.sourcePathOf(t.render())).contains("http://h/a%20b/");
    }
}
