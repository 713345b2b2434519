package dev.sysextctl.builder.source;

import static dev.sysextctl.builder.Fixtures.Member.dir;
import static dev.sysextctl.builder.Fixtures.Member.file;
import static dev.sysextctl.builder.Fixtures.Member.hardlink;
import static dev.sysextctl.builder.Fixtures.Member.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.Fixtures.Member;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TarSourceTest {
    @TempDir
    Path tmp;

    static final List<Member> TREE = List.of(
            dir("./"),
            dir("./usr/").mode(0755),
            dir("./usr/bin/"),
            file("./usr/bin/tool", "#!/bin/sh\n").mode(04755).owner(1000, 100),
            hardlink("./usr/bin/tool2", "./usr/bin/tool"),
            symlink("./usr/bin/t", "tool"),
            file("usr/lib/" + "long-".repeat(40) + "name", "long"),
            file("usr/share/x", "x").pax(Map.of("SCHILY.xattr.user.foo", "bar",
                    "LIBARCHIVE.xattr.user.b64", "aGVsbG8=")),
            new Member("usr/share/wh", TarConstants.LF_CHR, 0, 0, 0, null, null, Map.of()),
            new Member("usr/share/fifo", TarConstants.LF_FIFO, 0644, 0, 0, null, null, Map.of()));

    @ParameterizedTest
    @EnumSource(ArchiveCompression.class)
    void everyCompressionIsReadAndToldFromItsMagicBytes(ArchiveCompression c) throws Exception {
        Path archive = Fixtures.write(tmp.resolve("archive.bin"), Fixtures.compress(Fixtures.tar(TREE), c));
        TarSource source = TarSource.open(archive);
        assertThat(source.compression()).isEqualTo(c);
        Fixtures.Scan scan = Fixtures.scan(source);
        assertThat(scan.findings().isEmpty()).isTrue();
        assertThat(scan.entries()).extracting(TreeEntry::path).containsExactly("usr", "usr/bin", "usr/bin/tool",
                "usr/bin/tool2", "usr/bin/t", "usr/lib/" + "long-".repeat(40) + "name", "usr/share/x", "usr/share/wh",
                "usr/share/fifo");
        TreeEntry tool = scan.entries().get(2);
        assertThat(tool.type()).isEqualTo(EntryType.FILE);
        assertThat(tool.mode()).isEqualTo(04755);
        assertThat(tool.uid()).isEqualTo(1000);
        assertThat(tool.gid()).isEqualTo(100);
        assertThat(scan.contents()).containsEntry("usr/bin/tool", "#!/bin/sh\n");
        assertThat(scan.entries().get(3)).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.HARDLINK, "usr/bin/tool");
        assertThat(scan.entries().get(4)).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.SYMLINK, "tool");
        assertThat(scan.entries().get(6).xattrs()).containsExactlyInAnyOrderEntriesOf(Map.of("user.foo", "bar",
                "user.b64", "hello"));
        assertThat(scan.entries().get(7)).extracting(TreeEntry::type, TreeEntry::devMajor, TreeEntry::devMinor)
                .containsExactly(EntryType.CHAR_DEVICE, 0, 0);
        assertThat(scan.entries().get(8).type()).isEqualTo(EntryType.FIFO);
    }

    @Test
    void theFileNameDoesNotDecideTheCompression() throws Exception {
        Path lying = Fixtures.write(tmp.resolve("really-zstd.tar.gz"),
                Fixtures.compress(Fixtures.tar(TREE), ArchiveCompression.ZSTD));
        assertThat(TarSource.open(lying).compression()).isEqualTo(ArchiveCompression.ZSTD);
    }

    @Test
    void unsafeEntriesAreReportedAndLeftOut() throws Exception {
        Path archive = Fixtures.write(tmp.resolve("evil.tar"), Fixtures.tar(List.of(
                file("/etc/passwd", "root"),
                file("usr/../../escape", "x"),
                symlink("usr/lib/up", "../../../etc/shadow"),
                hardlink("usr/lib/hl", "/etc/shadow"),
                hardlink("usr/lib/hl2", "../outside"),
                symlink("usr/lib/ok", "../bin/ok"),
                symlink("usr/lib/abs", "/etc/ok"),
                file("usr/bin/fine", "y"))));
        Fixtures.Scan scan = Fixtures.scan(TarSource.open(archive));
        assertThat(scan.entries()).extracting(TreeEntry::path).containsExactly("usr/lib/ok", "usr/lib/abs",
                "usr/bin/fine");
        assertThat(scan.findings().asList()).extracting(Finding::id).containsOnly("unsafe-path").hasSize(5);
        assertThat(scan.findings().asList()).extracting(Finding::path).containsExactly("/etc/passwd",
                "usr/../../escape", "usr/lib/up", "usr/lib/hl", "usr/lib/hl2");
        assertThat(scan.findings().hasErrors()).isTrue();
    }

    @Test
    void scanningTwiceGivesTheSameEntries() throws Exception {
        Path archive = Fixtures.write(tmp.resolve("a.tar.xz"), Fixtures.compress(Fixtures.tar(TREE),
                ArchiveCompression.XZ));
        TarSource source = TarSource.open(archive);
        assertThat(Fixtures.scan(source).entries()).isEqualTo(Fixtures.scan(source).entries());
    }

    @Test
    void somethingElseIsAUsageError() throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello, not a tar archive\n".repeat(40));
        assertThatThrownBy(() -> TarSource.open(text)).isInstanceOf(UsageException.class)
                .hasMessageContaining("neither a directory nor a tar archive");
        Path empty = Files.write(tmp.resolve("empty.tar"), new byte[0]);
        assertThatThrownBy(() -> TarSource.open(empty)).isInstanceOf(UsageException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> TarSource.open(tmp.resolve("missing.tar"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aTruncatedArchiveFailsTheScanWithWhatToDo() throws Exception {
        byte[] gz = Fixtures.compress(Fixtures.tar(TREE), ArchiveCompression.GZIP);
        Path cut = Fixtures.write(tmp.resolve("cut.tgz"), Arrays.copyOf(gz, gz.length / 2));
        TarSource source = TarSource.open(cut);
        assertThatThrownBy(() -> Fixtures.scan(source)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("cut.tgz").hasMessageContaining("complete and not corrupt");
    }

    @Test
    void aBinaryXattrValueIsDroppedWithAWarning() throws Exception {
        Path archive = Fixtures.write(tmp.resolve("caps.tar"), Fixtures.tar(List.of(
                file("usr/bin/ping", "x").pax(Map.of("LIBARCHIVE.xattr.security.capability", "AQAAAgAgAAAAAAAAAAAAAAAAAAA=")))));
        Fixtures.Scan scan = Fixtures.scan(TarSource.open(archive));
        assertThat(scan.entries().get(0).xattrs()).isEmpty();
        assertThat(scan.findings().asList()).extracting(Finding::id).containsExactly(RuleId.XATTR_DROPPED.id());
        assertThat(scan.findings().hasErrors()).isFalse();
    }
}
