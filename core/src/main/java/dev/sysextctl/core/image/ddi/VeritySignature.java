package dev.sysextctl.core.image.ddi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The content of a verity signature partition: a JSON object with the root hash (hex), the SHA-256 fingerprint of
 * the signing certificate (hex, of its DER form) and a base64 PKCS#7 detached signature of the root hash's hex
 * string, NUL-padded to the partition's size (docs/ddi.md §4).
 */
public record VeritySignature(String rootHash, String certificateFingerprint, String signature) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=]+");

    /** The JSON as sysextctl writes it: one line, the three fields in this order, no newline. */
    public byte[] json() {
        return ("{\"rootHash\":\"" + rootHash + "\",\"certificateFingerprint\":\"" + certificateFingerprint
                + "\",\"signature\":\"" + signature + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    /** The DER of the PKCS#7 signature. */
    public byte[] signatureDer() {
        return Base64.getDecoder().decode(signature);
    }

    /** Parses a signature partition's content (trailing NULs ignored). */
    public static VeritySignature parse(byte[] content) throws DdiFormatException {
        int end = content.length;
        while (end > 0 && content[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            throw new DdiFormatException("its verity signature partition is empty");
        }
        JsonNode n;
        try {
            n = Json.mapper().readTree(new String(content, 0, end, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new DdiFormatException("its verity signature partition does not hold JSON");
        }
        String root = text(n, "rootHash");
        String sig = text(n, "signature");
        String fp = n.hasNonNull("certificateFingerprint") ? n.get("certificateFingerprint").asText() : "";
        if (!HEX.matcher(root).matches() || root.length() < 64 || !BASE64.matcher(sig).matches()
                || !(fp.isEmpty() || HEX.matcher(fp).matches())) {
            throw new DdiFormatException("its verity signature partition has a malformed rootHash, signature or "
                    + "certificateFingerprint");
        }
        try {
            Base64.getDecoder().decode(sig);
        } catch (IllegalArgumentException e) {
            throw new DdiFormatException("its verity signature is not valid base64");
        }
        return new VeritySignature(root, fp, sig);
    }

    private static String text(JsonNode n, String field) throws DdiFormatException {
        if (n == null || !n.isObject() || !n.hasNonNull(field) || !n.get(field).isTextual()) {
            throw new DdiFormatException("its verity signature partition has no '" + field + "' string");
        }
        return n.get(field).asText();
    }
}
