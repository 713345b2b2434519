package dev.sysextctl.builder.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.tools.SquashfsDirectoryInput;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When mksquashfs may read the directory itself, and what it is given then. */
class DirectSquashfsTest {
    static final String RELEASE = "usr/lib/extension-release.d/extension-release.app";

    @TempDir
    Path tmp;

    private static TreeEntry dir(String p) {
        return TreeEntry.directory(p, 0755);
    }

    private static TreeEntry file(String p) {
        return TreeEntry.file(p, 0644, 3);
    }

    /** The stream of a tree holding usr/bin/a, usr/share/z and (left out) etc/x, with the release in path order. */
    private static List<TreeEntry> stream() {
        return List.of(dir("usr"), dir("usr/bin"), file("usr/bin/a"), dir("usr/lib"),
                dir("usr/lib/extension-release.d"), file(RELEASE), dir("usr/share"), file("usr/share/z"));
    }

    private static Set<String> visited() {
        return Set.of("etc", "etc/x", "usr", "usr/bin", "usr/bin/a", "usr/share", "usr/share/z");
    }

    private DirectSquashfs.Decision plan(List<TreeEntry> stream, Set<String> visited, List<Finding> findings) {
        return DirectSquashfs.plan(tmp, stream, visited, findings, RELEASE, false);
    }

    @Test
    void theReleaseAndItsMissingDirectoriesArePseudoFilesAndEtcAndSocketsAreExcluded() throws Exception {
        List<Finding> findings = List.of(LintRule.DEVICE_NODE.finding("usr/share/s.sock", "a socket", "remove it"),
                LintRule.DEVICE_NODE.finding("", "image-wide", "x"));
        DirectSquashfs d = plan(stream(), visited(), findings).direct().orElseThrow();
        assertThat(d.excludes()).containsExactly("etc", "usr/share/s.sock");
        Path scratch = Files.createDirectory(tmp.resolve("scratch"));
        SquashfsDirectoryInput in = d.prepare(scratch, "ID=_any\n".getBytes(), true);
        assertThat(in.directory()).isEqualTo(tmp.toRealPath());
        assertThat(Files.readString(in.pseudoFile())).isEqualTo("usr/lib d 755 0 0\n"
                + "usr/lib/extension-release.d d 755 0 0\n"
                + RELEASE + " l " + scratch.resolve("extension-release") + "\n");
        assertThat(Files.readString(scratch.resolve("extension-release"))).isEqualTo("ID=_any\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch.resolve("extension-release"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.readString(in.excludeFile())).isEqualTo("etc\nusr/share/s.sock\n");
    }

    /** The stream with the release as {@code release}. */
    private DirectSquashfs withRelease(TreeEntry release) {
        List<TreeEntry> s = new ArrayList<>(stream());
        s.set(5, release);
        return plan(s, visited(), List.of()).direct().orElseThrow();
    }

    private String releaseLine(DirectSquashfs d, String scratchName, boolean ownersForced) throws Exception {
        Path scratch = Files.createDirectory(tmp.resolve(scratchName));
        String pseudo = Files.readString(d.prepare(scratch, "ID=_any\n".getBytes(), ownersForced).pseudoFile());
        return pseudo.lines().filter(l -> l.startsWith(RELEASE + " ")).findFirst().orElseThrow()
                .replace(scratch.toString(), "SCRATCH");
    }

    @Test
    void theReleaseLinksToItsContentWhereTheFileCanCarryItsModeAndOwnerAndIsMadeByCatElsewhere() throws Exception {
        int uid = (Integer) Files.getAttribute(tmp, "unix:uid");
        int gid = (Integer) Files.getAttribute(tmp, "unix:gid");
        TreeEntry own = new TreeEntry(RELEASE, EntryType.FILE, 0640, uid, gid, 3, null, 0, 0, 0, null);
        assertThat(releaseLine(withRelease(own), "own", false)).isEqualTo(RELEASE + " l SCRATCH/extension-release");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tmp.resolve("own/extension-release")))).isEqualTo("rw-r-----");
        // another owner than the content file's: a link would give the file's; -all-root would make it root's
        TreeEntry other = new TreeEntry(RELEASE, EntryType.FILE, 0644, uid + 4242, gid, 3, null, 0, 0, 0, null);
        assertThat(releaseLine(withRelease(other), "other", false))
                .isEqualTo(RELEASE + " f 644 " + (uid + 4242) + " " + gid + " cat 'SCRATCH/extension-release'");
        assertThat(releaseLine(withRelease(other), "other-forced", true))
                .isEqualTo(RELEASE + " l SCRATCH/extension-release");
        // a mode the file cannot carry, and a scratch name a pseudo file cannot hold unquoted
        TreeEntry setuid = new TreeEntry(RELEASE, EntryType.FILE, 04644, uid, gid, 3, null, 0, 0, 0, null);
        assertThat(releaseLine(withRelease(setuid), "setuid", true))
                .isEqualTo(RELEASE + " f 4644 " + uid + " " + gid + " cat 'SCRATCH/extension-release'");
        TreeEntry unreadable = new TreeEntry(RELEASE, EntryType.FILE, 0044, uid, gid, 3, null, 0, 0, 0, null);
        assertThat(releaseLine(withRelease(unreadable), "unreadable", true)).contains(" f 44 ");
        assertThat(releaseLine(withRelease(file(RELEASE)), "sp ace", true))
                .isEqualTo(RELEASE + " f 644 0 0 cat 'SCRATCH/extension-release'");
    }

    @Test
    void theSourcesOwnReleaseIsExcludedSoThatThePseudoFileReplacesIt() {
        Set<String> visited = new java.util.HashSet<>(visited());
        visited.addAll(List.of("usr/lib", "usr/lib/extension-release.d", RELEASE));
        DirectSquashfs d = plan(stream(), visited, List.of()).direct().orElseThrow();
        assertThat(d.excludes()).containsExactly("etc", RELEASE);
    }

    @Test
    void whatCouldGiveOtherBytesTakesTheTarStream() {
        List<TreeEntry> unordered = new ArrayList<>(stream());
        unordered.add(2, file("usr/bin/b"));
        unordered.add(2, file("usr/bin/c"));
        Set<String> withBc = new java.util.HashSet<>(visited());
        withBc.addAll(List.of("usr/bin/b", "usr/bin/c"));
        assertThat(plan(unordered, withBc, List.of()).reason()).contains("not in mksquashfs's order");

        List<TreeEntry> xattrs = new ArrayList<>(stream());
        xattrs.set(2, file("usr/bin/a").withXattrs(Map.of("user.k", "v")));
        assertThat(plan(xattrs, visited(), List.of()).reason()).contains("extended attributes");

        List<TreeEntry> changed = new ArrayList<>(stream());
        changed.add(3, file("usr/bin/b")); // the image has it, the tree does not
        assertThat(plan(changed, visited(), List.of()).reason()).contains("not in the tree");

        Set<String> odd = new java.util.HashSet<>(visited());
        odd.add("etc2\\x");
        assertThat(plan(stream(), odd, List.of()).direct()).isEmpty();

        assertThat(DirectSquashfs.plan(tmp, stream(), visited(), List.of(), RELEASE, true).reason())
                .contains("SELinux");
        assertThat(plan(stream(), visited(), List.of()).direct()).isPresent();
    }

    @Test
    void theImageMustHoldAsManyInodesAsThePlanAndNoExtendedAttributes() throws Exception {
        DirectSquashfs d = plan(stream(), visited(), List.of()).direct().orElseThrow();
        // the root and the eight entries of the stream, none a hard link
        assertThat(d.matches(superblock(9, -1L))).isTrue();
        assertThat(d.matches(superblock(10, -1L))).isFalse();
        assertThat(d.matches(superblock(9, 4096L))).isFalse();
        List<TreeEntry> withLink = new ArrayList<>(stream());
        withLink.add(3, new TreeEntry("usr/bin/b", EntryType.HARDLINK, 0644, 0, 0, 3, "usr/bin/a", 0, 0, 0, null));
        Set<String> visited = new java.util.HashSet<>(visited());
        visited.add("usr/bin/b");
        assertThat(plan(withLink, visited, List.of()).direct().orElseThrow().matches(superblock(9, -1L))).isTrue();
    }

    private Path superblock(int inodes, long xattrTable) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(96).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x73717368).putInt(4, inodes).putLong(56, xattrTable);
        return Files.write(tmp.resolve("sb-" + inodes + "-" + xattrTable), b.array());
    }

    /** The release's directories as the plan implies them, then the release. */
    private static List<TreeEntry> releaseEntries() {
        return List.of(dir("usr"), dir("usr/lib"), dir("usr/lib/extension-release.d"), file(RELEASE));
    }

    @Test
    void thePredictionBeforeTheScanIsWhatThePlanDecidesForATreeWithEtcAndItsOwnRelease() throws Exception {
        Files.createDirectories(tmp.resolve("etc"));
        Files.createDirectories(tmp.resolve("usr/bin"));
        Files.createDirectories(tmp.resolve("usr/share"));
        DirectSquashfs predicted = DirectSquashfs.predict(tmp, releaseEntries(), false).orElseThrow();
        assertThat(predicted.excludes()).containsExactly("etc");
        assertThat(predicted.sameInputs(plan(stream(), visited(), List.of()).direct().orElseThrow())).isTrue();

        Files.createDirectories(tmp.resolve("usr/lib/extension-release.d"));
        Files.writeString(tmp.resolve(RELEASE), "ID=other\n");
        predicted = DirectSquashfs.predict(tmp, releaseEntries(), false).orElseThrow();
        assertThat(predicted.excludes()).containsExactly("etc", RELEASE);
        List<TreeEntry> stream = new ArrayList<>(stream());
        Set<String> visited = new java.util.HashSet<>(visited());
        visited.addAll(List.of("usr/lib", "usr/lib/extension-release.d", RELEASE));
        DirectSquashfs planned = plan(stream, visited, List.of()).direct().orElseThrow();
        assertThat(predicted.sameInputs(planned)).isTrue();
        // a socket the scan finds must be left out too: not what was foreseen
        DirectSquashfs withSocket = plan(stream, visited, List.of(LintRule.DEVICE_NODE.finding("usr/share/s.sock",
                "a socket", "remove it"))).direct().orElseThrow();
        assertThat(predicted.sameInputs(withSocket)).isFalse();
    }

    @Test
    void nothingIsPredictedWhereTheReleasesDirectoryIsNotADirectoryOrSelinuxLabelsFiles() throws Exception {
        Files.createDirectories(tmp.resolve("usr"));
        assertThat(DirectSquashfs.predict(tmp, releaseEntries(), true)).isEmpty();
        Files.createSymbolicLink(tmp.resolve("usr/lib"), Path.of("lib64"));
        assertThat(DirectSquashfs.predict(tmp, releaseEntries(), false)).isEmpty();
    }
}
