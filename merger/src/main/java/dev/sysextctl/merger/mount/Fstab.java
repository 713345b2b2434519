package dev.sysextctl.merger.mount;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Plain {@code mount} commands written as lines of an fstab(5) table, for one {@code mount -a -T TABLE} that mounts
 * them all in one process ({@link NamespaceSession#mountAll}). Only the shapes the merger sends are taken:
 * {@code mount [-t TYPE] [-o OPTIONS] [--bind] SOURCE TARGET}; any other command is run as it is.
 */
final class Fstab {
    private Fstab() {
    }

    /**
     * The table line that mounts what {@code argv} mounts, or empty when {@code argv} is not a plain mount command.
     * libmount reads {@code --bind} as the {@code bind} option and a missing type as {@code auto}, so the line and
     * the command make the same mount.
     */
    static Optional<String> line(List<String> argv) {
        if (argv.isEmpty() || !argv.get(0).equals("mount")) {
            return Optional.empty();
        }
        String type = null;
        String options = null;
        boolean bind = false;
        int i = 1;
        for (; i < argv.size() && argv.get(i).startsWith("-"); i++) {
            String a = argv.get(i);
            if (a.equals("--bind") && !bind) {
                bind = true;
            } else if (a.equals("-t") && type == null && i + 1 < argv.size()) {
                type = argv.get(++i);
            } else if (a.equals("-o") && options == null && i + 1 < argv.size()) {
                options = argv.get(++i);
            } else {
                return Optional.empty();
            }
        }
        if (argv.size() - i != 2 || options != null && !options.matches("[A-Za-z0-9_=.,:+-]+")
                || type != null && !type.matches("[A-Za-z0-9_.-]+") || bind && type != null) {
            return Optional.empty();
        }
        String opts = bind ? "bind" + (options == null ? "" : "," + options) : options == null ? "defaults" : options;
        return Optional.of(escape(argv.get(i)) + " " + escape(argv.get(i + 1)) + " "
                + (bind ? "none" : type == null ? "auto" : type) + " " + opts + " 0 0");
    }

    /**
     * A path as a table field: every byte but letters, digits and {@code _./:,+=@-} as a three-digit octal escape
     * ({@code \040} for a space), which libmount turns back into the byte; so no name can split or end a line.
     */
    static String escape(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_./:,+=@-".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + (c >> 3 & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return sb.toString();
    }
}
