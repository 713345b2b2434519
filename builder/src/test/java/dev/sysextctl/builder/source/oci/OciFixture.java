package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.builder.Fixtures.Member;
import dev.sysextctl.builder.source.ArchiveCompression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Container images made by hand in test code: the same layers as an OCI image layout (a directory or its tar) and
 * as a {@code docker save} archive of Docker 20.10's shape ({@code manifest.json}, {@code HEX.json},
 * {@code ID/layer.tar}).
 */
final class OciFixture {
    /** One layer: its members and how its blob is compressed in an OCI layout. */
    record LayerSpec(List<Member> members, ArchiveCompression compression) {
        static LayerSpec of(ArchiveCompression c, Member... members) {
            return new LayerSpec(List.of(members), c);
        }

        static LayerSpec plain(Member... members) {
            return of(ArchiveCompression.NONE, members);
        }
    }

    /** What was written: where, and the digests a test may check or corrupt. */
    record Written(Path path, String manifestDigest, String configDigest, List<String> layerDigests,
            List<String> manifestDigests) {
        Written(Path path, String manifestDigest, String configDigest, List<String> layerDigests) {
            this(path, manifestDigest, configDigest, layerDigests, List.of(manifestDigest == null ? "" : manifestDigest));
        }
    }

    private OciFixture() {
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static String mediaType(ArchiveCompression c) {
        return switch (c) {
            case GZIP -> "application/vnd.oci.image.layer.v1.tar+gzip";
            case ZSTD -> "application/vnd.oci.image.layer.v1.tar+zstd";
            default -> "application/vnd.oci.image.layer.v1.tar";
        };
    }

    private static String config(List<String> diffIds) {
        return "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + String.join(",", diffIds.stream().map(d -> "\"" + d + "\"").toList()) + "]},\"config\":{}}";
    }

    /** An OCI image layout directory with one image per tag (the same layers). */
    static Written ociDir(Path dir, List<LayerSpec> layers, String... tags) throws Exception {
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<String> diffIds = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        StringBuilder layerJson = new StringBuilder();
        for (LayerSpec l : layers) {
            byte[] tar = Fixtures.tar(l.members());
            byte[] blob = Fixtures.compress(tar, l.compression());
            diffIds.add(sha256(tar));
            String d = blob(dir, blob);
            digests.add(d);
            layerJson.append(layerJson.length() == 0 ? "" : ",").append("{\"mediaType\":\"")
                    .append(mediaType(l.compression())).append("\",\"digest\":\"").append(d)
                    .append("\",\"size\":").append(blob.length).append('}');
        }
        byte[] config = config(diffIds).getBytes(StandardCharsets.UTF_8);
        String configDigest = blob(dir, config);
        List<String> descriptors = new ArrayList<>();
        List<String> manifestDigests = new ArrayList<>();
        int n = 0;
        for (String t : tags.length == 0 ? new String[] {null} : tags) {
            // one image per tag: the second and later differ by an annotation of their manifest
            byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + configDigest + "\",\"size\":" + config.length + "},\"layers\":[" + layerJson + "]"
                    + (n++ == 0 ? "" : ",\"annotations\":{\"n\":\"" + n + "\"}") + "}")
                    .getBytes(StandardCharsets.UTF_8);
            String manifestDigest = blob(dir, manifest);
            manifestDigests.add(manifestDigest);
            descriptors.add("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                    + manifestDigest + "\",\"size\":" + manifest.length
                    + (t == null ? "" : ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + t + "\"}") + "}");
        }
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + String.join(",", descriptors) + "]}");
        return new Written(dir, manifestDigests.get(0), configDigest, digests, manifestDigests);
    }

    private static String blob(Path dir, byte[] b) throws Exception {
        String d = sha256(b);
        Files.write(dir.resolve("blobs/sha256/" + d.substring(7)), b);
        return d;
    }

    /** The OCI layout made by {@link #ociDir}, packed as an {@code oci-archive}. */
    static Written ociArchive(Path file, Path scratch, List<LayerSpec> layers, String... tags) throws Exception {
        Written w = ociDir(scratch, layers, tags);
        packDirectory(scratch, file);
        return new Written(file, w.manifestDigest(), w.configDigest(), w.layerDigests());
    }

    /** What Docker 20.10's {@code docker save} writes (plain layers whatever the spec says). */
    static Written dockerArchive(Path file, List<LayerSpec> layers, String repoTag) throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        Written w = dockerMembers(members, layers, repoTag);
        Files.write(file, tar(members));
        return new Written(file, null, w.configDigest(), w.layerDigests());
    }

    /** The members of {@link #dockerArchive}'s archive, in order, put into {@code members} (the path is null). */
    static Written dockerMembers(Map<String, byte[]> members, List<LayerSpec> layers, String repoTag)
            throws Exception {
        List<String> diffIds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            byte[] tar = Fixtures.tar(layers.get(i).members());
            diffIds.add(sha256(tar));
            String id = sha256(("layer-" + i + diffIds.get(i)).getBytes(StandardCharsets.UTF_8)).substring(7);
            members.put(id + "/VERSION", "1.0".getBytes(StandardCharsets.UTF_8));
            members.put(id + "/layer.tar", tar);
            names.add("\"" + id + "/layer.tar\"");
        }
        byte[] config = config(diffIds).getBytes(StandardCharsets.UTF_8);
        String configDigest = sha256(config);
        members.put(configDigest.substring(7) + ".json", config);
        members.put("manifest.json", ("[{\"Config\":\"" + configDigest.substring(7) + ".json\",\"RepoTags\":[\""
                + repoTag + "\"],\"Layers\":[" + String.join(",", names) + "]}]").getBytes(StandardCharsets.UTF_8));
        return new Written(null, null, configDigest, diffIds);
    }

    /** What Docker 25 and later's {@code docker save} writes: an OCI layout and, beside it, manifest.json. */
    static Written dockerArchiveWithLayout(Path file, Path scratch, List<LayerSpec> layers, String repoTag)
            throws Exception {
        Written w = ociDir(scratch, layers, repoTag);
        StringBuilder names = new StringBuilder();
        for (String d : w.layerDigests()) {
            names.append(names.length() == 0 ? "" : ",").append("\"blobs/sha256/").append(d.substring(7)).append('"');
        }
        Files.writeString(scratch.resolve("manifest.json"), "[{\"Config\":\"blobs/sha256/" + w.configDigest().substring(7)
                + "\",\"RepoTags\":[\"" + repoTag + "\"],\"Layers\":[" + names + "]}]");
        packDirectory(scratch, file);
        return new Written(file, w.manifestDigest(), w.configDigest(), w.layerDigests());
    }

    /** The regular files below {@code dir}, in name order, as a tar archive at {@code file}. */
    private static void packDirectory(Path dir, Path file) throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                members.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        Files.write(file, tar(members));
    }

    static byte[] tar(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(m.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
