package dev.sysextctl.builder.source.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.builder.source.ArchiveCompression;
import dev.sysextctl.builder.source.TarHeaderGuard;
import dev.sysextctl.builder.source.TarSource;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.tree.ImagePaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the metadata of a container image (index, manifest, config) and names its layers, checking the digest of
 * every JSON document it reads. Two shapes: an OCI image layout ({@code oci-layout}, {@code index.json} → manifest →
 * config) and Docker's {@code docker save} archive ({@code manifest.json} with {@code Config} and {@code Layers};
 * Docker 25 and later also put an OCI layout beside it, whose manifest digest is then accepted too).
 */
final class ImageLayoutReader {
    /** The most a JSON document of an image may hold: more is not an image sysextctl wants to parse. */
    static final int MAX_JSON = 4 << 20;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final String INDEX_TYPE = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST_TYPE = "application/vnd.docker.distribution.manifest.list.v2+json";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private ImageLayoutReader() {
    }

    static ContainerImage read(ImageReference ref) throws SysextctlException {
        ImageFiles files = open(ref);
        try {
            ContainerImage image = ref.kind() == ImageReference.Kind.DOCKER_ARCHIVE && files.exists("manifest.json")
                    ? docker(ref, files) : oci(ref, files);
            if (ref.digest() != null && !image.digests().contains(ref.digest())) {
                throw new RefusedException(ref + ": the image's digest is " + String.join(" or ", image.digests())
                        + ", not " + ref.digest() + "; check that this is the image you meant, or drop the @sha256 part");
            }
            return image;
        } catch (IOException e) {
            throw new OperationFailedException("cannot read the container image " + ref + ": " + describe(e)
                    + "; check that it is complete and not corrupt");
        }
    }

    private static ImageFiles open(ImageReference ref) throws SysextctlException {
        if (!Files.exists(ref.path())) {
            throw new UsageException(ref + ": " + ref.path() + " does not exist; give an existing "
                    + (ref.kind() == ImageReference.Kind.OCI_DIR ? "OCI image layout directory" : "archive"));
        }
        if (ref.kind() == ImageReference.Kind.OCI_DIR) {
            if (!Files.isDirectory(ref.path())) {
                throw new UsageException(ref + ": " + ref.path() + " is not a directory; oci: names an OCI image "
                        + "layout directory (use oci-archive: for a tar archive)");
            }
            return ImageFiles.directory(ref.path());
        }
        if (!Files.isRegularFile(ref.path())) {
            throw new UsageException(ref + ": " + ref.path() + " is not a regular file; give the archive docker save "
                    + "or skopeo wrote");
        }
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(ref.path()))) {
            ArchiveCompression c = ArchiveCompression.detect(in);
            if (c != ArchiveCompression.NONE) {
                throw new UsageException(ref + ": the archive is compressed with " + c.displayName() + "; decompress "
                        + "it first (docker save and skopeo write uncompressed archives)");
            }
            return ImageFiles.archive(ref.path());
        } catch (IOException e) {
            if (TarHeaderGuard.TarRefusal.in(e) != null) {
                throw TarSource.failure(Path.of(ref.toString()), e);
            }
            throw new OperationFailedException("cannot read the container image " + ref + ": " + describe(e)
                    + "; check that it is a complete tar archive");
        }
    }

    // ---- OCI image layout --------------------------------------------------------------------------------------

    private static ContainerImage oci(ImageReference ref, ImageFiles files) throws IOException, SysextctlException {
        if (!files.exists("oci-layout") || !files.exists("index.json")) {
            throw new UsageException(ref + " is not an OCI image layout (no oci-layout and index.json"
                    + (ref.kind() == ImageReference.Kind.DOCKER_ARCHIVE ? ", no manifest.json" : "")
                    + "); give what docker save or skopeo copy wrote, with the matching docker-archive:, "
                    + "oci-archive: or oci: prefix");
        }
        JsonNode layout = json(files, "oci-layout", null, "oci-layout");
        if (!layout.path("imageLayoutVersion").isTextual()) {
            throw invalid(ref, "oci-layout has no imageLayoutVersion");
        }
        JsonNode index = json(files, "index.json", null, "index.json");
        JsonNode descriptor = pick(ref, files, index, "index.json", 0);
        String manifestDigest = digestOf(ref, descriptor, "the manifest's descriptor");
        JsonNode manifest = json(files, blob(manifestDigest), manifestDigest, "the manifest " + manifestDigest);
        List<String> tags = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            if (m.path("digest").asText().equals(manifestDigest) && m.path("annotations").has(REF_NAME)) {
                tags.add(m.path("annotations").path(REF_NAME).asText());
            }
        }
        return fromManifest(ref, files, manifest, manifestDigest, tags);
    }

    /** The image manifest's descriptor in an index: by tag, by the digest asked for, or the only one. */
    private static JsonNode pick(ImageReference ref, ImageFiles files, JsonNode index, String where, int depth)
            throws IOException, SysextctlException {
        List<JsonNode> all = new ArrayList<>();
        index.path("manifests").forEach(all::add);
        List<JsonNode> candidates = all;
        if (ref.tag() != null && depth == 0) {
            candidates = all.stream().filter(m -> ref.tag().equals(m.path("annotations").path(REF_NAME).asText(null)))
                    .toList();
            if (candidates.isEmpty()) {
                throw new UsageException(ref + ": no image is tagged " + ref.tag() + " in " + where + " (" + tagsOf(all)
                        + "); give one of its tags");
            }
        } else if (ref.digest() != null && all.size() > 1) {
            List<JsonNode> byDigest = all.stream().filter(m -> ref.digest().equals(m.path("digest").asText()))
                    .toList();
            candidates = byDigest.isEmpty() ? all : byDigest;
        }
        candidates = distinctDigests(candidates); // one image under several tags is one image
        if (candidates.size() > 1 && depth > 0) {
            candidates = candidates.stream().filter(ImageLayoutReader::forThisMachine).toList();
        }
        if (candidates.isEmpty()) {
            throw invalid(ref, where + " lists no image" + (depth > 0 ? " for linux/" + hostArch() : ""));
        }
        if (candidates.size() > 1) {
            throw new UsageException(ref + " holds " + candidates.size() + " images (" + tagsOf(candidates)
                    + "); name one: oci:DIR:TAG, or @sha256:DIGEST");
        }
        JsonNode d = candidates.get(0);
        String type = d.path("mediaType").asText("");
        if (type.equals(INDEX_TYPE) || type.equals(DOCKER_LIST_TYPE)) {
            if (depth > 2) {
                throw invalid(ref, "image indexes nest too deep");
            }
            String digest = digestOf(ref, d, "an image index's descriptor");
            JsonNode nested = json(files, blob(digest), digest, "the image index " + digest);
            return pick(ref, files, nested, "the image index " + digest, depth + 1);
        }
        return d;
    }

    private static List<JsonNode> distinctDigests(List<JsonNode> descriptors) {
        List<JsonNode> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (JsonNode d : descriptors) {
            if (seen.add(d.path("digest").asText())) {
                out.add(d);
            }
        }
        return out;
    }

    private static boolean forThisMachine(JsonNode descriptor) {
        JsonNode p = descriptor.path("platform");
        return p.path("os").asText("linux").equals("linux") && p.path("architecture").asText(hostArch()).equals(hostArch());
    }

    private static String hostArch() {
        String a = System.getProperty("os.arch", "");
        return switch (a) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> a;
        };
    }

    private static String tagsOf(List<JsonNode> descriptors) {
        List<String> tags = new ArrayList<>();
        for (JsonNode m : descriptors) {
            tags.add(m.path("annotations").path(REF_NAME).asText(m.path("digest").asText("?")));
        }
        return tags.isEmpty() ? "none" : String.join(", ", tags);
    }

    private static ContainerImage fromManifest(ImageReference ref, ImageFiles files, JsonNode manifest,
            String manifestDigest, List<String> tags) throws IOException, SysextctlException {
        String configDigest = digestOf(ref, manifest.path("config"), "the manifest's config");
        JsonNode config = json(files, blob(configDigest), configDigest, "the config " + configDigest);
        List<String> diffIds = diffIds(ref, config);
        JsonNode layers = layers(ref, manifest.path("layers"), diffIds, "the manifest");
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String digest = digestOf(ref, l, "layer " + (i + 1));
            String type = l.path("mediaType").asText("");
            out.add(new Layer(i + 1, layers.size(), blob(digest), digest, diffIds.get(i), compression(ref, type, i + 1)));
            if (!files.exists(blob(digest))) {
                throw new OperationFailedException("cannot read the container image " + ref + ": layer " + (i + 1)
                        + " (" + digest + ") is missing from it; copy the image again");
            }
        }
        Set<String> digests = new LinkedHashSet<>();
        if (manifestDigest != null) {
            digests.add(manifestDigest);
        }
        digests.add(configDigest);
        return new ContainerImage(ref, out, configDigest, digests, tags, files);
    }

    /** The compression a layer media type names; other media types (encrypted layers, not a layer) are refused. */
    static ArchiveCompression compression(ImageReference ref, String mediaType, int number) throws UsageException {
        String t = mediaType.toLowerCase(Locale.ROOT);
        boolean layer = t.startsWith("application/vnd.oci.image.layer.")
                || t.startsWith("application/vnd.docker.image.rootfs.");
        if (layer && (t.endsWith(".tar") || t.endsWith("tar+gzip") || t.endsWith("tar.gzip") || t.endsWith("tar+zstd"))) {
            return t.endsWith("gzip") ? ArchiveCompression.GZIP
                    : t.endsWith("zstd") ? ArchiveCompression.ZSTD : ArchiveCompression.NONE;
        }
        throw new UsageException(ref + ": layer " + number + " has the media type " + (t.isEmpty() ? "(none)" : t)
                + ", which is not a tar layer sysextctl can read (plain, gzip or zstd); convert the image first "
                + "(e.g. skopeo copy)");
    }

    // ---- docker save --------------------------------------------------------------------------------------------

    private static ContainerImage docker(ImageReference ref, ImageFiles files) throws IOException, SysextctlException {
        JsonNode manifests = json(files, "manifest.json", null, "manifest.json");
        if (!manifests.isArray() || manifests.isEmpty()) {
            throw invalid(ref, "manifest.json lists no image");
        }
        if (manifests.size() > 1) {
            List<String> tags = new ArrayList<>();
            manifests.forEach(m -> m.path("RepoTags").forEach(t -> tags.add(t.asText())));
            throw new UsageException(ref + " holds " + manifests.size() + " images (" + String.join(", ", tags)
                    + "); save one image per archive (docker save IMAGE -o FILE)");
        }
        JsonNode m = manifests.get(0);
        String configName = member(ref, m.path("Config").asText(""), "the config");
        byte[] configBytes = bytes(files, configName, "the config " + configName);
        String configDigest = DigestingInputStream.of(configBytes);
        String named = hexIn(configName);
        if (named != null && !configDigest.equals("sha256:" + named)) {
            throw new OperationFailedException("cannot read the container image " + ref + ": the config " + configName
                    + " does not match its digest (its bytes hash to " + configDigest + "); save the image again");
        }
        JsonNode config = parse(configBytes, "the config " + configName);
        List<String> diffIds = diffIds(ref, config);
        JsonNode layers = layers(ref, m.path("Layers"), diffIds, "manifest.json");
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String file = member(ref, layers.get(i).asText(""), "layer " + (i + 1));
            OptionalLong size = files.size(file);
            if (size.isEmpty()) {
                throw new OperationFailedException("cannot read the container image " + ref + ": layer " + (i + 1)
                        + " (" + file + ") is missing from it; save the image again");
            }
            String hex = file.startsWith("blobs/sha256/") ? hexIn(file) : null;
            out.add(new Layer(i + 1, layers.size(), file, hex == null ? null : "sha256:" + hex, diffIds.get(i),
                    detect(files, file)));
        }
        Set<String> digests = new LinkedHashSet<>();
        List<String> tags = new ArrayList<>();
        m.path("RepoTags").forEach(t -> tags.add(t.asText()));
        if (files.exists("index.json") && files.exists("oci-layout")) {
            JsonNode index = json(files, "index.json", null, "index.json");
            for (JsonNode d : index.path("manifests")) {
                String md = d.path("digest").asText("");
                if (HEX64.matcher(md.replace("sha256:", "")).matches() && files.exists(blob(md))) {
                    JsonNode manifest = json(files, blob(md), md, "the manifest " + md);
                    if (configDigest.equals(manifest.path("config").path("digest").asText())) {
                        digests.add(md);
                    }
                }
            }
        }
        digests.add(configDigest);
        return new ContainerImage(ref, out, configDigest, digests, tags, files);
    }

    /** A docker save layer is usually a plain tar; whatever it is is told from its first bytes. */
    private static ArchiveCompression detect(ImageFiles files, String name) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(files.open(name))) {
            return ArchiveCompression.detect(in);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * A file name manifest.json gives: relative and without {@code ..} (it names a member of the archive, never a
     * file beside or above it), else refused as an {@code unsafe-path}.
     */
    private static String member(ImageReference ref, String name, String what) throws RefusedException {
        if (name.isEmpty() || ImagePaths.normalize(name).filter(n -> !n.isEmpty()).isEmpty()) {
            throw new RefusedException(ref + ": manifest.json names " + what + " " + ImageFiles.quoted(name)
                    + (name.isEmpty() ? ", an empty name" : name.startsWith("/") ? ", an absolute path"
                    : ", a path out of the archive") + " (" + RuleId.UNSAFE_PATH.id() + "); save the image again");
        }
        return name;
    }

    private static List<String> diffIds(ImageReference ref, JsonNode config) throws SysextctlException {
        JsonNode ids = config.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw invalid(ref, "the config has no rootfs.diff_ids");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            String s = id.asText("");
            if (!s.startsWith("sha256:") || !HEX64.matcher(s.substring(7)).matches()) {
                throw invalid(ref, "the config lists the diff_id " + s + ", not a sha256 digest");
            }
            out.add(s);
        }
        return out;
    }

    /** The manifest's list of layers, one for each diff_id of the config. */
    private static JsonNode layers(ImageReference ref, JsonNode layers, List<String> diffIds, String where)
            throws SysextctlException {
        if (!layers.isArray() || layers.size() != diffIds.size()) {
            throw invalid(ref, where + " lists " + layers.size() + " layers, the config " + diffIds.size()
                    + " diff_ids");
        }
        return layers;
    }

    private static String digestOf(ImageReference ref, JsonNode descriptor, String what) throws SysextctlException {
        String d = descriptor.path("digest").asText("");
        if (!d.startsWith("sha256:") || !HEX64.matcher(d.substring(7)).matches()) {
            throw invalid(ref, what + " has the digest '" + d + "'; only sha256 digests are read");
        }
        return d;
    }

    static String blob(String digest) {
        return "blobs/sha256/" + digest.substring("sha256:".length());
    }

    /** The 64-hex-digit component of a file name ({@code HEX.json}, {@code blobs/sha256/HEX}), or null. */
    private static String hexIn(String name) {
        for (String c : name.split("[/.]")) {
            if (HEX64.matcher(c).matches()) {
                return c;
            }
        }
        return null;
    }

    private static JsonNode json(ImageFiles files, String name, String digest, String what)
            throws IOException, SysextctlException {
        byte[] b = bytes(files, name, what);
        if (digest != null && !DigestingInputStream.of(b).equals(digest)) {
            throw new OperationFailedException(what + " does not match its digest (its bytes hash to "
                    + DigestingInputStream.of(b) + "); the image is corrupt: copy or save it again");
        }
        return parse(b, what);
    }

    private static byte[] bytes(ImageFiles files, String name, String what) throws IOException, SysextctlException {
        OptionalLong size = files.size(name);
        if (size.isEmpty()) {
            throw new OperationFailedException("the container image has no " + name + " (" + what + "); copy or save "
                    + "it again");
        }
        if (size.getAsLong() > MAX_JSON) {
            throw new OperationFailedException(what + " is " + size.getAsLong() + " bytes, more than the " + MAX_JSON
                    + " a JSON document of an image may have; check the image");
        }
        try (InputStream in = files.open(name)) {
            return in.readNBytes(MAX_JSON);
        }
    }

    private static JsonNode parse(byte[] b, String what) throws OperationFailedException {
        try {
            JsonNode n = Json.mapper().readTree(b);
            if (n == null || n.isMissingNode()) {
                throw new OperationFailedException(what + " is empty; copy or save the image again");
            }
            return n;
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new OperationFailedException(what + " is not valid JSON (" + msg + "); copy or save the image again");
        }
    }

    private static OperationFailedException invalid(ImageReference ref, String what) {
        return new OperationFailedException("cannot read the container image " + ref + ": " + what
                + "; check that it is a complete image");
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + " is missing";
        }
        return AtomicFiles.describe(e);
    }
}
