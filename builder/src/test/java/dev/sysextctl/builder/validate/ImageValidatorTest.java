package dev.sysextctl.builder.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image-level rules on directory images and files that are no images (raw images: ValidateOracleIT). */
class ImageValidatorTest {
    static final TargetOs DEBIAN = new TargetOs("debian", List.of(), "12", "", "x86-64", "system");
    static final SystemdVersion V257 = new SystemdVersion(257);

    @TempDir
    Path tmp;
    final ImageValidator validator = new ImageValidator(new NativeTools(new ZtProcessRunner()));

    private Path dirImage(String name, String releaseName, String release) throws Exception {
        Path d = tmp.resolve(name);
        Fixtures.file(d, "usr/bin/" + name, "x");
        if (releaseName != null) {
            Fixtures.file(d, "usr/lib/extension-release.d/extension-release." + releaseName, release);
        }
        return d;
    }

    private ImageVerdict check(Path image) throws Exception {
        return validator.validate(image, null, DEBIAN, SystemdVersion.V252);
    }

    @Test
    void aCompatibleDirectoryIsMerged() throws Exception {
        ImageVerdict v = check(dirImage("good", "good", "ID=debian\nVERSION_ID=12\n"));
        assertThat(v).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect, ImageVerdict::name)
                .containsExactly(true, "version-match", Effect.MERGED, "good");
        assertThat(v.systemdMessage()).isEqualTo("Version info of extension 'good' matches host.");
        assertThat(v.releaseFile()).isEqualTo("usr/lib/extension-release.d/extension-release.good");
    }

    @Test
    void compatibilityRefusalsCarrySystemdsMessage() throws Exception {
        ImageVerdict v = check(dirImage("fed", "fed", "ID=fedora\n"));
        assertThat(v).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly(false, "os-id", Effect.IGNORED);
        assertThat(v.systemdMessage()).isEqualTo("Extension 'fed' is for OS 'fedora', but deployed on top of 'debian'.");
    }

    @Test
    void aDirectoryWithoutReleaseIsIgnoredNotFatal() throws Exception {
        ImageVerdict v = check(dirImage("bare", null, null));
        assertThat(v).extracting(ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly("no-release-data", Effect.IGNORED);
        assertThat(v.systemdMessage()).isEqualTo("Extension 'bare' carries no extension-release data, ignoring "
                + "extension.");
    }

    @Test
    void theXattrFallbackAndItsAmbiguity() throws Exception {
        Path x0 = dirImage("x0", "other", "ID=_any\n");
        assertThat(check(x0).accepted()).isFalse();
        Fixtures.xattr(x0.resolve("usr/lib/extension-release.d/extension-release.other"),
                "user.extension-release.strict", "0");
        ImageVerdict ok = check(x0);
        assertThat(ok).extracting(ImageVerdict::accepted, ImageVerdict::rule).containsExactly(true, "any-os");
        Path two = Fixtures.file(x0, "usr/lib/extension-release.d/extension-release.third", "ID=_any\n");
        Fixtures.xattr(two, "user.extension-release.strict", "false");
        assertThat(check(x0)).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly(false, "no-release-data", Effect.IGNORED);
    }

    @Test
    void osReleaseInTheImageAbortsTheWholeMergeIn252AndFailsItIn257() throws Exception {
        Path bad = dirImage("bad", "bad", "ID=_any\n");
        Fixtures.file(bad, "usr/lib/os-release", "ID=debian\n");
        ImageVerdict v252 = check(bad);
        assertThat(v252).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly(false, "os-release-in-image", Effect.MERGE_ABORTED);
        assertThat(v252.systemdMessage()).isEqualTo("Extension image contains /usr/lib/os-release file, which is not "
                + "allowed (it may carry /etc/os-release), refusing.");
        assertThat(v252.explanation()).contains("exits 0");
        ImageVerdict v257 = validator.validate(bad, null, DEBIAN, V257);
        assertThat(v257).extracting(ImageVerdict::effect, ImageVerdict::systemdMessage)
                .containsExactly(Effect.MERGE_FAILS, "Failed to read metadata for image bad: No medium found");
    }

    @Test
    void namesAndSuffixes() throws Exception {
        Path raw = Files.write(tmp.resolve("thing.img"), new byte[] {1, 2, 3});
        assertThat(check(raw)).extracting(ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly("file-suffix", Effect.NOT_DISCOVERED);
        Path hidden = dirImage(".#tmp", ".#tmp", "ID=_any\n");
        assertThat(check(hidden)).extracting(ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly("invalid-name", Effect.NOT_DISCOVERED);
    }

    @Test
    void emptyAndGarbageFilesFailTheWholeMerge() throws Exception {
        Path empty = Files.write(tmp.resolve("m.raw"), new byte[0]);
        ImageVerdict v = check(empty);
        assertThat(v).extracting(ImageVerdict::rule, ImageVerdict::effect, ImageVerdict::systemdMessage)
                .containsExactly("not-an-image", Effect.MERGE_FAILS, "Failed to read metadata for image m: Package not "
                        + "installed");
        byte[] junk = new byte[1 << 16];
        new java.util.Random(1).nextBytes(junk);
        assertThat(check(Files.write(tmp.resolve("junk.raw"), junk)).systemdMessage())
                .isEqualTo("Failed to read metadata for image junk: Package not installed");
    }

    /**
     * A file that cannot be read at all is unreadable, not garbage (the access layer tells the two apart):
     * {@code /proc/self/mem} is a regular file whose first bytes fail to read with EIO, even for root.
     */
    @Test
    void aFileThatCannotBeReadIsUnreadableNotGarbage() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("mem.raw"), Path.of("/proc/self/mem"));
        assertThat(check(link)).extracting(ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly("unreadable", Effect.UNKNOWN);
        assertThat(check(link).explanation()).startsWith("cannot read " + link + ": ").endsWith("; check the "
                + "permissions");
    }

    @Test
    void asChecksUnderTheNodesName() throws Exception {
        Path d = dirImage("hello-1.0", "hello", "ID=_any\n");
        assertThat(check(d).accepted()).isFalse();
        assertThat(validator.validate(d, "hello", DEBIAN, SystemdVersion.V252).accepted()).isTrue();
        assertThat(ImageValidator.entryName("x.raw", "docker", dev.sysextctl.core.image.ImageType.RAW))
                .isEqualTo("docker.raw");
        assertThat(ImageValidator.entryName("x.raw", "docker.raw", dev.sysextctl.core.image.ImageType.RAW))
                .isEqualTo("docker.raw");
    }

    @Test
    void theMergeOutcomeSummarisesTheWorstEffect() throws Exception {
        ImageVerdict good = check(dirImage("good", "good", "ID=_any\n"));
        ImageVerdict fed = check(dirImage("fed", "fed", "ID=fedora\n"));
        ImageVerdict empty = check(Files.write(tmp.resolve("m.raw"), new byte[0]));
        assertThat(ImageValidator.mergeOutcome(List.of(good, fed), SystemdVersion.V252))
                .isEqualTo("systemd-sysext 252 merge would merge good (1 ignored)");
        assertThat(ImageValidator.mergeOutcome(List.of(good, empty), SystemdVersion.V252))
                .startsWith("systemd-sysext 252 merge would fail (exit 1)");
        assertThat(ImageValidator.mergeOutcome(List.of(fed), SystemdVersion.V252))
                .isEqualTo("systemd-sysext 252 merge would find no suitable extension (1 ignored due to "
                        + "incompatible version)");
    }

    @Test
    void anImageThePolicyRefusesHasItsOwnOutcomeNamingThePolicyAndTheFix() throws Exception {
        ImageVerdict fed = check(dirImage("fed", "fed", "ID=fedora\n"));
        ImageVerdict policy = new ImageVerdict("u.raw", "u", false, "image-policy", "", "the policy wants "
                + "root=signed+absent, but the image is verity: unsigned; sign it", Effect.REFUSED_BY_POLICY, null);
        assertThat(ImageValidator.mergeOutcome(List.of(fed, policy), SystemdVersion.V252))
                .isEqualTo("the image policy refuses u.raw (systemd-sysext 257 then merges nothing, exit 1; "
                        + "sysextctl's native engine skips it): the policy wants root=signed+absent, but the image is "
                        + "verity: unsigned; sign it")
                .doesNotContain("incompatible version");
    }
}
