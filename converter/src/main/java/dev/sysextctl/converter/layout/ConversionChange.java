package dev.sysextctl.converter.layout;

/**
 * One thing the conversion did, for the report: {@code kind} is a stable id (see {@link Kind}), {@code path}
 * the path in the sysext (or the archive for things that were dropped), {@code detail} one human line.
 */
public record ConversionChange(String kind, String path, String detail) {
    /** The kinds of change, as they appear in reports. */
    public static final class Kind {
        public static final String RELOCATED = "relocated";
        public static final String MERGED = "merged-directory";
        public static final String ALIAS_DROPPED = "alias-link-dropped";
        public static final String MANIFEST_BIN = "manifest-bin";
        public static final String MANIFEST_PLACED = "manifest-placed";
        public static final String UNIT_REWRITTEN = "unit-rewritten";
        public static final String TEXT_REWRITTEN = "text-rewritten";
        public static final String UPHOLDS = "upholds-drop-in";
        public static final String RUNPATH = "runpath-rewritten";
        public static final String SYMLINK = "symlink-retargeted";
        public static final String SBIN_MOVED = "sbin-moved";
        public static final String HARDLINK = "hardlink-copied";
        public static final String DROPPED = "dropped";
        public static final String MANIFEST_READ = "manifest-read";
        public static final String ARCHITECTURE = "architecture";

        private Kind() {
        }
    }
}
