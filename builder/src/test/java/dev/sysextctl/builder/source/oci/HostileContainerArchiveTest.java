package dev.sysextctl.builder.source.oci;

import static dev.sysextctl.builder.Fixtures.Member.file;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.source.RawTar;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outer archive of a container image ({@code docker save}, {@code oci-archive}) crafted to point outside itself,
 * hide a second manifest, claim sizes it does not hold or smuggle entry types: every case is refused in one line
 * with the contract's exception (RefusedException: exit 3, OperationFailedException: exit 1), before any layer is
 * read. The archives are written header by header ({@link RawTar}).
 */
class HostileContainerArchiveTest {
    private static final OciFixture.LayerSpec LAYER = OciFixture.LayerSpec.plain(file("usr/bin/app", "app\n"));

    @TempDir
    Path tmp;

    /** The members of a valid {@code docker save} archive of one layer, in the order docker writes them. */
    private static Map<String, byte[]> docker() throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        OciFixture.dockerMembers(members, List.of(LAYER), "app:1");
        return members;
    }

    private static RawTar tar(Map<String, byte[]> members) {
        RawTar t = new RawTar();
        members.forEach((name, bytes) -> t.entry(name, '0', bytes));
        return t;
    }

    private Fixtures.Scan scan(String kind, byte[] archive) throws Exception {
        Path file = Files.write(tmp.resolve("app.tar"), archive);
        return Fixtures.scan(ContainerImageSource.open(ImageReference.parse(kind + ":" + file).orElseThrow(),
                ContainerSelection.ALL));
    }

    private Fixtures.Scan scan(byte[] archive) throws Exception {
        return scan("docker-archive", archive);
    }

    private static String manifest(Map<String, byte[]> members) {
        return new String(members.get("manifest.json"), StandardCharsets.UTF_8);
    }

    /** The refusal in one line, starting with the image's reference. */
    private void refused(Class<? extends SysextctlException> type, byte[] archive, String... fragments) {
        var thrown = assertThatThrownBy(() -> scan(archive)).isInstanceOf(type)
                .hasMessageStartingWith("docker-archive:" + tmp.resolve("app.tar") + ": ")
                .hasMessageNotContaining("\n");
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    @Test
    void anArchiveWrittenHeaderByHeaderIsReadLikeOneFromATarWriter() throws Exception {
        assertThat(scan(tar(docker()).end()).entries()).extracting(TreeEntry::path)
                .containsExactly("usr/bin/app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "blobs/../../evil", "/manifest.json", "/etc/evil"})
    void anEntryNamedOutOfTheArchiveIsRefused(String name) throws Exception {
        byte[] archive = tar(docker()).entry(name, '0', "evil".getBytes(StandardCharsets.UTF_8)).end();
        refused(RefusedException.class, archive, "is named '" + name + "', ",
                "which no image archive holds (unsafe-path); copy or save the image again");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../../../etc/passwd", "blobs/../../x"})
    void aSymlinkedManifestLeadingOutIsRefused(String target) throws Exception {
        Map<String, byte[]> m = docker();
        byte[] real = m.remove("manifest.json");
        byte[] archive = tar(m).entry("real.json", '0', real).link("manifest.json", '2', target).end();
        refused(RefusedException.class, archive, "is a link from manifest.json to '" + target
                + "', out of the archive (unsafe-path)");
    }

    @Test
    void aHardLinkedManifestLeadingOutIsRefused() throws Exception {
        Map<String, byte[]> m = docker();
        m.remove("manifest.json");
        byte[] archive = tar(m).link("manifest.json", '1', "../outside/manifest.json").end();
        refused(RefusedException.class, archive, "is a link from manifest.json to '../outside/manifest.json'");
    }

    @Test
    void aLinkInsideTheArchiveIsFollowedWithinIt() throws Exception {
        Map<String, byte[]> m = docker();
        byte[] real = m.remove("manifest.json");
        byte[] archive = tar(m).entry("meta/real.json", '0', real).link("manifest.json", '2', "meta/real.json").end();
        assertThat(scan(archive).entries()).extracting(TreeEntry::path).contains("usr/bin/app");
    }

    @Test
    void aLinkCycleInsideTheArchiveIsNoFile() throws Exception {
        Map<String, byte[]> m = docker();
        m.remove("manifest.json");
        byte[] archive = tar(m).link("manifest.json", '2', "a").link("a", '2', "manifest.json").end();
        assertThatThrownBy(() -> scan(archive)).isInstanceOf(SysextctlException.class)
                .hasMessageContaining("not an OCI image layout").hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../canary/layer.tar", "/etc/passwd", "x/../../layer.tar"})
    void aLayerNamedOutOfTheArchiveIsRefused(String layer) throws Exception {
        Map<String, byte[]> m = docker();
        String id = m.keySet().iterator().next().split("/")[0];
        m.put("manifest.json", manifest(m).replace(id + "/layer.tar", layer).getBytes(StandardCharsets.UTF_8));
        refused(RefusedException.class, tar(m).end(), "manifest.json names layer 1 '" + layer + "', ",
                "(unsafe-path); save the image again");
    }

    @Test
    void aConfigNamedOutOfTheArchiveIsRefused() throws Exception {
        Map<String, byte[]> m = docker();
        String json = manifest(m);
        String config = json.substring(json.indexOf("\"Config\":\"") + 10, json.indexOf(".json\"") + 5);
        m.put("manifest.json", json.replace(config, "/etc/passwd").getBytes(StandardCharsets.UTF_8));
        refused(RefusedException.class, tar(m).end(), "manifest.json names the config '/etc/passwd', an absolute "
                + "path (unsafe-path)");
    }

    @Test
    void aSecondManifestIsRefused() throws Exception {
        Map<String, byte[]> m = docker();
        String other = "[{\"Config\":\"x.json\",\"RepoTags\":[\"evil:1\"],\"Layers\":[]}]";
        byte[] archive = tar(m).entry("./manifest.json", '0', other.getBytes(StandardCharsets.UTF_8)).end();
        refused(RefusedException.class, archive, "the archive holds manifest.json twice (the tar entries at bytes ",
                "(unsafe-path); copy or save the image again");
    }

    @Test
    void aSecondLayerOfTheSameNameIsRefused() throws Exception {
        Map<String, byte[]> m = docker();
        String layer = m.keySet().stream().filter(n -> n.endsWith("/layer.tar")).findFirst().orElseThrow();
        byte[] archive = tar(m).entry(layer, '0', Fixtures.tar(List.of(file("usr/bin/evil", "evil")))).end();
        refused(RefusedException.class, archive, "holds " + layer + " twice");
    }

    /** A layer that claims 10 GiB (GNU base-256 size) in an archive of a few KiB: the listing stops, nothing is read. */
    @Test
    void aTenGibibyteSizeClaimIsATruncatedArchive() throws Exception {
        Map<String, byte[]> m = docker();
        String layer = m.keySet().stream().filter(n -> n.endsWith("/layer.tar")).findFirst().orElseThrow();
        byte[] layerBytes = m.remove(layer);
        byte[] archive = tar(m).header(layer, '0', 10L << 30).data(layerBytes).end();
        refused(OperationFailedException.class, archive, "claims more data than the archive holds",
                "check that the archive is complete and not corrupt");
    }

    @Test
    void aSizeNoArchiveCanHoldIsCorrupt() throws Exception {
        byte[] archive = tar(docker()).header("big", '0', Long.MAX_VALUE).end();
        refused(OperationFailedException.class, archive, "claims " + Long.MAX_VALUE + " bytes, more than any archive "
                + "can hold");
    }

    @Test
    void aWrongHeaderChecksumInTheOuterArchiveIsRefused() throws Exception {
        byte[] archive = tar(docker()).end();
        archive[0] ^= 0x01; // the first member's name, its checksum kept
        refused(OperationFailedException.class, archive, "the tar entry at byte 0 has a wrong header checksum");
    }

    @Test
    void aGnuLongNameOfOneGibibyteIsRefusedBeforeItIsRead() throws Exception {
        byte[] archive = new RawTar().header("././@LongLink", 'L', 1L << 30).data(new byte[4096]).end();
        refused(RefusedException.class, archive, "has a GNU long name of 1073741824 bytes, longer than PATH_MAX",
                "(unsafe-path)");
    }

    @Test
    void aPaxHeaderOverTheCapIsRefused() throws Exception {
        byte[] archive = tar(docker()).pax("comment=" + "v".repeat(300_000)).entry("x", '0', new byte[0]).end();
        refused(RefusedException.class, archive, "has a PAX header of 300");
    }

    @ParameterizedTest
    @ValueSource(chars = {'V', 'M', 'S'})
    void entryTypesWithNoPlaceInAnImageArchiveAreRefused(char type) throws Exception {
        byte[] archive = tar(docker()).entry("label", type, new byte[0]).end();
        refused(RefusedException.class, archive, "which has no place in an image (unsupported-entry)");
    }

    @Test
    void aPaxSparseMemberIsRefused() throws Exception {
        byte[] archive = tar(docker()).pax("GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=x")
                .entry("GNUSparseFile.0/x", '0', "1\n0\n0\n".getBytes(StandardCharsets.US_ASCII)).end();
        refused(RefusedException.class, archive, "is a GNU sparse file (PAX GNU.sparse.major)");
    }

    /** Each entry is kept while the archive is listed: millions of empty ones would fill the heap. */
    @Test
    void anArchiveOfMoreEntriesThanAnyImageIsRefused() throws Exception {
        RawTar t = tar(docker());
        for (int i = 0; i <= ImageFiles.MAX_MEMBERS; i++) {
            t.header("e" + i, '0', 0);
        }
        refused(RefusedException.class, t.end(), "the archive holds more than 65536 entries, far more than any image "
                + "archive (unsafe-path)");
    }

    @Test
    void anArchiveCutInsideAMemberIsRefused() throws Exception {
        byte[] whole = tar(docker()).end();
        byte[] cut = java.util.Arrays.copyOf(whole, 700); // inside the first member's data
        refused(OperationFailedException.class, cut, "claims more data than the archive holds");
    }

    @Test
    void anOciArchiveGoesThroughTheSameChecks() throws Exception {
        Path layout = tmp.resolve("layout");
        OciFixture.ociDir(layout, List.of(LAYER));
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (var files = Files.walk(layout)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                members.put(layout.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        assertThat(scan("oci-archive", tar(members).end()).entries()).extracting(TreeEntry::path)
                .contains("usr/bin/app");
        byte[] archive = tar(members).link("index.json", '2', "../../index.json").end();
        assertThatThrownBy(() -> scan("oci-archive", archive)).isInstanceOf(RefusedException.class)
                .hasMessageStartingWith("oci-archive:" + tmp.resolve("app.tar") + ": ")
                .hasMessageContaining("is a link from index.json to '../../index.json', out of the archive");
    }
}
