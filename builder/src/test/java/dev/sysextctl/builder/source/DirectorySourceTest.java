package dev.sysextctl.builder.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySourceTest {
    @TempDir
    Path tmp;

    private Path tree(String name, List<String> order) throws Exception {
        Path root = tmp.resolve(name);
        for (String f : order) {
            Fixtures.file(root, f, "content of " + f);
        }
        return root;
    }

    @Test
    void theWalkIsSortedWhateverTheCreationOrder() throws Exception {
        List<String> files = List.of("usr/bin/zz", "usr/bin/aa", "usr/lib/m/x", "opt/b", "usr/bin/mm", "opt/a");
        Path one = tree("one", files);
        List<String> reversed = new java.util.ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        Path two = tree("two", reversed);
        List<TreeEntry> a = Fixtures.scan(new DirectorySource(one)).entries();
        List<TreeEntry> b = Fixtures.scan(new DirectorySource(two)).entries();
        assertThat(a).extracting(TreeEntry::path).containsExactly("opt", "opt/a", "opt/b", "usr", "usr/bin",
                "usr/bin/aa", "usr/bin/mm", "usr/bin/zz", "usr/lib", "usr/lib/m", "usr/lib/m/x");
        assertThat(b).extracting(TreeEntry::path).isEqualTo(a.stream().map(TreeEntry::path).toList());
    }

    @Test
    void hardLinksSymlinksModesAndXattrsAreReported() throws Exception {
        Path root = tree("t", List.of("usr/bin/tool"));
        Files.createLink(root.resolve("usr/bin/tool-link"), root.resolve("usr/bin/tool"));
        Files.createSymbolicLink(root.resolve("usr/bin/rel"), Path.of("tool"));
        Files.setAttribute(root.resolve("usr/bin/tool"), "unix:mode", 04750);
        Fixtures.xattr(root.resolve("usr/bin/tool"), "user.extension-release.strict", "0");
        Fixtures.Scan scan = Fixtures.scan(new DirectorySource(root));
        TreeEntry tool = scan.entries().stream().filter(e -> e.path().equals("usr/bin/tool")).findFirst().orElseThrow();
        TreeEntry link = scan.entries().stream().filter(e -> e.path().equals("usr/bin/tool-link")).findFirst()
                .orElseThrow();
        assertThat(tool.type()).isEqualTo(EntryType.FILE);
        assertThat(tool.mode()).isEqualTo(04750);
        assertThat(tool.xattrs()).containsEntry("user.extension-release.strict", "0");
        assertThat(link).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.HARDLINK, "usr/bin/tool");
        assertThat(scan.contents()).containsEntry("usr/bin/tool", "content of usr/bin/tool")
                .doesNotContainKey("usr/bin/tool-link");
        assertThat(scan.entries()).filteredOn(e -> e.path().equals("usr/bin/rel")).singleElement()
                .extracting(TreeEntry::type, TreeEntry::linkTarget).containsExactly(EntryType.SYMLINK, "tool");
    }

    @Test
    void aScanWithoutContentReadsNoExtendedAttributes() throws Exception {
        Path root = tree("t", List.of("usr/bin/tool"));
        Fixtures.xattr(root.resolve("usr/bin/tool"), "user.note", "file");
        Fixtures.xattr(root.resolve("usr/bin"), "user.note", "directory");
        List<TreeEntry> withContent = new ArrayList<>();
        new DirectorySource(root).scan((e, content) -> withContent.add(e), new Findings());
        List<TreeEntry> metadataOnly = new ArrayList<>();
        new DirectorySource(root).scanWithoutContent((e, content) -> metadataOnly.add(e), new Findings());
        assertThat(withContent).filteredOn(e -> e.path().startsWith("usr/bin")).extracting(e -> e.xattrs().get(
                "user.note")).containsExactly("directory", "file");
        // the same entries but for the attributes, which mksquashfs reads itself (no file is opened for them)
        assertThat(metadataOnly).allSatisfy(e -> assertThat(e.xattrs()).isEmpty());
        assertThat(metadataOnly).isEqualTo(withContent.stream().map(e -> e.withXattrs(Map.of())).toList());
    }

    @Test
    void escapingSymlinksAndSocketsAreLeftOut() throws Exception {
        Path root = tree("t", List.of("usr/bin/ok"));
        Files.createSymbolicLink(root.resolve("usr/bin/up"), Path.of("../../../etc/shadow"));
        Files.createSymbolicLink(root.resolve("usr/bin/abs"), Path.of("/etc/shadow"));
        try (ServerSocketChannel ch = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(root.resolve("usr/bin/sock")));
            Fixtures.Scan scan = Fixtures.scan(new DirectorySource(root));
            assertThat(scan.entries()).extracting(TreeEntry::path).contains("usr/bin/abs", "usr/bin/ok")
                    .doesNotContain("usr/bin/up", "usr/bin/sock");
            assertThat(scan.findings().asList()).extracting(Finding::id, Finding::path).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("unsafe-path", "usr/bin/up"),
                    org.assertj.core.groups.Tuple.tuple("device-node", "usr/bin/sock"));
        }
    }

    @Test
    void aFileIsNotADirectorySource() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> new DirectorySource(f)).isInstanceOf(UsageException.class)
                .hasMessageContaining("is not a directory");
    }

    /**
     * A file's content is opened at its first read, not when the entry is visited: a visitor that only looks at the
     * entry, or links the file by the name the content carries, costs no open (docs/ddi.md §8).
     */
    @Test
    void aFilesContentIsOpenedAtItsFirstReadAndNamesTheFile() throws Exception {
        Path root = tree("t", List.of("usr/lib/a", "usr/lib/b"));
        List<String> read = new java.util.ArrayList<>();
        new DirectorySource(root).scan((e, content) -> {
            if (e.path().equals("usr/lib/a")) {
                assertThat(FileBackedContent.fileOf(content)).isEqualTo(root.resolve("usr/lib/a"));
                read.add(new String(content.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } else if (e.path().equals("usr/lib/b")) {
                assertThat(FileBackedContent.fileOf(content)).isEqualTo(root.resolve("usr/lib/b"));
                Files.delete(root.resolve("usr/lib/b")); // an open file would still be read
                assertThatThrownBy(content::read).isInstanceOf(java.nio.file.NoSuchFileException.class);
            }
        }, new dev.sysextctl.core.lint.Findings());
        assertThat(read).containsExactly("content of usr/lib/a");
    }
}
