package dev.sysextctl.cli;

import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.status.HierarchyStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sysextctl status}. */
@Command(name = "status", footer = {"", "Examples:",
            "  sysextctl status",
            "  sysextctl",
            "  sysextctl status --root /mnt/node --json",
            "", "Exit codes: 0 shown, 1 the node could not be read, 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show per hierarchy the merged extensions and since when (works under --root); with --class "
                + "confext or all, /etc and its confexts.")
final class StatusCommand extends NodeCommand {
    @Mixin
    JsonOption jsonOption;
    @Mixin
    TableOptions table;

    @Override
    public Integer call() throws Exception {
        Console c = console();
        List<Node> nodes = node.openClasses();
        noteAssumedVersion(c, nodes);
        Node n = nodes.get(0);
        List<HierarchyStatus> status = new ArrayList<>();
        for (Node each : nodes) {
            status.addAll(MergerCli.merger().status(each));
        }
        if (jsonOption.on()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("root", n.root().toString());
            doc.put("hierarchies", status);
            c.json(Json.write(doc));
            return ExitCodes.OK;
        }
        MergerCli.printStatus(c, status, node.showsClass());
        int shown = 0;
        int merged = 0;
        for (HierarchyStatus s : status) {
            shown += s.exists() ? 1 : 0;
            merged += s.merged() ? 1 : 0;
        }
        table.legend(c, shown + " hierarch" + (shown == 1 ? "y" : "ies") + " listed, " + merged + " merged.");
        return ExitCodes.OK;
    }
}
