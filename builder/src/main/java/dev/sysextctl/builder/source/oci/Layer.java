package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.ArchiveCompression;

/**
 * One layer of a container image.
 *
 * @param number 1 for the lowest layer
 * @param count how many layers the image has
 * @param file where its blob is ({@code blobs/sha256/HEX}, {@code HEX/layer.tar})
 * @param digest the blob's digest ({@code sha256:HEX}), null when the image does not name it (a docker save archive
 *     names only the uncompressed digest)
 * @param diffId the digest of the uncompressed tar ({@code rootfs.diff_ids} of the config)
 * @param compression how the blob is compressed
 */
public record Layer(int number, int count, String file, String digest, String diffId,
        ArchiveCompression compression) {
    /** {@code layer 2 of 3 (sha256:abcdef012345)}. */
    public String describe() {
        String d = digest != null ? digest : diffId;
        return "layer " + number + " of " + count + " (" + d.substring(0, Math.min(d.length(), 19)) + ")";
    }
}
