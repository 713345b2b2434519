package dev.sysextctl.builder.source.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.builder.ImageContents;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Container images made by the real Docker engine: a tree imported ({@code docker import}), a container that
 * replaces, adds and deletes files and replaces a directory, committed ({@code docker commit}) and saved
 * ({@code docker save}); the same image as an OCI layout and an oci-archive made by skopeo (gzip layers). The sysext's
 * usr/ and opt/ must be the image's as {@code docker export} shows them, entry by entry (type, mode, owner, content,
 * link target), read back with the real unsquashfs; with {@code --base}, only what differs from the base's export.
 */
@Requires(root = true, docker = true, tools = {"mksquashfs", "unsquashfs", "skopeo", "busybox", "tar"})
class ContainerImageIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));
    static final String TAG = "it" + ProcessHandle.current().pid();
    static final String BASE = "sysextctl-oci-it/base:" + TAG;
    static final String APP = "sysextctl-oci-it/app:" + TAG;

    @TempDir
    static Path work;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    /** What the container does on top of the imported tree. */
    static final String RUN = String.join(" && ",
            "echo tool v2 > /usr/bin/tool",                      // rewritten in place (the old hard link keeps v1)
            "echo added > /usr/bin/added", "chmod 4750 /usr/bin/added", "chown 1000:100 /usr/bin/added",
            "ln /usr/bin/added /usr/bin/added-hard",
            "rm /usr/share/doc/pkg/README",                       // a file deleted: a whiteout
            "rm -r /usr/lib/plugins", "mkdir -m 0750 /usr/lib/plugins",  // a directory replaced: opaque
            "echo c > /usr/lib/plugins/c.so", "ln -s ../lib/plugins/c.so /usr/bin/c-link",
            "rm -r /opt/old", "mkdir -p /opt/new", "echo n > /opt/new/data",
            "rm /usr/bin/swap", "mkdir /usr/bin/swap", "echo in > /usr/bin/swap/file",  // a file becomes a dir
            "mkdir -p /var/cache/app", "echo s > /var/cache/app/state", "echo conf2 > /etc/app.conf");

    @BeforeAll
    static void makeImages() throws Exception {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree);
        Shell.shOk("cd '" + tree + "' && mkdir -p bin usr/bin usr/share/doc/pkg usr/lib/plugins opt/old etc && "
                + "cp \"$(command -v busybox)\" bin/busybox && ln -s busybox bin/sh && "
                + "for t in echo chmod chown ln rm mkdir; do ln -s busybox bin/$t; done && "
                + "echo tool v1 > usr/bin/tool && chmod 0755 usr/bin/tool && ln usr/bin/tool usr/bin/tool-hard && "
                + "ln -s tool usr/bin/t && echo swap > usr/bin/swap && "
                + "echo readme > usr/share/doc/pkg/README && echo news > usr/share/doc/pkg/NEWS && "
                + "echo a > usr/lib/plugins/a.so && echo b > usr/lib/plugins/b.so && chmod 0700 usr/lib/plugins && "
                + "echo o > opt/old/x && echo conf > etc/app.conf && chown -R 1000:1000 usr/share/doc/pkg && "
                + "tar -C . --numeric-owner -c . | docker import - " + BASE + " >/dev/null");
        Shell.shOk("docker rm -f sysextctl-oci-it-" + TAG + " >/dev/null 2>&1; docker run --name sysextctl-oci-it-"
                + TAG + " --network none " + BASE + " /bin/sh -c '" + RUN + "' && docker commit sysextctl-oci-it-" + TAG
                + " " + APP + " >/dev/null && docker rm sysextctl-oci-it-" + TAG + " >/dev/null");
        Shell.shOk("cd '" + work + "' && docker save " + APP + " -o app.tar && docker save " + BASE + " -o base.tar && "
                + "skopeo copy -q docker-archive:app.tar oci:app-oci:v1 && "
                + "skopeo copy -q docker-archive:app.tar oci-archive:app-oci.tar && "
                + "for i in app base; do docker create --name sysextctl-oci-it-x-$i-" + TAG
                + " sysextctl-oci-it/$i:" + TAG + " /bin/sh >/dev/null && "
                + "docker export sysextctl-oci-it-x-$i-" + TAG + " -o $i-export.tar && docker rm sysextctl-oci-it-x-$i-"
                + TAG + " >/dev/null && mkdir $i-export && tar -C $i-export --numeric-owner -xpf $i-export.tar; done");
    }

    @AfterAll
    static void removeImages() {
        Shell.sh("docker rmi " + APP + " " + BASE + " >/dev/null 2>&1");
    }

    private BuildReport build(String out, String ref, ContainerSelection selection) throws Exception {
        ContainerImageSource source = ContainerImageSource.open(ImageReference.parse(ref).orElseThrow(), selection);
        return new ImageBuilder(tools).build(BuildRequest.builder("app").source(source).extensionRelease(RELEASE)
                .output(work.resolve(out)).keepOwnership(true).force(true).build());
    }

    private Map<String, ImageContents.Item> readBack(Path image) throws Exception {
        Path x = work.resolve("x-" + image.getFileName());
        Shell.shOk("rm -rf '" + x + "' && unsquashfs -no-progress -d '" + x + "' '" + image + "' >/dev/null");
        try (SquashfsImageFs fs = new SquashfsImageFs(image, tools.unsquashfs())) {
            return ImageContents.actual(fs, x);
        }
    }

    /** usr/ and opt/ of an exported container, as an image would hold them. */
    private static Map<String, ImageContents.Item> exported(String which) throws Exception {
        Map<String, ImageContents.Item> all = ImageContents.expected(work.resolve(which + "-export"), true);
        all.keySet().removeIf(k -> !k.equals("usr") && !k.startsWith("usr/") && !k.equals("opt")
                && !k.startsWith("opt/"));
        return all;
    }

    @Test
    void theSysextHoldsTheImagesUsrAndOptAsDockerExportShowsThemFromEveryForm() throws Exception {
        Map<String, ImageContents.Item> expected = exported("app");
        assertThat(expected).containsKeys("usr/bin/added", "usr/lib/plugins/c.so", "usr/bin/swap/file",
                "opt/new/data").doesNotContainKeys("usr/share/doc/pkg/README", "usr/lib/plugins/a.so", "opt/old");
        String sha = null;
        for (String ref : List.of("docker-archive:" + work.resolve("app.tar"), "oci:" + work.resolve("app-oci") + ":v1",
                "oci-archive:" + work.resolve("app-oci.tar"))) {
            BuildReport r = build("app.raw", ref, ContainerSelection.ALL);
            ImageContents.assertSameTree(readBack(work.resolve("app.raw")), expected);
            assertThat(r.lint()).extracting(Finding::id).contains("outside-hierarchy", "etc-content")
                    .doesNotContain("unsafe-path", "broken-hardlink");
            assertThat(sha).as(ref).isIn(null, r.sha256());
            sha = r.sha256();
        }
        // the layers of the two forms differ (docker save: plain; skopeo: gzip), the image does not
        String blobs = Shell.shOk("cat '" + work.resolve("app-oci") + "'/blobs/sha256/*").stdout();
        assertThat(blobs).contains("application/vnd.oci.image.layer.v1.tar+gzip");
    }

    @Test
    void withTheBaseOnlyWhatTheImageAddsOrChangesIsKeptAndDeletionsAreReported() throws Exception {
        Map<String, ImageContents.Item> image = exported("app");
        Map<String, ImageContents.Item> base = exported("base");
        Map<String, ImageContents.Item> expected = new TreeMap<>();
        image.forEach((k, v) -> {
            if (!v.equals(base.get(k))) {
                expected.put(k, v);
            }
        });
        for (String k : List.copyOf(expected.keySet())) {
            for (String p = parentOf(k); p != null; p = parentOf(p)) {
                expected.put(p, image.get(p));
            }
        }
        assertThat(expected).containsKeys("usr/bin/tool", "usr/bin/added", "usr/lib/plugins/c.so")
                .doesNotContainKeys("usr/bin/tool-hard", "usr/bin/t", "usr/share/doc/pkg/NEWS");

        for (String ref : List.of("docker-archive:" + work.resolve("app.tar"), "oci:" + work.resolve("app-oci") + ":v1")) {
            BuildReport r = build("diff.raw", ref, ContainerSelection.of("docker-archive:" + work.resolve("base.tar"),
                    null, List.of()));
            ImageContents.assertSameTree(readBack(work.resolve("diff.raw")), expected);
            assertThat(r.lint()).filteredOn(f -> f.id().equals(ContainerImageSource.IMAGE_DELETION))
                    .extracting(Finding::path).as(ref).containsExactlyInAnyOrder("usr/share/doc/pkg/README",
                            "usr/lib/plugins/a.so", "usr/lib/plugins/b.so", "opt/old");
        }
        // --layers 2.. is the same difference: the app image is the base's layer and the commit's
        build("layers.raw", "docker-archive:" + work.resolve("app.tar"), ContainerSelection.of(null, "2..", List.of()));
        ImageContents.assertSameTree(readBack(work.resolve("layers.raw")), expected);
    }

    @Test
    void aCorruptedLayerIsRefusedNamingItsBlobAndNothingIsWritten() throws Exception {
        Path corrupt = work.resolve("corrupt.tar");
        Files.copy(work.resolve("app.tar"), corrupt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        long at = -1;
        String layer = null;
        try (TarFile tar = new TarFile(corrupt)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                if (e.getName().endsWith("layer.tar")) {
                    byte[] b = tar.getInputStream(e).readAllBytes();
                    int i = new String(b, StandardCharsets.ISO_8859_1).indexOf("tool v2");
                    if (i >= 0) {
                        at = e.getDataOffset() + i;
                        layer = e.getName();
                    }
                }
            }
        }
        assertThat(layer).as("the commit's layer").isNotNull();
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(corrupt.toFile(), "rw")) {
            f.seek(at);
            f.write('T');
        }
        Path out = work.resolve("refused");
        Files.createDirectories(out);
        assertThatThrownBy(() -> new ImageBuilder(tools).build(BuildRequest.builder("app").source(
                ContainerImageSource.open(ImageReference.parse("docker-archive:" + corrupt).orElseThrow(),
                        ContainerSelection.ALL)).extensionRelease(RELEASE).output(out.resolve("app.raw")).build()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("layer 2 of 2")
                .hasMessageContaining("does not match its digest").hasMessageNotContaining("\n");
        try (var left = Files.list(out)) {
            assertThat(left).isEmpty();
        }
    }

    private static String parentOf(String p) {
        int i = p.lastIndexOf('/');
        return i < 0 ? null : p.substring(0, i);
    }
}
