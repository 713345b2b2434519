package dev.sysextctl.builder;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the user asks of an image, the options {@code build}, {@code convert torcx-image} and
 * {@code convert torcx-profile} share (docs/cli.md §2.2): the extension-release fields ({@code --os},
 * {@code --os-version}, {@code --sysext-level}, {@code --target-os-release}, {@code --arch}, {@code --scope},
 * {@code --reload-manager}, {@code --version}, {@code --set}) and how the image is written ({@code --format},
 * {@code --compression}, {@code --source-date-epoch}, {@code --keep-ownership}, {@code --strict},
 * {@code --force}). Immutable; made with {@link #builder()}, changed with {@link #toBuilder()}. The converter
 * fills the same specification and only changes defaults (the torcx reference as the version, the binaries'
 * architecture, {@code EXTENSION_RELOAD_MANAGER=1}).
 *
 * <pre>{@code
 * ImageSpec spec = ImageSpec.builder().architecture("x86-64").version("1.0").build();
 * ReleaseFile release = spec.toReleaseFile();   // ID=_any, ARCHITECTURE=x86-64, SYSEXT_VERSION_ID=1.0
 * }</pre>
 *
 * <p>Extension-release rules ({@link #toReleaseFile()}): {@code ID} is {@code --os}, else the target
 * os-release's {@code ID}, else {@code _any}; {@code VERSION_ID} and {@code SYSEXT_LEVEL} come from their flags,
 * else from the target os-release; explicit flags always win. {@code --arch} takes systemd names and the usual
 * aliases ({@code x86_64}, {@code amd64}, {@code aarch64}, {@code host}). {@code --scope} words are
 * {@code system}, {@code initrd}, {@code portable}, separated by spaces or commas. {@code --set} entries are
 * applied last, in order, and may override anything. Null/empty fields are left out.
 *
 * <p>{@code --class} ({@link #extensionClass()}) says which class of extension the image is: a sysext (the default)
 * carries {@code SYSEXT_LEVEL}, {@code SYSEXT_SCOPE} and {@code SYSEXT_VERSION_ID}; a confext takes the same options
 * into {@code CONFEXT_LEVEL} (and the target os-release's {@code CONFEXT_LEVEL}), {@code CONFEXT_SCOPE} and
 * {@code CONFEXT_VERSION_ID} ({@link ExtensionClass}); the image then holds {@code etc/}.
 *
 * <p>Every value may be left unset: null strings, no {@code --set}, a sysext, squashfs, the format's default
 * compression (null), epoch 0, and false for the switches.
 */
public final class ImageSpec {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> SCOPES = Set.of("system", "initrd", "portable");
    private static final ImageSpec DEFAULTS = builder().build();

    private final String os;
    private final String osVersion;
    private final String sysextLevel;
    private final Path targetOsRelease;
    private final String architecture;
    private final String scope;
    private final boolean reloadManager;
    private final String version;
    private final List<String> set;
    private final BuildFormat format;
    private final Compression compression;
    private final long sourceDateEpoch;
    private final boolean keepOwnership;
    private final boolean strict;
    private final boolean force;
    private final DdiSettings ddi;
    private final ExtensionClass extensionClass;

    private ImageSpec(Builder b) {
        this.os = b.os;
        this.osVersion = b.osVersion;
        this.sysextLevel = b.sysextLevel;
        this.targetOsRelease = b.targetOsRelease;
        this.architecture = b.architecture;
        this.scope = b.scope;
        this.reloadManager = b.reloadManager;
        this.version = b.version;
        this.set = List.copyOf(b.set);
        this.format = b.format == null ? BuildFormat.SQUASHFS : b.format;
        this.compression = b.compression;
        this.sourceDateEpoch = b.sourceDateEpoch;
        this.keepOwnership = b.keepOwnership;
        this.strict = b.strict;
        this.force = b.force;
        this.ddi = b.ddi == null ? DdiSettings.DEFAULTS : b.ddi;
        this.extensionClass = b.extensionClass == null ? ExtensionClass.SYSEXT : b.extensionClass;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No flags at all: {@code ID=_any} only, a squashfs image with its default compression. */
    public static ImageSpec defaults() {
        return DEFAULTS;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.os = os;
        b.osVersion = osVersion;
        b.sysextLevel = sysextLevel;
        b.targetOsRelease = targetOsRelease;
        b.architecture = architecture;
        b.scope = scope;
        b.reloadManager = reloadManager;
        b.version = version;
        b.set = new ArrayList<>(set);
        b.format = format;
        b.compression = compression;
        b.sourceDateEpoch = sourceDateEpoch;
        b.keepOwnership = keepOwnership;
        b.strict = strict;
        b.force = force;
        b.ddi = ddi;
        b.extensionClass = extensionClass;
        return b;
    }

    /** {@code --class}: a sysext (the default) or a confext. */
    public ExtensionClass extensionClass() {
        return extensionClass;
    }

    /** {@code --os}: {@code ID=}, or null. */
    public String os() {
        return os;
    }

    /** {@code --os-version}: {@code VERSION_ID=}, or null. */
    public String osVersion() {
        return osVersion;
    }

    /** {@code --level} ({@code --sysext-level}): {@code SYSEXT_LEVEL=} (a confext's {@code CONFEXT_LEVEL=}), or null. */
    public String sysextLevel() {
        return sysextLevel;
    }

    /** {@code --target-os-release}: the os-release giving ID, VERSION_ID and SYSEXT_LEVEL, or null. */
    public Path targetOsRelease() {
        return targetOsRelease;
    }

    /** {@code --arch}: {@code ARCHITECTURE=} as given (normalised by {@link #toReleaseFile()}), or null. */
    public String architecture() {
        return architecture;
    }

    /** {@code --scope}: {@code SYSEXT_SCOPE=} (a confext's {@code CONFEXT_SCOPE=}) as given, or null. */
    public String scope() {
        return scope;
    }

    /** {@code --reload-manager}: {@code EXTENSION_RELOAD_MANAGER=1}. */
    public boolean reloadManager() {
        return reloadManager;
    }

    /** {@code --version}: {@code SYSEXT_VERSION_ID=} (a confext's {@code CONFEXT_VERSION_ID=}), or null. */
    public String version() {
        return version;
    }

    /** {@code --set KEY=VALUE} entries, in order. */
    public List<String> set() {
        return set;
    }

    /** {@code --format} (squashfs unless set). */
    public BuildFormat format() {
        return format;
    }

    /** {@code --compression}, or null for the format's default (zstd for squashfs, lz4hc for erofs, none for erofs in a DDI). */
    public Compression compression() {
        return compression;
    }

    /** The compression the build uses: the requested one or the file system's default. */
    public Compression effectiveCompression() {
        if (compression != null) {
            return compression;
        }
        return format == BuildFormat.DDI && ddi.fileSystem() == BuildFormat.EROFS ? format.defaultCompression()
                : fileSystemFormat().defaultCompression();
    }

    /** How a DDI is written ({@code --format ddi}: {@code --fs}, {@code --sign-key}, {@code --certificate}, {@code --seed}). */
    public DdiSettings ddi() {
        return ddi;
    }

    /** The format of the file system written: the format itself, or the one inside a DDI. */
    public BuildFormat fileSystemFormat() {
        return format == BuildFormat.DDI ? ddi.fileSystem() : format;
    }

    /** {@code --source-date-epoch}: the timestamp of every entry and of the file system, in seconds. */
    public long sourceDateEpoch() {
        return sourceDateEpoch;
    }

    /** {@code --keep-ownership}: keep the sources' uid/gid; otherwise every entry is root's. */
    public boolean keepOwnership() {
        return keepOwnership;
    }

    /** {@code --strict}: lint warnings become errors. */
    public boolean strict() {
        return strict;
    }

    /** {@code --force}: overwrite an existing output. */
    public boolean force() {
        return force;
    }

    /**
     * This specification with {@code defaults} (fields the sources imply, {@link dev.sysextctl.builder.source.ImageSource#releaseDefaults()})
     * filled in where no flag says otherwise: {@code ID}, {@code VERSION_ID} and {@code SYSEXT_LEVEL} only without
     * {@code --target-os-release}; {@code EXTENSION_RELOAD_MANAGER=1} turns {@code --reload-manager} on; fields
     * without a flag go before the {@code --set} entries (which win).
     */
    public ImageSpec withDefaults(Map<String, String> defaults) {
        if (defaults.isEmpty()) {
            return this;
        }
        Map<String, String> d = new LinkedHashMap<>(defaults);
        boolean fromTarget = targetOsRelease != null;
        Builder b = toBuilder();
        b.os = os != null || fromTarget ? os : d.get(ReleaseKeys.ID);
        b.osVersion = osVersion != null || fromTarget ? osVersion : d.get(ReleaseKeys.VERSION_ID);
        ExtensionClass c = extensionClass;
        b.sysextLevel = sysextLevel != null || fromTarget ? sysextLevel : d.get(c.levelKey());
        b.architecture = architecture != null ? architecture : d.get(ReleaseKeys.ARCHITECTURE);
        b.scope = scope != null ? scope : d.get(c.scopeKey());
        b.reloadManager = reloadManager || "1".equals(d.get(ReleaseKeys.EXTENSION_RELOAD_MANAGER));
        b.version = version != null ? version : d.get(c.versionKey());
        List<String> newSet = new ArrayList<>();
        for (String key : List.of(ReleaseKeys.ID, ReleaseKeys.VERSION_ID, c.levelKey(),
                ReleaseKeys.ARCHITECTURE, c.scopeKey(), ReleaseKeys.EXTENSION_RELOAD_MANAGER,
                c.versionKey())) {
            d.remove(key);
        }
        d.forEach((k, v) -> newSet.add(k + "=" + v));
        newSet.addAll(set);
        b.set = newSet;
        return b.build();
    }

    public ReleaseFile toReleaseFile() throws UsageException, OperationFailedException {
        ReleaseFile target = targetOsRelease == null ? ReleaseFile.EMPTY : OsReleaseFiles.read(targetOsRelease);
        if (targetOsRelease != null && target.get(ReleaseKeys.ID).isEmpty()) {
            throw new UsageException("--target-os-release " + targetOsRelease + " has no ID=; give the target's "
                    + "os-release file (etc/os-release or usr/lib/os-release)");
        }
        Map<String, String> f = new LinkedHashMap<>();
        put(f, ReleaseKeys.ID, first(os, target.get(ReleaseKeys.ID), ReleaseKeys.ANY));
        put(f, ReleaseKeys.VERSION_ID, first(osVersion, target.get(ReleaseKeys.VERSION_ID)));
        ExtensionClass c = extensionClass;
        put(f, c.levelKey(), first(sysextLevel, target.get(c.levelKey())));
        if (architecture != null) {
            put(f, ReleaseKeys.ARCHITECTURE, normalizeArchitecture(architecture));
        }
        if (scope != null) {
            put(f, c.scopeKey(), normalizeScope(scope));
        }
        put(f, c.versionKey(), version);
        if (reloadManager) {
            f.put(ReleaseKeys.EXTENSION_RELOAD_MANAGER, "1");
        }
        for (String assignment : set) {
            int eq = assignment.indexOf('=');
            String key = eq < 0 ? assignment : assignment.substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                // control characters shown escaped: the message stays one line whatever the argument holds
                String shown = assignment.replace("\n", "\\n").replace("\r", "\\r").replaceAll("\\p{Cntrl}", "?");
                throw new UsageException("invalid --set '" + shown + "'; write KEY=VALUE with a KEY of letters, "
                        + "digits and '_' (e.g. --set SYSEXT_ID=docker)");
            }
            String value = assignment.substring(eq + 1);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new UsageException("invalid --set " + key + ": the value spans several lines; give it on one line");
            }
            f.put(key, value);
        }
        return new ReleaseFile(f);
    }

    /** The systemd name for {@code --arch}, or a usage error naming the accepted spellings. */
    public static String normalizeArchitecture(String arch) throws UsageException {
        return Architecture.normalize(arch.trim()).orElseThrow(() -> new UsageException("unknown architecture '"
                + arch + "'; use a systemd name (x86-64, arm64, ...), an alias (x86_64, amd64, aarch64), host or _any"));
    }

    /** {@code --scope} words (space- or comma-separated) checked and joined with single spaces. */
    public static String normalizeScope(String scope) throws UsageException {
        List<String> words = new ArrayList<>();
        for (String w : scope.trim().split("[\\s,]+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (!SCOPES.contains(w)) {
                throw new UsageException("unknown scope '" + w + "'; use system, initrd and/or portable");
            }
            if (!words.contains(w)) {
                words.add(w);
            }
        }
        if (words.isEmpty()) {
            throw new UsageException("--scope is empty (systemd would then refuse the image everywhere); "
                    + "give system, initrd and/or portable");
        }
        return String.join(" ", words);
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(key, value);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSpec s && Objects.equals(os, s.os) && Objects.equals(osVersion, s.osVersion)
                && Objects.equals(sysextLevel, s.sysextLevel) && Objects.equals(targetOsRelease, s.targetOsRelease)
                && Objects.equals(architecture, s.architecture) && Objects.equals(scope, s.scope)
                && reloadManager == s.reloadManager && Objects.equals(version, s.version) && set.equals(s.set)
                && format == s.format && compression == s.compression && sourceDateEpoch == s.sourceDateEpoch
                && keepOwnership == s.keepOwnership && strict == s.strict && force == s.force && ddi.equals(s.ddi)
                && extensionClass == s.extensionClass;
    }

    @Override
    public int hashCode() {
        return Objects.hash(os, osVersion, sysextLevel, targetOsRelease, architecture, scope, reloadManager, version,
                set, format, compression, sourceDateEpoch, keepOwnership, strict, force, ddi, extensionClass);
    }

    @Override
    public String toString() {
        return "ImageSpec[os=" + os + ", osVersion=" + osVersion + ", sysextLevel=" + sysextLevel
                + ", targetOsRelease=" + targetOsRelease + ", architecture=" + architecture + ", scope=" + scope
                + ", reloadManager=" + reloadManager + ", version=" + version + ", set=" + set + ", format=" + format
                + ", compression=" + compression + ", sourceDateEpoch=" + sourceDateEpoch + ", keepOwnership="
                + keepOwnership + ", strict=" + strict + ", force=" + force + ", ddi=" + ddi + ", class="
                + extensionClass.id() + "]";
    }

    /** Collects a specification; every value starts unset. */
    public static final class Builder {
        private String os;
        private String osVersion;
        private String sysextLevel;
        private Path targetOsRelease;
        private String architecture;
        private String scope;
        private boolean reloadManager;
        private String version;
        private List<String> set = new ArrayList<>();
        private BuildFormat format = BuildFormat.SQUASHFS;
        private Compression compression;
        private long sourceDateEpoch;
        private boolean keepOwnership;
        private boolean strict;
        private boolean force;
        private DdiSettings ddi;
        private ExtensionClass extensionClass = ExtensionClass.SYSEXT;

        private Builder() {
        }

        /** {@code --class}: sysext (the default; also for null) or confext. */
        public Builder extensionClass(ExtensionClass c) {
            this.extensionClass = c;
            return this;
        }

        public Builder os(String id) {
            this.os = id;
            return this;
        }

        public Builder osVersion(String v) {
            this.osVersion = v;
            return this;
        }

        public Builder sysextLevel(String level) {
            this.sysextLevel = level;
            return this;
        }

        public Builder targetOsRelease(Path file) {
            this.targetOsRelease = file;
            return this;
        }

        public Builder architecture(String arch) {
            this.architecture = arch;
            return this;
        }

        public Builder scope(String s) {
            this.scope = s;
            return this;
        }

        public Builder reloadManager(boolean b) {
            this.reloadManager = b;
            return this;
        }

        public Builder version(String v) {
            this.version = v;
            return this;
        }

        /** The {@code --set} entries (replacing any set before; null for none). */
        public Builder set(List<String> entries) {
            this.set = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
            return this;
        }

        public Builder format(BuildFormat f) {
            this.format = f;
            return this;
        }

        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        public Builder sourceDateEpoch(long seconds) {
            this.sourceDateEpoch = seconds;
            return this;
        }

        public Builder keepOwnership(boolean b) {
            this.keepOwnership = b;
            return this;
        }

        public Builder strict(boolean b) {
            this.strict = b;
            return this;
        }

        public Builder force(boolean b) {
            this.force = b;
            return this;
        }

        /** How a DDI is written; null for the defaults (erofs inside, unsigned, UUIDs from the content). */
        public Builder ddi(DdiSettings d) {
            this.ddi = d;
            return this;
        }

        public ImageSpec build() {
            return new ImageSpec(this);
        }
    }
}
