package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The node's configuration layout, and the two forms that keep an image out. */
class ExtensionConfigTest {
    @Test
    void pathsFollowTheBakeryLayout() {
        assertThat(ExtensionConfig.enableLink("docker")).isEqualTo("/etc/extensions/docker.raw");
        assertThat(ExtensionConfig.enableLink(ExtensionConfig.RUN_DIR, "docker"))
                .isEqualTo("/run/extensions/docker.raw");
        assertThat(ExtensionConfig.storePath("docker", "docker-1-x86-64.raw"))
                .isEqualTo("/opt/extensions/docker/docker-1-x86-64.raw");
        assertThat(ExtensionConfig.Entry.MASK_DIRECTORY.path("m")).isEqualTo("/etc/extensions/m");
        assertThat(ExtensionConfig.Entry.DISABLE_LINK.path("m")).isEqualTo("/etc/extensions/m.raw");
    }

    @Test
    void onlyALinkToDevNullDisables() {
        assertThat(ExtensionConfig.isDisableTarget("/dev/null")).isTrue();
        assertThat(ExtensionConfig.isDisableTarget("/dev/null/")).isFalse();
        assertThat(ExtensionConfig.describeDisableLink("/etc/extensions", "docker-flatcar"))
                .contains("'docker-flatcar' is hidden from /etc/extensions").contains("it does not mask")
                .contains("an empty directory /etc/extensions/docker-flatcar masks them");
    }
}
