package dev.sysextctl.converter.archive;

import java.util.Optional;

/**
 * The image name and reference a torcx store derives from an archive's file name ({@code store.go}): the
 * suffix is dropped; with a {@code :} the reference is the text after the last one and the name the parts
 * before it joined without separator ({@code a:b:c} → {@code ab}/{@code c}); without one the whole base is the
 * name and the reference is {@link #DEFAULT_REFERENCE}.
 */
public record TorcxArchiveName(String name, String reference, TorcxArchiveFormat format) {
    /** torcx's {@code DefaultTagRef}: the reference of an archive whose name has no {@code :}. */
    public static final String DEFAULT_REFERENCE = "com.coreos.cl";

    public static Optional<TorcxArchiveName> parse(String fileName) {
        TorcxArchiveFormat format = TorcxArchiveFormat.ofFileName(fileName);
        if (format == null) {
            return Optional.empty();
        }
        String base = fileName.substring(0, fileName.length() - format.suffix().length());
        int last = base.lastIndexOf(':');
        if (last < 0) {
            return Optional.of(new TorcxArchiveName(base, DEFAULT_REFERENCE, format));
        }
        return Optional.of(new TorcxArchiveName(base.substring(0, last).replace(":", ""),
                base.substring(last + 1), format));
    }

    /** {@code name:reference}, as torcx profiles and logs spell an image. */
    public String display() {
        return name + ":" + reference;
    }
}
