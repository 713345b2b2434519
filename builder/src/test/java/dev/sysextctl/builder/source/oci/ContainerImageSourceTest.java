package dev.sysextctl.builder.source.oci;

import static dev.sysextctl.builder.Fixtures.Member.dir;
import static dev.sysextctl.builder.Fixtures.Member.file;
import static dev.sysextctl.builder.Fixtures.Member.hardlink;
import static dev.sysextctl.builder.Fixtures.Member.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.source.ArchiveCompression;
import dev.sysextctl.builder.source.oci.OciFixture.LayerSpec;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Container images made by hand: layers, whiteouts, compressions, digests, base and layer selection. */
class ContainerImageSourceTest {
    @TempDir
    Path tmp;

    static {
        Fixtures.init();
    }

    /** A base layer: a program, docs, a library directory, things outside usr/. */
    static final LayerSpec BASE = LayerSpec.plain(
            dir("usr/"), dir("usr/bin/"), file("usr/bin/tool", "tool v1\n").mode(0755),
            hardlink("usr/bin/tool-hard", "usr/bin/tool"), symlink("usr/bin/t", "tool"),
            dir("usr/share/"), dir("usr/share/doc/"), dir("usr/share/doc/app/"),
            file("usr/share/doc/app/README", "readme\n"), file("usr/share/doc/app/NEWS", "news\n"),
            dir("usr/lib/"), dir("usr/lib/plugins/"), file("usr/lib/plugins/a.so", "a\n"),
            file("usr/lib/plugins/b.so", "b\n"), dir("etc/"), file("etc/app.conf", "conf\n"),
            dir("bin/"), file("bin/sh", "sh\n").mode(0755), dir("var/"), dir("var/lib/"));

    /**
     * What a "RUN" on top of it does: replaces the tool, deletes a doc file and the whole doc directory of another
     * package, makes the plugins directory opaque with one new plugin, adds a file, writes var/.
     */
    static final LayerSpec RUN = LayerSpec.plain(
            dir("usr/"), dir("usr/bin/"), file("usr/bin/tool", "tool v2\n").mode(0755),
            file("usr/bin/added", "added\n").mode(0755), dir("usr/share/"), dir("usr/share/doc/"),
            file("usr/share/doc/.wh.app", ""), dir("usr/lib/"), dir("usr/lib/plugins/"),
            file("usr/lib/plugins/c.so", "c\n"), file("usr/lib/plugins/.wh..wh..opq", ""),
            dir("var/lib/"), file("var/lib/state", "s\n"));

    private static Map<String, String> contents(Fixtures.Scan scan) {
        return new TreeMap<>(scan.contents());
    }

    private static Map<String, EntryType> types(Fixtures.Scan scan) {
        return scan.entries().stream().collect(Collectors.toMap(TreeEntry::path, TreeEntry::type, (a, b) -> b,
                TreeMap::new));
    }

    private ContainerImageSource open(String ref) throws Exception {
        return ContainerImageSource.open(ImageReference.parse(ref).orElseThrow(), ContainerSelection.ALL);
    }

    @Test
    void layersAreAppliedInOrderWithWhiteoutsAndOpaqueDirectories() throws Exception {
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE, RUN), "app:2");
        Fixtures.Scan scan = Fixtures.scan(open("docker-archive:" + tmp.resolve("app.tar")));

        assertThat(types(scan)).containsOnlyKeys("usr", "usr/bin", "usr/bin/tool", "usr/bin/tool-hard", "usr/bin/t",
                "usr/bin/added", "usr/share", "usr/share/doc", "usr/lib", "usr/lib/plugins", "usr/lib/plugins/c.so",
                "etc", "etc/app.conf");
        // the tool was replaced in layer 2; its old hard link keeps the content of layer 1 (a copy-up broke the link)
        assertThat(contents(scan)).containsEntry("usr/bin/tool", "tool v2\n").containsEntry("usr/bin/tool-hard",
                "tool v1\n").containsEntry("usr/lib/plugins/c.so", "c\n").containsEntry("usr/bin/added", "added\n");
        assertThat(scan.entries()).noneMatch(e -> e.path().contains(".wh."));
        // every directory comes first, then the rest in layer order
        int firstNonDir = 0;
        while (scan.entries().get(firstNonDir).type() == EntryType.DIRECTORY) {
            firstNonDir++;
        }
        assertThat(scan.entries().subList(firstNonDir, scan.entries().size()))
                .noneMatch(e -> e.type() == EntryType.DIRECTORY);
        assertThat(scan.findings().asList()).extracting(Finding::id, Finding::path, Finding::severity)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("outside-hierarchy", "bin",
                        Severity.WARNING), org.assertj.core.groups.Tuple.tuple("outside-hierarchy", "var",
                        Severity.WARNING));
    }

    @Test
    void anOpaqueMarkerHidesOnlyLowerLayersWhereverItComesInTheTar() throws Exception {
        LayerSpec lower = LayerSpec.plain(dir("usr/"), dir("usr/lib/"), dir("usr/lib/d/"), file("usr/lib/d/old", "o"));
        LayerSpec upper = LayerSpec.plain(dir("usr/lib/d/"), file("usr/lib/d/new", "n"),
                file("usr/lib/d/.wh..wh..opq", ""), file("usr/lib/.wh.gone", ""));
        OciFixture.ociDir(tmp.resolve("layout"), List.of(lower, upper));
        Fixtures.Scan scan = Fixtures.scan(open("oci:" + tmp.resolve("layout")));
        assertThat(types(scan)).containsOnlyKeys("usr", "usr/lib", "usr/lib/d", "usr/lib/d/new");
    }

    @Test
    void aWhiteoutOfADirectoryDeletesEverythingBelowItAndAFileMayTakeItsPlace() throws Exception {
        LayerSpec lower = LayerSpec.plain(dir("usr/"), dir("usr/share/"), dir("usr/share/x/"), dir("usr/share/x/y/"),
                file("usr/share/x/y/z", "z"), file("usr/share/x/w", "w"));
        LayerSpec upper = LayerSpec.plain(file("usr/share/.wh.x", ""), symlink("usr/share/x", "elsewhere"));
        OciFixture.ociDir(tmp.resolve("layout"), List.of(lower, upper));
        Fixtures.Scan scan = Fixtures.scan(open("oci:" + tmp.resolve("layout")));
        assertThat(types(scan)).containsOnly(Map.entry("usr", EntryType.DIRECTORY),
                Map.entry("usr/share", EntryType.DIRECTORY), Map.entry("usr/share/x", EntryType.SYMLINK));
    }

    @ParameterizedTest
    @EnumSource(value = ArchiveCompression.class, names = {"NONE", "GZIP", "ZSTD"})
    void compressedLayersInALayoutGiveWhatTheDockerArchiveGives(ArchiveCompression c) throws Exception {
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE, RUN), "app:2");
        Fixtures.Scan docker = Fixtures.scan(open("docker-archive:" + tmp.resolve("app.tar")));
        List<LayerSpec> layers = List.of(new LayerSpec(BASE.members(), c), new LayerSpec(RUN.members(), c));
        OciFixture.ociDir(tmp.resolve("layout"), layers, "v2");
        OciFixture.ociArchive(tmp.resolve("app-oci.tar"), tmp.resolve("scratch"), layers);

        for (String ref : List.of("oci:" + tmp.resolve("layout") + ":v2", "oci-archive:" + tmp.resolve("app-oci.tar"))) {
            Fixtures.Scan oci = Fixtures.scan(open(ref));
            assertThat(oci.entries()).as(ref).isEqualTo(docker.entries());
            assertThat(oci.contents()).as(ref).isEqualTo(docker.contents());
        }
    }

    @Test
    void aHardLinkWhoseTargetALaterLayerDeletedKeepsTheContentAndLinksMayCrossLayers() throws Exception {
        LayerSpec one = LayerSpec.plain(dir("usr/"), dir("usr/bin/"), file("usr/bin/a", "A").mode(0750),
                hardlink("usr/bin/a2", "usr/bin/a"), hardlink("usr/bin/a3", "usr/bin/a"));
        LayerSpec two = LayerSpec.of(ArchiveCompression.GZIP, file("usr/bin/.wh.a", ""),
                hardlink("usr/bin/b", "usr/bin/a2"));
        OciFixture.ociDir(tmp.resolve("layout"), List.of(one, two));
        Fixtures.Scan scan = Fixtures.scan(open("oci:" + tmp.resolve("layout")));

        assertThat(types(scan)).containsOnly(Map.entry("usr", EntryType.DIRECTORY),
                Map.entry("usr/bin", EntryType.DIRECTORY), Map.entry("usr/bin/a2", EntryType.FILE),
                Map.entry("usr/bin/a3", EntryType.HARDLINK), Map.entry("usr/bin/b", EntryType.HARDLINK));
        assertThat(scan.contents()).containsOnly(Map.entry("usr/bin/a2", "A"));
        assertThat(scan.entries()).filteredOn(e -> e.type() == EntryType.HARDLINK)
                .allMatch(e -> e.linkTarget().equals("usr/bin/a2"));
        assertThat(scan.entries()).filteredOn(e -> e.path().equals("usr/bin/a2")).singleElement()
                .extracting(TreeEntry::mode).isEqualTo(0750);
    }

    @Test
    void aDockerSaveArchiveWithAnOciLayoutInsideIsReadAndItsManifestDigestAccepted() throws Exception {
        OciFixture.dockerArchive(tmp.resolve("old.tar"), List.of(BASE, RUN), "app:2");
        OciFixture.Written w = OciFixture.dockerArchiveWithLayout(tmp.resolve("new.tar"), tmp.resolve("scratch"),
                List.of(BASE, RUN), "app:2");
        Fixtures.Scan old = Fixtures.scan(open("docker-archive:" + tmp.resolve("old.tar")));
        ContainerImageSource source = open("docker-archive:" + tmp.resolve("new.tar") + "@" + w.manifestDigest());
        assertThat(source.digests()).containsExactly(w.manifestDigest(), w.configDigest());
        Fixtures.Scan scan = Fixtures.scan(source);
        assertThat(scan.entries()).isEqualTo(old.entries());
        assertThat(scan.contents()).isEqualTo(old.contents());
    }

    @Test
    void aCorruptedLayerIsRefusedNamingItsBlobAndAScanTwiceChecksAgain() throws Exception {
        OciFixture.Written w = OciFixture.ociDir(tmp.resolve("layout"), List.of(BASE,
                LayerSpec.of(ArchiveCompression.GZIP, RUN.members().toArray(Fixtures.Member[]::new))));
        ContainerImageSource source = open("oci:" + tmp.resolve("layout"));
        Fixtures.scan(source);
        // flip a byte of the first layer's content (its tar headers stay valid: the digest is what tells)
        Path blob = tmp.resolve("layout/blobs/sha256/" + w.layerDigests().get(0).substring(7));
        byte[] b = Files.readAllBytes(blob);
        int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("tool v1");
        b[at] = 'T';
        Files.write(blob, b);
        String layer1 = "layer 1 of 2 (" + w.layerDigests().get(0).substring(0, 19) + ")";
        assertThatThrownBy(() -> Fixtures.scan(source)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(layer1).hasMessageContaining("does not match its digest")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Fixtures.scan(open("oci:" + tmp.resolve("layout"))))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining(layer1)
                .hasMessageContaining("does not match its digest");
    }

    @Test
    void aCorruptedCompressedLayerIsRefusedByItsDigestNotAsABadStream() throws Exception {
        OciFixture.Written w = OciFixture.ociDir(tmp.resolve("layout"),
                List.of(LayerSpec.of(ArchiveCompression.GZIP, BASE.members().toArray(Fixtures.Member[]::new))));
        Path blob = tmp.resolve("layout/blobs/sha256/" + w.layerDigests().get(0).substring(7));
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.seek(40);
            int x = f.read();
            f.seek(40);
            f.write(x ^ 0x55);
        }
        assertThatThrownBy(() -> Fixtures.scan(open("oci:" + tmp.resolve("layout"))))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("layer 1 of 1 (" + w.layerDigests().get(0).substring(0, 19) + ")")
                .hasMessageContaining("does not match its digest");
    }

    @Test
    void aDiffIdThatDoesNotMatchTheUncompressedLayerIsRefused() throws Exception {
        // the docker-archive's layer.tar is named by the config's diff_id only: change its content, keep its size
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE), "app:1");
        byte[] b = Files.readAllBytes(tmp.resolve("app.tar"));
        int at = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("readme");
        b[at] = 'R';
        Files.write(tmp.resolve("app.tar"), b);
        assertThatThrownBy(() -> Fixtures.scan(open("docker-archive:" + tmp.resolve("app.tar"))))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("layer 1 of 1")
                .hasMessageContaining("diff_id").hasMessageContaining("does not match its digest");
    }

    @Test
    void theDigestAskedForIsCheckedAndPicksTheImage() throws Exception {
        OciFixture.Written w = OciFixture.ociDir(tmp.resolve("layout"), List.of(BASE), "a", "b");
        assertThat(Fixtures.scan(open("oci:" + tmp.resolve("layout") + "@" + w.manifestDigest())).entries())
                .isNotEmpty();
        assertThat(Fixtures.scan(open("oci:" + tmp.resolve("layout") + ":b@" + w.manifestDigests().get(1)))
                .entries()).isNotEmpty();
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("layout") + ":b@" + w.manifestDigest()))
                .isInstanceOf(RefusedException.class);
        String other = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("layout") + ":a@" + other))
                .isInstanceOf(RefusedException.class).hasMessageContaining(w.manifestDigest())
                .hasMessageContaining("not " + other);
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("layout"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("holds 2 images (a, b)");
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("layout") + ":c")).isInstanceOf(UsageException.class)
                .hasMessageContaining("no image is tagged c");

        OciFixture.Written d = OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE), "app:1");
        assertThat(open("docker-archive:" + tmp.resolve("app.tar") + "@" + d.configDigest()).digests())
                .containsExactly(d.configDigest());
        assertThatThrownBy(() -> open("docker-archive:" + tmp.resolve("app.tar") + "@" + other))
                .isInstanceOf(RefusedException.class);
    }

    @Test
    void aManifestThatDoesNotMatchItsDigestIsRefused() throws Exception {
        OciFixture.Written w = OciFixture.ociDir(tmp.resolve("layout"), List.of(BASE));
        Path manifest = tmp.resolve("layout/blobs/sha256/" + w.manifestDigest().substring(7));
        Files.writeString(manifest, Files.readString(manifest).replace("schemaVersion\":2", "schemaVersion\":02"));
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("layout"))).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("the manifest " + w.manifestDigest() + " does not match its digest");
    }

    @Test
    void withABaseOnlyWhatTheImageAddsOrChangesIsKeptAndDeletionsAreReported() throws Exception {
        LayerSpec same = LayerSpec.plain(dir("usr/"), dir("usr/bin/"), file("usr/bin/tool", "tool v1\n").mode(0755),
                file("usr/bin/new", "new\n"));
        OciFixture.dockerArchive(tmp.resolve("base.tar"), List.of(BASE), "base:1");
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE, RUN, same), "app:3");
        ContainerImageSource source = ContainerImageSource.open(
                ImageReference.parse("docker-archive:" + tmp.resolve("app.tar")).orElseThrow(),
                ContainerSelection.of("docker-archive:" + tmp.resolve("base.tar"), null, List.of("usr/bin/t")));
        Fixtures.Scan scan = Fixtures.scan(source);

        // tool is back to its base content (layer 3 rewrote it identically): unchanged, left out; t is included
        assertThat(types(scan)).containsOnlyKeys("usr", "usr/bin", "usr/bin/added", "usr/bin/new", "usr/bin/t",
                "usr/lib", "usr/lib/plugins", "usr/lib/plugins/c.so");
        assertThat(scan.findings().asList()).filteredOn(f -> f.id().equals(ContainerImageSource.IMAGE_DELETION))
                .extracting(Finding::path).containsExactlyInAnyOrder("usr/share/doc/app", "usr/lib/plugins/a.so",
                        "usr/lib/plugins/b.so");
        assertThat(scan.findings().asList()).extracting(Finding::id).contains("outside-hierarchy")
                .allMatch(id -> !id.equals("unsafe-path"));

        // the same base as the image's first layer: --layers 2..
        ContainerImageSource layers = ContainerImageSource.open(
                ImageReference.parse("docker-archive:" + tmp.resolve("app.tar")).orElseThrow(),
                ContainerSelection.of(null, "2..", List.of("usr/bin/t")));
        Fixtures.Scan byLayers = Fixtures.scan(layers);
        assertThat(byLayers.entries()).isEqualTo(scan.entries());
        assertThat(byLayers.contents()).isEqualTo(scan.contents());
    }

    @Test
    void aBaseThatSharesNoLayerIsComparedEntryByEntry() throws Exception {
        // a base made by another build: one more file, so no layer digest in common with the image
        List<Fixtures.Member> other = new java.util.ArrayList<>(BASE.members());
        other.add(file("usr/share/doc/app/EXTRA", "x"));
        OciFixture.ociDir(tmp.resolve("base"), List.of(new LayerSpec(other, ArchiveCompression.ZSTD)));
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE, RUN), "app:2");
        Fixtures.Scan scan = Fixtures.scan(ContainerImageSource.open(
                ImageReference.parse("docker-archive:" + tmp.resolve("app.tar")).orElseThrow(),
                ContainerSelection.of("oci:" + tmp.resolve("base"), null, List.of())));
        assertThat(types(scan)).containsOnlyKeys("usr", "usr/bin", "usr/bin/tool", "usr/bin/added", "usr/lib",
                "usr/lib/plugins", "usr/lib/plugins/c.so");
        assertThat(contents(scan)).containsEntry("usr/bin/tool", "tool v2\n");
    }

    @Test
    void layerRangesAndIncludesAreCheckedAgainstTheImage() throws Exception {
        OciFixture.dockerArchive(tmp.resolve("app.tar"), List.of(BASE, RUN), "app:2");
        ImageReference ref = ImageReference.parse("docker-archive:" + tmp.resolve("app.tar")).orElseThrow();
        assertThatThrownBy(() -> ContainerImageSource.open(ref, ContainerSelection.of(null, "3..", List.of())))
                .isInstanceOf(UsageException.class).hasMessageContaining("has 2 layers");
        assertThat(Fixtures.scan(ContainerImageSource.open(ref, ContainerSelection.of(null, "..1", List.of())))
                .contents()).containsEntry("usr/bin/tool", "tool v1\n").containsKey("usr/share/doc/app/README");
        assertThatThrownBy(() -> Fixtures.scan(ContainerImageSource.open(ref,
                ContainerSelection.of(null, "2", List.of("usr/nothing"))))).isInstanceOf(UsageException.class)
                .hasMessageContaining("--include usr/nothing");
        assertThatThrownBy(() -> ContainerSelection.of(null, "2..1", List.of())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> ContainerSelection.of(null, "x", List.of())).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> ContainerSelection.of(null, "2..", List.of("var/lib")))
                .isInstanceOf(UsageException.class).hasMessageContaining("outside usr/ and opt/");
        assertThatThrownBy(() -> ContainerSelection.of(null, null, List.of("usr/bin")))
                .isInstanceOf(UsageException.class).hasMessageContaining("without them");
    }

    @Test
    void referencesAreParsedWithTagsAndDigests() throws Exception {
        String d = "sha256:" + "ab".repeat(32);
        assertThat(ImageReference.parse("oci:/srv/img:v1@" + d)).contains(new ImageReference(
                ImageReference.Kind.OCI_DIR, Path.of("/srv/img"), "v1", d));
        assertThat(ImageReference.parse("oci:./a:b/img")).contains(new ImageReference(ImageReference.Kind.OCI_DIR,
                Path.of("./a:b/img"), null, null));
        assertThat(ImageReference.parse("docker-archive:x:y.tar")).contains(new ImageReference(
                ImageReference.Kind.DOCKER_ARCHIVE, Path.of("x:y.tar"), null, null));
        assertThat(ImageReference.parse("./tree")).isEmpty();
        assertThatThrownBy(() -> ImageReference.parse("oci-archive:a.tar@sha256:12")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> ImageReference.parse("oci-archive:a.tar@sha512:12"))
                .isInstanceOf(UsageException.class).hasMessageContaining("only sha256");
        assertThatThrownBy(() -> ImageReference.parse("oci:")).isInstanceOf(UsageException.class);
    }

    @Test
    void whatIsNotAnImageIsAUsageErrorInOneLine() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> open("oci:" + tmp.resolve("empty"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("is not an OCI image layout");
        assertThatThrownBy(() -> open("docker-archive:" + tmp.resolve("missing.tar")))
                .isInstanceOf(UsageException.class).hasMessageContaining("does not exist");
        Fixtures.write(tmp.resolve("x.tar.gz"), Fixtures.compress(Fixtures.tar(BASE.members()), ArchiveCompression.GZIP));
        assertThatThrownBy(() -> open("oci-archive:" + tmp.resolve("x.tar.gz"))).isInstanceOf(UsageException.class)
                .hasMessageContaining("compressed with gzip");
    }
}
