package dev.sysextctl.converter.archive;

/** The two archive formats a torcx store holds (docs/torcx.md §2.2). */
public enum TorcxArchiveFormat {
    /** A gzip'd tar ({@code NAME:REF.torcx.tgz}), what Flatcar shipped. */
    TGZ(".torcx.tgz", "tgz"),
    /** A squashfs image ({@code NAME:REF.torcx.squashfs}), read with unsquashfs. */
    SQUASHFS(".torcx.squashfs", "squashfs");

    private final String suffix;
    private final String jsonName;

    TorcxArchiveFormat(String suffix, String jsonName) {
        this.suffix = suffix;
        this.jsonName = jsonName;
    }

    public String suffix() {
        return suffix;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** The format a file name's suffix announces, or null when it is not a torcx archive name. */
    public static TorcxArchiveFormat ofFileName(String fileName) {
        for (TorcxArchiveFormat f : values()) {
            if (fileName.endsWith(f.suffix) && fileName.length() > f.suffix.length()) {
                return f;
            }
        }
        return null;
    }
}
