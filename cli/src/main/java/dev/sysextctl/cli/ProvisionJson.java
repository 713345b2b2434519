package dev.sysextctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.provision.ignition.IgnitionGenerator;
import dev.sysextctl.provision.ignition.IgnitionSpec;
import dev.sysextctl.provision.image.ExtensionImage;
import dev.sysextctl.provision.release.ReleaseResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --json} documents of {@code ignition} and {@code release} (docs/cli.md): what was generated or
 * written, with paths, sizes and sha256. Only loaded when {@code --json} is given (it brings Jackson).
 */
final class ProvisionJson {
    private ProvisionJson() {
    }

    /**
     * {@code {output, format, specVersion, butaneVersion, sizeBytes, sha256, images, downloads, notes, config}}:
     * {@code output} is the written file (null: the config is only in this document), {@code sizeBytes} and
     * {@code sha256} are those of the config's bytes, {@code config} the Ignition config as a JSON object (the
     * Butane YAML as a string with {@code --butane}).
     */
    static String ignition(IgnitionGenerator.Output result, IgnitionSpec spec, boolean butane, Path output)
            throws OperationFailedException {
        byte[] bytes = result.text().getBytes(StandardCharsets.UTF_8);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("output", output == null ? null : output.toAbsolutePath().toString());
        doc.put("format", butane ? "butane" : "ignition");
        doc.put("specVersion", spec.version());
        doc.put("butaneVersion", butane ? spec.butaneVersion() : null);
        doc.put("sizeBytes", (long) bytes.length);
        doc.put("sha256", sha256(bytes));
        List<Map<String, Object>> images = new ArrayList<>();
        for (ExtensionImage i : result.images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", i.path().toAbsolutePath().toString());
            m.put("name", i.name());
            m.put("version", i.version());
            m.put("architecture", i.architecture());
            m.put("sizeBytes", i.sizeBytes());
            m.put("sha256", i.sha256());
            m.put("sha512", i.sha512());
            images.add(m);
        }
        doc.put("images", images);
        doc.put("downloads", result.downloads());
        doc.put("notes", result.notes());
        try {
            doc.put("config", butane ? result.text() : Json.mapper().readTree(result.text()));
        } catch (JsonProcessingException e) {
            throw new OperationFailedException("the generated Ignition config is not JSON (" + e.getOriginalMessage()
                    + "); please report it with the command line");
        }
        return Json.write(doc);
    }

    /**
     * {@code {directory, images, transferFiles, noopFile, index, notes}}: each image as {@code release} placed it
     * ({@code alreadyPresent}: the directory held the same bytes), each other file with its path, size and sha256
     * as it is in the directory now.
     */
    static String release(ReleaseResult result) throws OperationFailedException {
        Path dir = result.directory().toAbsolutePath();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("directory", dir.toString());
        List<Map<String, Object>> images = new ArrayList<>();
        for (ReleaseResult.Released r : result.images()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", dir.resolve(r.fileName()).toString());
            m.put("name", r.name());
            m.put("version", r.version());
            m.put("architecture", r.architecture());
            m.put("sizeBytes", r.sizeBytes());
            m.put("sha256", r.sha256());
            m.put("alreadyPresent", r.alreadyPresent());
            images.add(m);
        }
        doc.put("images", images);
        List<Map<String, Object>> transfers = new ArrayList<>();
        for (String t : result.transferFiles()) {
            transfers.add(file(dir, t));
        }
        doc.put("transferFiles", transfers);
        doc.put("noopFile", file(dir, result.noopFile()));
        doc.put("index", file(dir, result.index()));
        doc.put("notes", result.notes());
        return Json.write(doc);
    }

    /** {@code {path, sizeBytes, sha256}} of a small file {@code release} wrote in {@code dir}. */
    private static Map<String, Object> file(Path dir, String name) throws OperationFailedException {
        Path p = dir.resolve(name);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + p + " back after writing it (" + e.getMessage()
                    + "); check the release directory");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", p.toString());
        m.put("sizeBytes", (long) bytes.length);
        m.put("sha256", sha256(bytes));
        return m;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
