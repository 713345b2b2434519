package dev.sysextctl.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.release.ReleaseFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every branch of extension_release_validate() (docs/compatibility.md §2.4) and the K-scenarios behind them. */
class CompatibilityRulesTest {
    private static final SystemdVersion V252 = SystemdVersion.V252;
    private static final SystemdVersion V257 = new SystemdVersion(257);
    private static final TargetOs DEBIAN12 = target("ID=debian\nVERSION_ID=12\n");

    private static TargetOs target(String osRelease) {
        return TargetOs.fromOsRelease(EnvFile.parse(osRelease), "x86-64", "system");
    }

    private static Verdict check(String ext, TargetOs host) {
        return CompatibilityRules.validate("e", EnvFile.parse(ext), host, V252);
    }

    @Test
    void k01ExactMatchIsAccepted() {
        Verdict v = check("ID=debian\nVERSION_ID=12\n", DEBIAN12);
        assertThat(v.accepted()).isTrue();
        assertThat(v.rule()).isEqualTo(RuleId.VERSION_MATCH.id());
        assertThat(v.systemdMessage()).isEqualTo("Version info of extension 'e' matches host.");
    }

    @Test
    void k14EmptyReleaseIsIgnored() {
        Verdict v = CompatibilityRules.validate("e", ReleaseFile.EMPTY, DEBIAN12, V252);
        assertThat(v.accepted()).isFalse();
        assertThat(v.rule()).isEqualTo(RuleId.NO_RELEASE_DATA.id());
        assertThat(v.systemdMessage())
                .isEqualTo("Extension 'e' carries no extension-release data, ignoring extension.");
        assertThat(CompatibilityRules.validate("e", ReleaseFile.EMPTY, DEBIAN12, V257).systemdMessage())
                .isEqualTo("Extension 'e' carries no release data, ignoring.");
    }

    @Test
    void k14MissingIdIsRefused() {
        Verdict v = check("VERSION_ID=12\n", DEBIAN12);
        assertThat(v.rule()).isEqualTo(RuleId.MISSING_ID.id());
        assertThat(v.systemdMessage()).isEqualTo(
                "Extension 'e' does not contain ID in extension-release but requested to match 'debian' or be '_any'");
    }

    @Test
    void k03OtherOsIsRefused() {
        Verdict v = check("ID=fedora\nVERSION_ID=12\n", DEBIAN12);
        assertThat(v.accepted()).isFalse();
        assertThat(v.rule()).isEqualTo(RuleId.OS_ID.id());
        assertThat(v.systemdMessage()).isEqualTo("Extension 'e' is for OS 'fedora', but deployed on top of 'debian'.");
    }

    @Test
    void k04AnyOsSkipsVersionChecksAndIdIsCaseSensitive() {
        assertThat(check("ID=_any\nVERSION_ID=99\n", DEBIAN12).rule()).isEqualTo(RuleId.ANY_OS.id());
        assertThat(check("ID=_any\nVERSION_ID=99\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=Debian\nVERSION_ID=12\n", DEBIAN12).accepted()).isFalse();
    }

    @Test
    void k05VersionsAreComparedAsStrings() {
        Verdict v = check("ID=debian\nVERSION_ID=12.0\n", DEBIAN12);
        assertThat(v.rule()).isEqualTo(RuleId.VERSION_ID.id());
        assertThat(v.systemdMessage()).isEqualTo("Extension 'e' is for OS '12.0', but deployed on top of '12'.");
    }

    @Test
    void k06MatchingLevelWinsOverVersion() {
        TargetOs host = target("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n");
        assertThat(check("ID=debian\nVERSION_ID=11\nSYSEXT_LEVEL=1.0\n", host).accepted()).isTrue();
    }

    @Test
    void k07OtherLevelIsRefused() {
        TargetOs host = target("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n");
        Verdict v = check("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=2.0\n", host);
        assertThat(v.rule()).isEqualTo(RuleId.SYSEXT_LEVEL.id());
        assertThat(v.systemdMessage()).isEqualTo(
                "Extension 'e' is for sysext API level '2.0', but running on sysext API level '1.0'");
        assertThat(CompatibilityRules.validate("e", EnvFile.parse("ID=debian\nSYSEXT_LEVEL=2.0\n"), host, V257)
                .systemdMessage()).isEqualTo("Extension 'e' is for API level '2.0', but running on API level '1.0'");
    }

    @Test
    void k08HostLevelButExtensionWithoutLevelComparesVersion() {
        TargetOs host = target("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=1.0\n");
        assertThat(check("ID=debian\nVERSION_ID=12\n", host).accepted()).isTrue();
        assertThat(check("ID=debian\nVERSION_ID=11\n", host).rule()).isEqualTo(RuleId.VERSION_ID.id());
    }

    @Test
    void k09LevelOnlyHostFallsThroughForExtensionsWithoutLevel() {
        TargetOs host = target("ID=debian\nSYSEXT_LEVEL=1.0\n");
        Verdict idOnly = check("ID=debian\n", host);
        assertThat(idOnly.accepted()).isTrue();
        assertThat(idOnly.rule()).isEqualTo(RuleId.VERSION_MATCH.id());
        assertThat(check("ID=debian\nVERSION_ID=7\n", host).accepted()).isTrue();
    }

    @Test
    void k10RollingReleaseHostAcceptsAnyVersion() {
        Verdict v = check("ID=arch\nVERSION_ID=5\nSYSEXT_LEVEL=9\n", target("ID=arch\n"));
        assertThat(v.accepted()).isTrue();
        assertThat(v.rule()).isEqualTo(RuleId.ROLLING_RELEASE.id());
        assertThat(v.systemdMessage()).isEqualTo("No version info on the host (rolling release?), but ID in e matched.");
    }

    @Test
    void k11LevelWithoutVersionOnAHostWithoutLevel() {
        Verdict v = check("ID=debian\nSYSEXT_LEVEL=1\n", DEBIAN12);
        assertThat(v.rule()).isEqualTo(RuleId.MISSING_VERSION_ID.id());
        assertThat(v.systemdMessage()).isEqualTo(
                "Extension 'e' does not contain VERSION_ID in extension-release but requested to match '12'");
        assertThat(check("ID=debian\nVERSION_ID=12\nSYSEXT_LEVEL=77\n", DEBIAN12).accepted()).isTrue();
    }

    @Test
    void k12ArchitectureNamesAreExact() {
        assertThat(check("ID=_any\nARCHITECTURE=x86-64\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=_any\nARCHITECTURE=_any\n", DEBIAN12).accepted()).isTrue();
        for (String a : List.of("x86_64", "X86-64", "amd64", "arm64")) {
            Verdict v = check("ID=_any\nARCHITECTURE=" + a + "\n", DEBIAN12);
            assertThat(v.rule()).as(a).isEqualTo(RuleId.ARCHITECTURE.id());
            assertThat(v.systemdMessage()).isEqualTo(
                    "Extension 'e' is for architecture '" + a + "', but deployed on top of 'x86-64'.");
        }
    }

    @Test
    void k13ScopeRules() {
        TargetOs initrd = DEBIAN12.withScope("initrd");
        assertThat(check("ID=_any\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=system\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=\"initrd system\"\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=initrd\n", DEBIAN12).accepted()).isFalse();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=portable\n", DEBIAN12).accepted()).isFalse();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=System\n", DEBIAN12).accepted()).isFalse();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=initrd\n", initrd).accepted()).isTrue();
        assertThat(check("ID=_any\nSYSEXT_SCOPE=\"initrd portable\"\n", initrd).accepted()).isTrue();
        Verdict dflt = check("ID=_any\n", initrd);
        assertThat(dflt.rule()).isEqualTo(RuleId.SCOPE.id());
        assertThat(dflt.systemdMessage()).isEqualTo("Extension 'e' is not suitable for scope initrd, ignoring extension.");
    }

    @Test
    void k44EmptyScopeIsRefusedEmptyArchitectureAccepted() {
        assertThat(check("ID=_any\nSYSEXT_SCOPE=\n", DEBIAN12).rule()).isEqualTo(RuleId.SCOPE.id());
        assertThat(check("ID=_any\nARCHITECTURE=\n", DEBIAN12).accepted()).isTrue();
    }

    @Test
    void scopeIsCheckedBeforeArchitectureBeforeId() {
        Verdict v = check("ID=fedora\nARCHITECTURE=arm64\nSYSEXT_SCOPE=initrd\n", DEBIAN12);
        assertThat(v.rule()).isEqualTo(RuleId.SCOPE.id());
        v = check("ID=fedora\nARCHITECTURE=arm64\n", DEBIAN12);
        assertThat(v.rule()).isEqualTo(RuleId.ARCHITECTURE.id());
    }

    @Test
    void idLikeMatchesOnlyFrom257() {
        TargetOs ubuntu = target("ID=ubuntu\nID_LIKE=\"debian fancy\"\nVERSION_ID=24.04\n");
        ReleaseFile ext = EnvFile.parse("ID=debian\nVERSION_ID=24.04\n");
        assertThat(CompatibilityRules.validate("e", ext, ubuntu, V252).rule()).isEqualTo(RuleId.OS_ID.id());
        assertThat(CompatibilityRules.validate("e", ext, ubuntu, V257).accepted()).isTrue();
        assertThat(CompatibilityRules.validate("e", EnvFile.parse("ID=fancy\nVERSION_ID=24.04\n"), ubuntu, V257)
                .accepted()).isTrue();
        assertThat(CompatibilityRules.validate("e", EnvFile.parse("ID=fedora\nVERSION_ID=24.04\n"), ubuntu, V257)
                .accepted()).isFalse();
    }

    @Test
    void k33ReleaseSyntaxFeedsTheRules() {
        assertThat(check("ID=\"debian\"\nVERSION_ID='12'\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID = debian\nVERSION_ID = 12\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("ID=debian\r\nVERSION_ID=12\r\n", DEBIAN12).accepted()).isTrue();
        assertThat(check("export ID=debian\nVERSION_ID=12\n", DEBIAN12).rule()).isEqualTo(RuleId.MISSING_ID.id());
        assertThat(check("ID=debian\nVERSION_ID=12 # c\n", DEBIAN12).rule()).isEqualTo(RuleId.VERSION_ID.id());
    }
}
