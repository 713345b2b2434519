package dev.sysextctl.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.EnvFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * extension_release_validate() for a confext (docs/compatibility.md §2.7): {@code CONFEXT_SCOPE} and
 * {@code CONFEXT_LEVEL} take the places of the sysext's fields, the target's {@code CONFEXT_LEVEL} is the one
 * compared, and the SYSEXT_* fields mean nothing to a confext.
 */
class ConfextCompatibilityTest {
    private static final SystemdVersion V257 = new SystemdVersion(257);

    private static TargetOs target(String osRelease) {
        return TargetOs.fromOsRelease(EnvFile.parse(osRelease), "x86-64", "system");
    }

    private static Verdict confext(String ext, TargetOs host) {
        return CompatibilityRules.validate("c", EnvFile.parse(ext), host, V257, ExtensionClass.CONFEXT);
    }

    private static Verdict sysext(String ext, TargetOs host) {
        return CompatibilityRules.validate("c", EnvFile.parse(ext), host, V257, ExtensionClass.SYSEXT);
    }

    @Test
    void targetReadsConfextLevelFromOsRelease() {
        TargetOs t = target("ID=debian\nVERSION_ID=13\nSYSEXT_LEVEL=1\nCONFEXT_LEVEL=7\n");
        assertThat(t.confextLevel()).isEqualTo("7");
        assertThat(t.level(ExtensionClass.CONFEXT)).isEqualTo("7");
        assertThat(t.level(ExtensionClass.SYSEXT)).isEqualTo("1");
        assertThat(t.describe(ExtensionClass.CONFEXT)).isEqualTo("ID=debian VERSION_ID=13 CONFEXT_LEVEL=7 (x86-64, system)");
        assertThat(t.describe()).isEqualTo("ID=debian VERSION_ID=13 SYSEXT_LEVEL=1 (x86-64, system)");
    }

    @Test
    void confextLevelIsComparedWithTheTargetsConfextLevel() {
        TargetOs host = target("ID=debian\nVERSION_ID=13\nSYSEXT_LEVEL=1\nCONFEXT_LEVEL=2\n");
        Verdict refused = confext("ID=debian\nCONFEXT_LEVEL=3\n", host);
        assertThat(refused.accepted()).isFalse();
        assertThat(refused.rule()).isEqualTo(RuleId.CONFEXT_LEVEL.id());
        assertThat(refused.systemdMessage())
                .isEqualTo("Extension 'c' is for API level '3', but running on API level '2'");
        assertThat(refused.explanation()).isEqualTo("CONFEXT_LEVEL=3 is not the target's CONFEXT_LEVEL=2");

        Verdict accepted = confext("ID=debian\nCONFEXT_LEVEL=2\n", host);
        assertThat(accepted.accepted()).isTrue();
        assertThat(accepted.rule()).isEqualTo(RuleId.VERSION_MATCH.id());
        assertThat(accepted.explanation()).isEqualTo("ID and CONFEXT_LEVEL match the target");
    }

    @Test
    void aSysextLevelDoesNotStandInForTheConfextLevel() {
        // the confext's SYSEXT_LEVEL matches, but for a confext only CONFEXT_LEVEL counts: VERSION_ID decides
        TargetOs host = target("ID=debian\nVERSION_ID=13\nSYSEXT_LEVEL=1\n");
        Verdict v = confext("ID=debian\nSYSEXT_LEVEL=1\n", host);
        assertThat(v.rule()).isEqualTo(RuleId.MISSING_VERSION_ID.id());
        assertThat(v.explanation()).contains("no CONFEXT_LEVEL=");
        assertThat(sysext("ID=debian\nSYSEXT_LEVEL=1\n", host).accepted()).isTrue();
    }

    @Test
    void hostWithOnlySysextLevelIsARollingReleaseForAConfext() {
        TargetOs host = target("ID=arch\nSYSEXT_LEVEL=1\n");
        Verdict v = confext("ID=arch\nCONFEXT_LEVEL=9\n", host);
        assertThat(v.accepted()).isTrue();
        assertThat(v.rule()).isEqualTo(RuleId.ROLLING_RELEASE.id());
        assertThat(v.explanation()).contains("neither VERSION_ID nor CONFEXT_LEVEL");
    }

    @Test
    void confextScopeDecidesAndSysextScopeIsIgnored() {
        TargetOs host = target("ID=debian\nVERSION_ID=13\n").withScope(TargetOs.SCOPE_INITRD);
        Verdict refused = confext("ID=debian\nVERSION_ID=13\nSYSEXT_SCOPE=initrd\n", host);
        assertThat(refused.rule()).isEqualTo(RuleId.SCOPE.id());
        assertThat(refused.systemdMessage()).isEqualTo("Extension 'c' is not suitable for scope initrd, ignoring.");
        assertThat(refused.explanation()).isEqualTo(
                "without CONFEXT_SCOPE an extension is for 'system portable', not 'initrd'");
        Verdict accepted = confext("ID=debian\nVERSION_ID=13\nCONFEXT_SCOPE=initrd system\n", host);
        assertThat(accepted.accepted()).isTrue();
        Verdict empty = confext("ID=debian\nVERSION_ID=13\nCONFEXT_SCOPE=\n", host.withScope("system"));
        assertThat(empty.rule()).isEqualTo(RuleId.SCOPE.id());
        assertThat(empty.explanation()).isEqualTo("CONFEXT_SCOPE='' does not include 'system'");
    }

    @Test
    void idVersionArchitectureAndIdLikeRulesAreTheSysextRules() {
        TargetOs host = target("ID=ubuntu\nID_LIKE=debian\nVERSION_ID=24.04\n");
        assertThat(confext("ID=debian\nVERSION_ID=24.04\n", host).accepted()).isTrue();
        assertThat(confext("ID=fedora\nVERSION_ID=24.04\n", host).rule()).isEqualTo(RuleId.OS_ID.id());
        assertThat(confext("ID=ubuntu\nVERSION_ID=22.04\n", host).rule()).isEqualTo(RuleId.VERSION_ID.id());
        assertThat(confext("ID=ubuntu\nVERSION_ID=24.04\nARCHITECTURE=arm64\n", host).rule())
                .isEqualTo(RuleId.ARCHITECTURE.id());
        assertThat(confext("ID=_any\n", host).rule()).isEqualTo(RuleId.ANY_OS.id());
        assertThat(confext("VERSION_ID=24.04\n", host).systemdMessage()).isEqualTo(
                "Extension 'c' does not contain ID in release file but requested to match 'ubuntu' or be '_any'");
    }

    @Test
    void aConfextIsWordedAs257EvenOnOlderVersions() {
        Verdict v = CompatibilityRules.validate("c", EnvFile.parse(""), target("ID=debian\n"),
                new SystemdVersion(254), ExtensionClass.CONFEXT);
        assertThat(v.rule()).isEqualTo(RuleId.NO_RELEASE_DATA.id());
        assertThat(v.systemdMessage()).isEqualTo("Extension 'c' carries no release data, ignoring.");
        assertThat(v.explanation()).isEqualTo(
                "the image has no etc/extension-release.d/extension-release.c (or it is empty)");
    }

    @Test
    void sixFieldTargetHasNoConfextLevel() {
        TargetOs t = new TargetOs("debian", List.of(), "13", "1", "x86-64", "system");
        assertThat(t.confextLevel()).isEmpty();
        assertThat(t.withScope("initrd").sysextLevel()).isEqualTo("1");
    }
}
