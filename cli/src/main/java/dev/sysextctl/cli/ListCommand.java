package dev.sysextctl.cli;

import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.status.ImageList;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.status.ListedImage;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sysextctl list}. */
@Command(name = "list", footer = {"", "Examples:",
            "  sysextctl list",
            "  sysextctl list --root /mnt/node --json=short",
            "  sysextctl list --no-legend",
            "  sysextctl list --class all",
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
        Merger merger = MergerCli.merger();
        List<ImageList> lists = new ArrayList<>();
        List<Node> nodes = node.openClasses();
        noteAssumedVersion(c, nodes);
        for (Node n : nodes) {
            lists.add(merger.list(n));
        }
        ImageList list = ImageList.combine(lists);
        boolean cls = node.showsClass();
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
            // the table printed as one text: one write (and flush) instead of one per row
            StringBuilder rows = new StringBuilder(80 * (list.images().size() + 1));
            rows.append(c.bold(row(w, cls ? "CLASS" : null, "NAME", "TYPE", "STATE", "COMPAT", "MERGED", "PATH")));
            for (ListedImage i : list.images()) {
                String compat = i.compatible() == null ? "?" : i.compatible() ? "yes" : "no";
                // An active image that does not fit the node is never merged: the STATE says so.
                String state = i.state().jsonName().equals("active") && Boolean.FALSE.equals(i.compatible())
                        ? "refused" : i.state().jsonName();
                rows.append(System.lineSeparator()).append(row(w, cls ? i.extensionClass().id() : null, i.name(),
                        i.type(), state, compat, i.merged() ? "yes" : "no",
                        i.linkTarget() != null ? i.path() + " -> " + i.linkTarget() : i.path()));
            }
            c.println(rows.toString());
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
        return row(w, null, name, type, state, compat, merged, path);
    }

    /** A row with the class first (width 7) when {@code cls} is not null ({@code --class confext|all}). */
    static String row(int w, String cls, String name, String type, String state, String compat, String merged,
            String path) {
        StringBuilder b = new StringBuilder(w + 48 + path.length());
        if (cls != null) {
            pad(b, cls, 7).append(' ');
        }
        pad(b, name, w).append(' ');
        pad(b, type, 9).append(' ');
        pad(b, state, 8).append(' ');
        pad(b, compat, 6).append(' ');
        pad(b, merged, 6).append(' ');
        return b.append(path).toString();
    }

    static StringBuilder pad(StringBuilder b, String s, int width) {
        b.append(s);
        for (int i = s.length(); i < width; i++) {
            b.append(' ');
        }
        return b;
    }
}
