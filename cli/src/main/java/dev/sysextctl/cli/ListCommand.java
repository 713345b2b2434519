package dev.sysextctl.cli;

import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.status.ImageList;
import dev.sysextctl.merger.status.ListedImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sysextctl list}. */
@Command(name = "list", footer = {"", "Examples:",
            "  sysextctl list",
            "  sysextctl list --root /mnt/node --json=short",
            "  sysextctl list --no-legend",
            "", "Exit codes: 0 listed, 1 the node could not be read, 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List every image in the search directories: state (active, shadowed, masked, broken), "
                + "compatibility with the node and why, and whether it is merged.")
final class ListCommand extends NodeCommand {
    @Mixin
    JsonOption jsonOption;
    @Mixin
    TableOptions table;

    @Override
    public Integer call() throws Exception {
        Console c = console();
        ImageList list = MergerCli.merger().list(node.open());
        if (jsonOption.on()) {
            c.json(Json.write(list));
            return ExitCodes.OK;
        }
        if (list.images().isEmpty()) {
            c.info("No OS extensions found.");
        } else {
            int w = 4;
            for (ListedImage i : list.images()) {
                w = Math.max(w, i.name().length());
            }
            c.println(c.bold(row(w, "NAME", "TYPE", "STATE", "COMPAT", "MERGED", "PATH")));
            for (ListedImage i : list.images()) {
                String compat = i.compatible() == null ? "?" : i.compatible() ? "yes" : "no";
                // An active image that does not fit the node is never merged: the STATE says so.
                String state = i.state().jsonName().equals("active") && Boolean.FALSE.equals(i.compatible())
                        ? "refused" : i.state().jsonName();
                c.println(row(w, i.name(), i.type(), state, compat, i.merged() ? "yes" : "no",
                        i.linkTarget() != null ? i.path() + " -> " + i.linkTarget() : i.path()));
            }
            int n = list.images().size();
            table.legend(c, n + " image" + (n == 1 ? "" : "s") + " listed.");
            boolean header = false;
            for (ListedImage i : list.images()) {
                if (Boolean.TRUE.equals(i.compatible()) && i.state().jsonName().equals("active")
                        || i.reason() == null) {
                    continue;
                }
                if (!header) {
                    c.println("");
                    header = true;
                }
                c.println(i.name() + " (" + i.path() + "): " + i.reason());
                if (i.systemdMessage() != null) {
                    c.debug("  systemd: " + i.systemdMessage());
                }
            }
        }
        if (!list.ignoredEntries().isEmpty()) {
            c.println("");
            c.println("not images:");
            for (IgnoredEntry e : list.ignoredEntries()) {
                c.println("  " + e.path() + ": " + e.reason());
            }
        }
        if (list.readBy().equals("userspace")) {
            c.debug("images read without mounting (not root): erofs and file-system images are not checked");
        }
        return ExitCodes.OK;
    }

    /** One table row: the columns left-aligned in widths {@code w}, 9, 8, 6, 6 and the path (no Formatter). */
    static String row(int w, String name, String type, String state, String compat, String merged, String path) {
        StringBuilder b = new StringBuilder(w + 40 + path.length());
        pad(b, name, w).append(' ');
        pad(b, type, 9).append(' ');
        pad(b, state, 8).append(' ');
        pad(b, compat, 6).append(' ');
        pad(b, merged, 6).append(' ');
        return b.append(path).toString();
    }

    private static StringBuilder pad(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }
}
