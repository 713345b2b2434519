package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.error.UsageException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A systemd image policy ({@code systemd.image-policy(7)}; docs/ddi.md §6): rules {@code PARTITION=FLAGS} joined
 * by {@code :}, flags joined by {@code +}; an empty partition name sets the default for the partitions not listed
 * (otherwise {@code unused+absent}); {@code *}, {@code -} and {@code ~} are the whole-policy shorthands for
 * everything allowed, everything ignored and everything absent. The read-only, growfs and file system flags are
 * accepted and play no part in sysextctl's decision.
 */
public final class ImagePolicy {
    /** How a partition may be there. */
    public enum Flag { UNPROTECTED, VERITY, SIGNED, ENCRYPTED, UNUSED, ABSENT }

    /** The partition identifiers systemd defines. */
    public static final List<String> PARTITIONS = List.of("root", "usr", "home", "srv", "esp", "xbootldr", "swap",
            "root-verity", "root-verity-sig", "usr-verity", "usr-verity-sig", "tmp", "var");
    private static final Set<Flag> OPEN = EnumSet.allOf(Flag.class);
    private static final Set<Flag> IGNORE = EnumSet.of(Flag.UNUSED, Flag.ABSENT);
    private static final List<String> OTHER_FLAGS = List.of("read-only-on", "read-only-off", "growfs-on",
            "growfs-off", "btrfs", "erofs", "ext4", "f2fs", "squashfs", "vfat", "xfs");

    /** systemd-sysext's default policy for extension images. */
    public static final String SYSEXT_DEFAULT = "root=verity+signed+encrypted+unprotected+absent:"
            + "usr=verity+signed+encrypted+unprotected+absent";

    private final String text;
    private final Map<String, Set<Flag>> rules;
    private final Set<Flag> defaults;

    private ImagePolicy(String text, Map<String, Set<Flag>> rules, Set<Flag> defaults) {
        this.text = text;
        this.rules = rules;
        this.defaults = defaults;
    }

    public static ImagePolicy sysextDefault() {
        try {
            return parse(SYSEXT_DEFAULT);
        } catch (UsageException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ImagePolicy parse(String text) throws UsageException {
        String t = text.trim();
        switch (t) {
            case "*" -> {
                return new ImagePolicy(t, Map.of(), OPEN);
            }
            case "-" -> {
                return new ImagePolicy(t, Map.of(), IGNORE);
            }
            case "~" -> {
                return new ImagePolicy(t, Map.of(), EnumSet.of(Flag.ABSENT));
            }
            default -> {
            }
        }
        Map<String, Set<Flag>> rules = new LinkedHashMap<>();
        Set<Flag> defaults = IGNORE;
        boolean defaultSeen = false;
        for (String rule : t.isEmpty() ? new String[0] : t.split(":", -1)) {
            int eq = rule.indexOf('=');
            if (eq < 0) {
                throw bad(text, "rule '" + rule + "' has no '='");
            }
            String part = rule.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            Set<Flag> flags = flags(text, rule.substring(eq + 1));
            if (part.isEmpty()) {
                if (defaultSeen) {
                    throw bad(text, "the default ('=FLAGS') is given twice");
                }
                defaultSeen = true;
                defaults = flags;
            } else if (!PARTITIONS.contains(part)) {
                throw bad(text, "'" + part + "' is no partition identifier (" + String.join(", ", PARTITIONS) + ")");
            } else if (rules.put(part, flags) != null) {
                throw bad(text, "partition '" + part + "' is given twice");
            }
        }
        return new ImagePolicy(t, rules, defaults);
    }

    private static Set<Flag> flags(String text, String spec) throws UsageException {
        Set<Flag> out = EnumSet.noneOf(Flag.class);
        boolean protectionGiven = false;
        for (String f : spec.split("\\+", -1)) {
            String n = f.trim().toLowerCase(Locale.ROOT);
            switch (n) {
                case "open" -> out.addAll(OPEN);
                case "ignore" -> out.addAll(IGNORE);
                case "unprotected", "verity", "signed", "encrypted", "unused", "absent" ->
                        out.add(Flag.valueOf(n.toUpperCase(Locale.ROOT)));
                default -> {
                    if (!OTHER_FLAGS.contains(n)) {
                        throw bad(text, "'" + n + "' is no policy flag (unprotected, verity, signed, encrypted, "
                                + "unused, absent, open, ignore, read-only-on/off, growfs-on/off, a file system)");
                    }
                    continue;
                }
            }
            protectionGiven = true;
        }
        // only read-only/growfs/file-system flags: any protection is allowed
        return protectionGiven ? out : EnumSet.copyOf(OPEN);
    }

    private static UsageException bad(String text, String why) {
        return new UsageException("image policy '" + text + "' is not valid: " + why + "; write PARTITION=FLAGS[+FLAGS]"
                + "[:...] as systemd.image-policy(7) describes, e.g. root=signed+absent:usr=signed+absent");
    }

    /** The flags for a partition identifier: its rule, or the policy's default. */
    public Set<Flag> flags(String partition) {
        return rules.getOrDefault(partition, defaults);
    }

    /** The flags of a partition as systemd writes them ({@code signed+absent}). */
    public String describe(String partition) {
        StringBuilder b = new StringBuilder();
        for (Flag f : flags(partition)) {
            b.append(b.length() == 0 ? "" : "+").append(f.name().toLowerCase(Locale.ROOT));
        }
        return b.length() == 0 ? "(nothing)" : b.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
