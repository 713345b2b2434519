package dev.sysextctl.merger.mount;

import java.util.ArrayList;
import java.util.List;

/** One line of {@code /proc/PID/mountinfo}. */
public record MountEntry(int id, int parentId, String device, String root, String mountPoint, String options,
        List<String> optionalFields, String fsType, String source, String superOptions) {

    public MountEntry {
        optionalFields = List.copyOf(optionalFields);
    }

    /** Member of a shared peer group: mounts made below it propagate to its peers. */
    public boolean isShared() {
        return optionalFields.stream().anyMatch(f -> f.startsWith("shared:"));
    }

    /** The value of a super-block option ({@code lowerdir}), or null. Handles {@code \,}-escaped commas. */
    public String superOption(String key) {
        for (String opt : splitOptions(superOptions)) {
            if (opt.startsWith(key + "=")) {
                return opt.substring(key.length() + 1);
            }
        }
        return null;
    }

    /** An overlay's lower directories, top first, unescaped. Empty for other mounts. */
    public List<String> lowerDirs() {
        String v = superOption("lowerdir");
        return v == null ? new ArrayList<>() : split(v, ':', false);
    }

    static List<String> splitOptions(String s) {
        return split(s, ',', true);
    }

    /** {@code s} cut at each {@code separator} not escaped by a backslash; escapes kept or resolved. */
    private static List<String> split(String s, char separator, boolean keepEscapes) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                if (keepEscapes) {
                    cur.append(c);
                }
                cur.append(s.charAt(++i));
            } else if (c == separator) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
