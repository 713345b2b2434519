package dev.sysextctl.builder.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectReporterTest {
    @TempDir
    Path tmp;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    @Test
    void aBuiltDirectoryExtensionReadsBackWithTheSameDigest() throws Exception {
        Path tree = tmp.resolve("tree");
        Fixtures.file(tree, "usr/bin/hello", "hi");
        Fixtures.file(tree, "opt/hello/data", "d");
        BuildReport built = new ImageBuilder(tools).build(BuildRequest.builder("hello")
                .source(new DirectorySource(tree)).format(BuildFormat.DIRECTORY).output(tmp.resolve("hello"))
                .extensionRelease(new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"))).build());
        InspectReport r = new InspectReporter(tools).inspect(tmp.resolve("hello"), true, SystemdVersion.V252);
        assertThat(r.format()).isEqualTo("directory");
        assertThat(r.sha256()).isEqualTo(built.sha256());
        assertThat(r.sizeBytes()).isEqualTo(built.sizeBytes());
        assertThat(r.fileCount()).isEqualTo(built.fileCount());
        assertThat(r.name()).isEqualTo("hello");
        assertThat(r.releaseName()).isEqualTo("hello");
        assertThat(r.extensionRelease()).containsEntry("ID", "_any").containsEntry("ARCHITECTURE", "x86-64");
        assertThat(r.hierarchies()).containsExactly("usr", "opt");
        assertThat(r.lint()).allMatch(f -> f.id().equals("non-root-owner")); // only when not run as root
        assertThat(r.files()).extracting(FileInfo::path).contains("", "usr/bin/hello", "opt/hello/data");
        assertThat(r.files()).filteredOn(f -> f.path().equals("usr/bin/hello")).singleElement()
                .extracting(FileInfo::type, FileInfo::mode, FileInfo::size).containsExactly("file", "0644", 2L);
    }

    @Test
    void imagesAreNamedAsTheSystemdOfTheirClassNamesThem() throws Exception {
        Path etc = tmp.resolve("etc-tree");
        Fixtures.file(etc, "etc/x/x.conf", "x");
        new ImageBuilder(tools).build(BuildRequest.builder("x").source(new DirectorySource(etc))
                .extensionClass(dev.sysextctl.core.image.ExtensionClass.CONFEXT).format(BuildFormat.SQUASHFS)
                .output(tmp.resolve("x.confext.raw")).extensionRelease(new ReleaseFile(Map.of("ID", "_any"))).build());
        InspectReporter reporter = new InspectReporter(tools);
        // a confext: systemd-confext (254+) strips .confext.raw from 255 on; 257's rules when no version is given
        InspectReport unknown = reporter.inspect(tmp.resolve("x.confext.raw"), false, null);
        assertThat(unknown.extensionClass()).isEqualTo("confext");
        assertThat(unknown.name()).isEqualTo("x");
        assertThat(unknown.releaseName()).isEqualTo("x");
        assertThat(unknown.lint()).extracting(Finding::id).doesNotContain(RuleId.FILE_NAME_MISMATCH.id());
        assertThat(reporter.inspect(tmp.resolve("x.confext.raw"), false, new SystemdVersion(255)).name())
                .isEqualTo("x");
        assertThat(reporter.inspect(tmp.resolve("x.confext.raw"), false, SystemdVersion.V252).name())
                .isEqualTo("x.confext");
        // a sysext: 252's rules when no version is given; .sysext.raw is stripped from 255 on, a directory's
        // .sysext suffix from 257 on
        Path usr = tmp.resolve("usr-tree");
        Fixtures.file(usr, "usr/bin/y", "y");
        new ImageBuilder(tools).build(BuildRequest.builder("y").source(new DirectorySource(usr))
                .format(BuildFormat.SQUASHFS).output(tmp.resolve("y.sysext.raw"))
                .extensionRelease(new ReleaseFile(Map.of("ID", "_any"))).build());
        assertThat(reporter.inspect(tmp.resolve("y.sysext.raw"), false, null).name()).isEqualTo("y.sysext");
        assertThat(reporter.inspect(tmp.resolve("y.sysext.raw"), false, new SystemdVersion(255)).name())
                .isEqualTo("y");
        Path d = tmp.resolve("d.sysext");
        Fixtures.file(d, "usr/lib/extension-release.d/extension-release.d", "ID=_any\n");
        assertThat(reporter.inspect(d, false, new SystemdVersion(257)).name()).isEqualTo("d");
        assertThat(reporter.inspect(d, false, new SystemdVersion(256)).name()).isEqualTo("d.sysext");
    }

    @Test
    void aFileNameThatIsNotTheReleaseNameIsPointedOut() throws Exception {
        Path d = tmp.resolve("hello-1.0-x86-64");
        Fixtures.file(d, "usr/bin/hello", "hi");
        Fixtures.file(d, "usr/lib/extension-release.d/extension-release.hello", "ID=_any\nARCHITECTURE=x86-64\n");
        InspectReport r = new InspectReporter(tools).inspect(d, false, SystemdVersion.V252);
        assertThat(r.name()).isEqualTo("hello-1.0-x86-64");
        assertThat(r.releaseName()).isEqualTo("hello");
        assertThat(r.files()).isNull();
        assertThat(r.lint()).extracting(Finding::id).containsExactly(RuleId.FILE_NAME_MISMATCH.id());
        assertThat(r.lint().get(0).fix()).contains("/etc/extensions/hello ");
    }

    @Test
    void aFifoInADirectoryImageIsListedNeverOpened() throws Exception {
        Path d = tmp.resolve("fifo");
        Fixtures.file(d, "usr/lib/extension-release.d/extension-release.fifo", "ID=_any\n");
        new dev.sysextctl.core.tools.DefaultSpecialFiles(new ZtProcessRunner()).create(d.resolve("usr/lib/pipe"),
                dev.sysextctl.core.tree.EntryType.FIFO, 0, 0, 0644);
        InspectReport r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> new InspectReporter(tools).inspect(d, true, SystemdVersion.V252));
        assertThat(r.files()).filteredOn(f -> f.path().equals("usr/lib/pipe")).singleElement()
                .extracting(FileInfo::type).isEqualTo("fifo");
        assertThat(r.lint()).extracting(Finding::id).contains("device-node");
    }

    @Test
    void namesWithNewlinesAndControlCharactersCannotForgeListingLines() throws Exception {
        Path d = tmp.resolve("forge");
        Fixtures.file(d, "usr/lib/extension-release.d/extension-release.forge", "ID=_any\n");
        Fixtures.file(d, "usr/bin/evil\n-rwsr-xr-x 0/0        1 usr/bin/su", "x");
        Fixtures.file(d, "usr/bin/tab\tbell\u0007back\\slash", "y");
        Files.createSymbolicLink(d.resolve("usr/bin/link"), Path.of("to\rhere"));
        InspectReport r = new InspectReporter(tools).inspect(d, true, SystemdVersion.V252);
        assertThat(r.files()).extracting(FileInfo::line).allMatch(l -> l.chars().noneMatch(c -> c < 0x20))
                .anyMatch(l -> l.endsWith(" usr/bin/evil\\n-rwsr-xr-x 0/0        1 usr/bin/su"))
                .anyMatch(l -> l.endsWith(" usr/bin/tab\\tbell\\aback\\\\slash"))
                .anyMatch(l -> l.endsWith(" usr/bin/link -> to\\rhere"));
        assertThat(r.files()).extracting(FileInfo::path).contains("usr/bin/evil\n-rwsr-xr-x 0/0        1 usr/bin/su");
    }
}
