package dev.sysextctl.builder.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.inspect.InspectReport;
import dev.sysextctl.builder.inspect.InspectReporter;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} and {@code inspect} of confexts (docs/cli.md §4, §5; docs/compatibility.md §2.7): the class an
 * image carries decides the rules, {@code --class} overrides it, the target's CONFEXT_LEVEL is the one compared.
 */
class ConfextValidateTest {
    static final SystemdVersion V257 = new SystemdVersion(257);
    static final TargetOs TRIXIE = new TargetOs("debian", List.of(), "13", "1", "2", "x86-64", "system");

    @TempDir
    Path tmp;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());
    final ImageValidator validator = new ImageValidator(tools);

    private Path confext(String name, String release) throws Exception {
        Path d = tmp.resolve(name);
        Fixtures.file(d, "etc/" + name + ".conf", "x");
        Fixtures.file(d, "etc/extension-release.d/extension-release." + name, release);
        return d;
    }

    @Test
    void aConfextIsCheckedByItsLevelAgainstTheTargetsConfextLevel() throws Exception {
        ImageVerdict ok = validator.validate(confext("ok", "ID=debian\nCONFEXT_LEVEL=2\n"), null, TRIXIE, V257, null);
        assertThat(ok).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::extensionClass,
                ImageVerdict::releaseFile)
                .containsExactly(true, "version-match", ExtensionClass.CONFEXT,
                        "etc/extension-release.d/extension-release.ok");
        ImageVerdict bad = validator.validate(confext("bad", "ID=debian\nCONFEXT_LEVEL=1\n"), null, TRIXIE, V257, null);
        assertThat(bad).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly(false, "confext-level", Effect.IGNORED);
        assertThat(bad.systemdMessage()).isEqualTo("Extension 'bad' is for API level '1', but running on API level '2'");
        assertThat(ImageValidator.mergeOutcome(List.of(ok, bad), V257))
                .isEqualTo("systemd-confext 257 merge would merge ok (1 ignored)");
        assertThat(Json.mapper().readTree(Json.write(ok)).get("class").asText()).isEqualTo("confext");
    }

    @Test
    void checkedAsASysextAConfextIsIgnoredForWantOfReleaseData() throws Exception {
        ImageVerdict v = validator.validate(confext("c", "ID=debian\nVERSION_ID=13\n"), null, TRIXIE, V257,
                ExtensionClass.SYSEXT);
        assertThat(v).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::extensionClass)
                .containsExactly(false, "no-release-data", ExtensionClass.SYSEXT);
    }

    @Test
    void anImageOfBothClassesIsASysextUnlessAskedOtherwise() throws Exception {
        Path both = confext("both", "ID=debian\nCONFEXT_LEVEL=9\n");
        Fixtures.file(both, "usr/lib/extension-release.d/extension-release.both", "ID=debian\nSYSEXT_LEVEL=1\n");
        Fixtures.file(both, "usr/bin/both", "x");
        ImageVerdict asSysext = validator.validate(both, null, TRIXIE, V257, null);
        assertThat(asSysext).extracting(ImageVerdict::accepted, ImageVerdict::extensionClass)
                .containsExactly(true, ExtensionClass.SYSEXT);
        ImageVerdict asConfext = validator.validate(both, null, TRIXIE, V257, ExtensionClass.CONFEXT);
        assertThat(asConfext).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::extensionClass)
                .containsExactly(false, "confext-level", ExtensionClass.CONFEXT);
        InspectReport r = new InspectReporter(tools).inspect(both, false, V257);
        assertThat(r.extensionClass()).isEqualTo("both");
        assertThat(r.hierarchies()).containsExactly("usr", "etc");
        assertThat(r.lint()).extracting(f -> f.id()).doesNotContain("misplaced-release");
    }

    @Test
    void systemdBefore254HasNoConfexts() throws Exception {
        ImageVerdict v = validator.validate(confext("c", "ID=debian\n"), null, TRIXIE, SystemdVersion.V252, null);
        assertThat(v).extracting(ImageVerdict::accepted, ImageVerdict::rule, ImageVerdict::effect)
                .containsExactly(false, "confext-unsupported", Effect.NOT_DISCOVERED);
        assertThat(v.explanation()).startsWith("systemd 252 has no systemd-confext (systemd 254 and later");
    }

    @Test
    void inspectReportsAConfextsClassReleaseAndHierarchy() throws Exception {
        InspectReport r = new InspectReporter(tools).inspect(confext("c", "ID=debian\nVERSION_ID=13\n"), false, V257);
        assertThat(r.extensionClass()).isEqualTo("confext");
        assertThat(r.releaseFile()).isEqualTo("etc/extension-release.d/extension-release.c");
        assertThat(r.extensionRelease()).containsEntry("VERSION_ID", "13");
        assertThat(r.hierarchies()).containsExactly("etc");
        assertThat(r.lint()).isEmpty();
        assertThat(Json.mapper().readTree(Json.write(r)).get("class").asText()).isEqualTo("confext");
    }
}
