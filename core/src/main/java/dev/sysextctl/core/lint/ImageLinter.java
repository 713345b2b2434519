package dev.sysextctl.core.lint;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lint rules of the contract, applied to an image's entries and its extension-release. Every finding is
 * collected; nothing stops at the first. Rules about the source archive itself ({@code unsafe-path}) are
 * reported by the readers and merged into the same {@link Findings}.
 */
public final class ImageLinter {
    private static final Pattern UNIT_DIR = Pattern.compile(
            "(usr/lib|usr/local/lib|lib|etc)/systemd/(system|user)/[^/]+\\.(wants|requires|upholds)/[^/]+");
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    /** An extra rule beyond the contract's list: opaque directories hide other extensions' files. */
    private static final String OPAQUE_DIRECTORY = RuleId.OPAQUE_DIRECTORY.id();
    /** An extra rule beyond the contract's list: without {@code ID=} systemd refuses the image everywhere. */
    private static final String MISSING_ID = RuleId.MISSING_ID.id();
    /** An extra rule beyond the contract's list: a SYSEXT_SCOPE (or CONFEXT_SCOPE) word systemd never matches. */
    private static final String UNKNOWN_SCOPE = RuleId.UNKNOWN_SCOPE.id();
    /** An extra rule beyond the contract's list: an ID, VERSION_ID or SYSEXT_LEVEL no os-release can carry. */
    private static final String INVALID_RELEASE_VALUE = RuleId.INVALID_RELEASE_VALUE.id();
    /** An extra rule beyond the contract's list: a SYSEXT_VERSION_ID systemd-sysupdate never accepts as a version. */
    private static final String INVALID_VERSION = RuleId.INVALID_VERSION.id();
    /** What os-release(5) allows in ID, VERSION_ID and SYSEXT_LEVEL (upper case tolerated: some vendors use it). */
    private static final Pattern OS_FIELD = Pattern.compile("[A-Za-z0-9._~+-]*");
    /** systemd-sysupdate's {@code version_is_valid()}: the characters {@code @v} matches. */
    private static final Pattern SYSUPDATE_VERSION = Pattern.compile("[A-Za-z0-9.,_+-]*");
    private static final java.util.Set<String> SCOPES = java.util.Set.of("system", "initrd", "portable");

    private ImageLinter() {
    }

    /** Lints a sysext. */
    public static Findings lint(String name, ReleaseFile release, Iterable<TreeEntry> entries) {
        return lint(name, release, entries, ExtensionClass.SYSEXT);
    }

    /**
     * Lints an image of class {@code cls}. A sysext keeps {@code usr/} and {@code opt/}, leaves {@code etc/} out
     * ({@code etc-content}) and refuses anything else ({@code outside-hierarchy}); a confext mirrors it: it keeps
     * {@code etc/}, leaves {@code usr/} and {@code opt/} out ({@code usr-content}) and refuses anything else
     * ({@code outside-etc}). The other class's release file is {@code misplaced-release} in either
     * (docs/cli.md §3.1).
     *
     * @param name the extension name
     * @param release the extension-release the image will carry
     * @param entries every entry of the tree (the root entry may be absent); paths normalised
     */
    public static Findings lint(String name, ReleaseFile release, Iterable<TreeEntry> entries, ExtensionClass cls) {
        Findings f = new Findings();
        ImageNames.invalidReason(name).ifPresent(reason -> f.add(LintRule.INVALID_NAME, "",
                "extension name '" + name + "' is not valid: " + reason));
        lintRelease(f, release, cls);

        String ownRelease = cls.releasePath(name);
        String otherReleasePrefix = cls.other().releaseDirectory() + "/" + ReleaseKeys.EXTENSION_RELEASE_PREFIX;
        Map<String, Integer> outside = new LinkedHashMap<>();
        boolean hasContent = false;
        for (TreeEntry e : entries) {
            String p = e.path();
            if (p.isEmpty()) {
                continue;
            }
            String top = e.topLevel();
            if (cls.other().topLevels().contains(top)) {
                if (e.type() == EntryType.DIRECTORY) {
                    continue;
                }
                if (p.startsWith(otherReleasePrefix)) {
                    f.add(LintRule.MISPLACED_RELEASE.finding(p, "a " + cls.other().id() + "'s release file in a "
                            + cls.id() + " build; it is left out of the image, which " + cls.other().systemdTool()
                            + " then ignores", "build the tree as a " + cls.other().id() + " (--class "
                                    + cls.other().id() + "), or remove the file"));
                } else if (cls == ExtensionClass.SYSEXT) {
                    f.add(LintRule.ETC_CONTENT, p, "under etc/, which systemd-sysext does not merge; it is "
                            + "left out of the image");
                } else {
                    f.add(LintRule.USR_CONTENT, p, "under " + top + "/, which systemd-confext does not merge; it is "
                            + "left out of the image");
                }
                continue;
            }
            if (!cls.topLevels().contains(top)) {
                outside.merge(top, 1, Integer::sum);
                continue;
            }
            if (e.type() != EntryType.DIRECTORY && !p.equals(ownRelease)
                    && !p.startsWith(cls.releaseDirectory() + "/")) {
                hasContent = true;
            }
            lintEntry(f, name, e, cls);
        }
        if (cls == ExtensionClass.SYSEXT) {
            outside.forEach((top, count) -> f.add(LintRule.OUTSIDE_HIERARCHY, top,
                    top + (count > 1 ? " (" + count + " entries)" : "")
                            + " is outside usr/ and opt/; systemd-sysext silently ignores it"));
            if (!hasContent) {
                f.add(LintRule.EMPTY_IMAGE, "", "the image has nothing under usr/ or opt/ besides its "
                        + "extension-release");
            }
        } else {
            outside.forEach((top, count) -> f.add(LintRule.OUTSIDE_ETC, top,
                    top + (count > 1 ? " (" + count + " entries)" : "")
                            + " is outside etc/; systemd-confext silently ignores it"));
            if (!hasContent) {
                f.add(LintRule.EMPTY_IMAGE.finding("", "the confext has nothing under etc/ besides its "
                        + "extension-release", "add content under etc/"));
            }
        }
        return f;
    }

    private static void lintRelease(Findings f, ReleaseFile release, ExtensionClass cls) {
        String scopeKey = cls.scopeKey();
        String arch = release.get(ReleaseKeys.ARCHITECTURE);
        if (!arch.isEmpty() && !arch.equals(ReleaseKeys.ANY) && !Architecture.isSystemdName(arch)) {
            String hint = Architecture.normalize(arch).filter(n -> !n.equals(arch))
                    .map(n -> "write ARCHITECTURE=" + n + " (systemd compares exact names)")
                    .orElse(LintRule.BAD_ARCHITECTURE.fix());
            f.add(LintRule.BAD_ARCHITECTURE.finding("", "ARCHITECTURE=" + arch
                    + " is not a systemd architecture name; systemd would refuse the image on every machine",
                    hint));
        }
        if (release.has(scopeKey) && release.get(scopeKey).isBlank()) {
            f.add(LintRule.EMPTY_SCOPE.finding("", scopeKey + " is present but empty; systemd then refuses the image "
                    + "in every scope", "drop " + scopeKey + " or give it 'system', 'initrd' and/or 'portable'"));
        }
        for (String word : release.get(scopeKey).trim().split("[ \t\n\r]+")) {
            if (!word.isEmpty() && !SCOPES.contains(word)) {
                f.add(new Finding(UNKNOWN_SCOPE, Severity.WARNING, "", scopeKey + " word '" + word
                        + "' is none of system, initrd, portable; systemd compares them case-sensitively and never "
                        + "matches it", "write the scope in lower case: system, initrd and/or portable"));
            }
        }
        if (!release.isEmpty() && release.get(ReleaseKeys.ID).isEmpty()) {
            f.add(new Finding(MISSING_ID, Severity.ERROR, "", "the extension-release has no ID=; systemd refuses "
                    + "such an extension on every OS", "set ID=_any (with ARCHITECTURE) or the target OS's ID"));
        }
        for (String key : List.of(ReleaseKeys.ID, ReleaseKeys.VERSION_ID, cls.levelKey())) {
            String v = release.get(key);
            if (!v.equals(ReleaseKeys.ANY) && !OS_FIELD.matcher(v).matches()) {
                f.add(new Finding(INVALID_RELEASE_VALUE, Severity.ERROR, "", key + "='" + v + "' is not a valid "
                        + "os-release value (letters, digits, '.', '_', '-'), so it never equals the host's " + key
                        + " and " + cls.systemdTool() + " refuses the image everywhere", "give the target's " + key
                        + " exactly as its os-release says (e.g. ID=fedora, VERSION_ID=40)"));
            }
        }
        String version = release.get(cls.versionKey());
        if (!SYSUPDATE_VERSION.matcher(version).matches()) {
            boolean blank = version.chars().anyMatch(Character::isWhitespace);
            f.add(new Finding(INVALID_VERSION, blank ? Severity.ERROR : Severity.WARNING, "", cls.versionKey() + "='"
                    + version + "' has characters systemd-sysupdate does not accept in a version (only letters, "
                    + "digits and . , _ + -)" + (blank ? "; it also puts a space in the image's file name"
                    : "; 'sysextctl release' and sysupdate refuse the image"), "use a version such as "
                    + version.strip().replace('~', '-').replaceAll("[^A-Za-z0-9.,_+-]+", ".")));
        }
        // configuration is rarely bound to an architecture: a confext for every machine is the rule, not a slip
        if (cls == ExtensionClass.SYSEXT && release.get(ReleaseKeys.ID).equals(ReleaseKeys.ANY)
                && release.get(ReleaseKeys.ARCHITECTURE).isEmpty()) {
            f.add(LintRule.ANY_WITHOUT_ARCH, "", "ID=_any without ARCHITECTURE: the image is offered to "
                    + "machines of every architecture");
        }
    }

    private static void lintEntry(Findings f, String name, TreeEntry e, ExtensionClass cls) {
        String p = e.path();
        if (cls == ExtensionClass.CONFEXT && p.equals("etc/os-release") && e.type() != EntryType.DIRECTORY) {
            f.add(LintRule.OS_RELEASE_IN_ETC, p, "the confext ships etc/os-release; merged, it replaces the host's "
                    + "os-release (systemd-confext does not refuse it)");
        }
        if (p.equals("usr/lib/os-release")) {
            f.add(LintRule.OS_RELEASE_IN_IMAGE, p, "the image ships usr/lib/os-release; systemd-sysext 252 then "
                    + "merges nothing at all (257 refuses this image)");
        }
        String releasePrefix = cls.releaseDirectory() + "/" + ReleaseKeys.EXTENSION_RELEASE_PREFIX;
        if (p.startsWith(releasePrefix) && e.type() != EntryType.DIRECTORY) {
            String other = p.substring(releasePrefix.length());
            if (!other.equals(name)) {
                f.add(LintRule.RELEASE_NAME_MISMATCH, p, "the source carries an extension-release for '" + other
                        + "', but the image is named '" + name + "'");
            }
        }
        if (p.equals("usr/sbin") && e.type() == EntryType.DIRECTORY) {
            f.add(LintRule.USR_SBIN_DIRECTORY, p, "a real usr/sbin directory hides the host's usr/sbin -> bin "
                    + "link on merged-usr systems");
        }
        if (e.uid() != 0 || e.gid() != 0) {
            f.add(LintRule.NON_ROOT_OWNER, p, "owned by " + e.uid() + ":" + e.gid() + ", not root");
        }
        if (e.type() != EntryType.SYMLINK && e.type() != EntryType.HARDLINK && (e.mode() & 0002) != 0) {
            f.add(LintRule.WORLD_WRITABLE, p, "world-writable (" + e.lsMode() + ")");
        }
        if ((e.type() == EntryType.FILE || e.type() == EntryType.HARDLINK)
                && (e.mode() & (TreeEntry.SETUID | TreeEntry.SETGID)) != 0) {
            f.add(LintRule.SETUID, p, ((e.mode() & TreeEntry.SETUID) != 0 ? "setuid" : "setgid") + " file ("
                    + e.lsMode() + ")");
        }
        if (e.type().isSpecial()) {
            boolean whiteout = e.type() == EntryType.CHAR_DEVICE && e.devMajor() == 0 && e.devMinor() == 0;
            f.add(LintRule.DEVICE_NODE, p, whiteout
                    ? "an overlay whiteout (char 0:0): it hides the host's " + p + " when merged"
                    : "a " + e.type().jsonName() + " in a "
                            + (cls == ExtensionClass.SYSEXT ? "system" : "configuration") + " extension");
        }
        if (e.type() == EntryType.SYMLINK && e.linkTarget() != null) {
            String t = e.linkTarget();
            boolean etcToo = cls == ExtensionClass.CONFEXT;
            if (t.startsWith("/") && !(t.equals("/usr") || t.startsWith("/usr/") || t.equals("/opt")
                    || t.startsWith("/opt/") || etcToo && (t.equals("/etc") || t.startsWith("/etc/")))) {
                f.add(LintRule.ABSOLUTE_SYMLINK, p, "points to " + t + ", outside " + (etcToo ? "/etc, " : "")
                        + "/usr and /opt: its target is not part of any extension");
            }
            if (UNIT_DIR.matcher(p).matches() && p.contains(".wants/")) {
                f.add(LintRule.WANTS_SYMLINK, p, ".wants/ links in an extension are not acted on when it is merged "
                        + "at runtime");
            }
        }
        if (e.type() == EntryType.DIRECTORY && "y".equals(e.xattrs().get(OPAQUE_XATTR))) {
            f.add(new Finding(OPAQUE_DIRECTORY, Severity.WARNING, p, "an opaque overlay directory: it hides the "
                    + "same directory of the host and of every lower extension",
                    "remove the trusted.overlay.opaque attribute"));
        }
    }
}
