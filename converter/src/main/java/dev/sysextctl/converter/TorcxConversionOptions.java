package dev.sysextctl.converter;

import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import java.nio.file.Path;

/**
 * Choices for converting one torcx archive; every field may be null for its default.
 *
 * @param name extension name (default: the image name from {@code NAME:REFERENCE})
 * @param imageName the name torcx unpacked the image under, which {@code /run/torcx/unpack/NAME} references in
 *     the image use (default: the name from the file name; a profile conversion passes the profile's name)
 * @param reference the torcx reference (default: from the file name)
 * @param architecture {@code ARCHITECTURE=} (systemd name or alias; default: what the ELF binaries are for,
 *     else this machine)
 * @param workDir where the archive is staged (default: the temporary directory)
 * @param format the archive format (default: from the file name; a store entry may be a link to a file named
 *     otherwise, whose format the link's name gave)
 * @param keepSbin keep {@code usr/sbin/} where it is (default false: its content moves to {@code usr/bin/}, as
 *     {@code sbin/} always does, so that the image does not hide the node's {@code usr/sbin -> bin} link)
 */
public record TorcxConversionOptions(String name, String imageName, String reference, String architecture,
        Path workDir, TorcxArchiveFormat format, boolean keepSbin) {
    public static TorcxConversionOptions defaults() {
        return new TorcxConversionOptions(null, null, null, null, null, null, false);
    }

    public TorcxConversionOptions withKeepSbin(boolean keep) {
        return new TorcxConversionOptions(name, imageName, reference, architecture, workDir, format, keep);
    }

    public TorcxConversionOptions withName(String n) {
        return new TorcxConversionOptions(n, imageName, reference, architecture, workDir, format, keepSbin);
    }

    public TorcxConversionOptions withArchitecture(String a) {
        return new TorcxConversionOptions(name, imageName, reference, a, workDir, format, keepSbin);
    }

    public TorcxConversionOptions withWorkDir(Path w) {
        return new TorcxConversionOptions(name, imageName, reference, architecture, w, format, keepSbin);
    }

    /** The image as a torcx store named it: name, reference and archive format. */
    public TorcxConversionOptions withImage(String torcxName, String torcxReference, TorcxArchiveFormat f) {
        return new TorcxConversionOptions(name, torcxName, torcxReference, architecture, workDir, f, keepSbin);
    }
}
