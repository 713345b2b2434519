package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtensionClassTest {
    @Test
    void sysextKeepsTheSearchDirectoriesOfItsSystemdVersion() {
        assertThat(ExtensionClass.SYSEXT.searchDirs(SystemdVersion.V252))
                .isEqualTo(SystemdVersion.V252.searchDirs());
        assertThat(ExtensionClass.SYSEXT.releasePath("a")).isEqualTo("usr/lib/extension-release.d/extension-release.a");
    }

    @Test
    void confextReadsEtcWithItsOwnKeysDirectoriesAndMarkers() {
        ExtensionClass c = ExtensionClass.CONFEXT;
        assertThat(c.releasePath("a")).isEqualTo("etc/extension-release.d/extension-release.a");
        assertThat(c.levelKey()).isEqualTo("CONFEXT_LEVEL");
        assertThat(c.scopeKey()).isEqualTo("CONFEXT_SCOPE");
        assertThat(c.defaultHierarchies()).containsExactly("/etc");
        assertThat(c.markerDirectory()).isEqualTo(".systemd-confext");
        assertThat(c.searchDirs(new SystemdVersion(257))).containsExactly("/run/confexts", "/var/lib/confexts",
                "/usr/local/lib/confexts", "/usr/lib/confexts");
        assertThat(c.supportedBy(SystemdVersion.V252)).isFalse();
        assertThat(c.supportedBy(new SystemdVersion(254))).isTrue();
        assertThat(ExtensionClass.byId("confext")).isSameAs(c);
        assertThat(ExtensionClass.byId("portable")).isNull();
    }

    @Test
    void topLevelsVersionKeyAndTheOtherClass() {
        assertThat(ExtensionClass.SYSEXT.topLevels()).containsExactly("usr", "opt");
        assertThat(ExtensionClass.CONFEXT.topLevels()).containsExactly("etc");
        assertThat(ExtensionClass.SYSEXT.versionKey()).isEqualTo("SYSEXT_VERSION_ID");
        assertThat(ExtensionClass.CONFEXT.versionKey()).isEqualTo("CONFEXT_VERSION_ID");
        assertThat(ExtensionClass.SYSEXT.other()).isSameAs(ExtensionClass.CONFEXT);
        assertThat(ExtensionClass.CONFEXT.other()).isSameAs(ExtensionClass.SYSEXT);
    }
}
