package dev.sysextctl.cli;

import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.RefreshNow;
import dev.sysextctl.merger.config.NoSuchExtensionException;
import dev.sysextctl.merger.node.Node;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What enable, disable, mask and unmask share. */
abstract class ConfigActionCommand extends NodeCommand {
    @Mixin
    EngineOptions engine;
    @Mixin
    ManagerOptions manager;
    @Option(names = "--now", description = "Refresh the merge afterwards; on the running system the service manager "
            + "follows (reload, units whose image left stopped).")
    boolean now;
    @Mixin
    JsonOption jsonOption;

    abstract Merger.ConfigOutcome run(Merger merger, Node n) throws Exception;

    /** The node once per class of {@code --class}. */
    List<Node> nodes() throws Exception {
        return node.openClasses();
    }

    /** The refresh {@code --now} runs, or null without {@code --now}. */
    RefreshNow refreshNow() {
        return now ? new RefreshNow(engine.kind(), manager.noReload, manager.noStop) : null;
    }

    @Override
    public Integer call() throws Exception {
        Console c = console();
        Merger merger = MergerCli.merger();
        List<Node> nodes = nodes();
        noteAssumedVersion(c, nodes);
        MergerCli.PerClassResults<Merger.ConfigOutcome> r = MergerCli.eachClass(nodes, n -> run(merger, n));
        // --class all: a name that only one class has is that class's business; the other has nothing to do
        NoSuchExtensionException absent = null;
        if (nodes.size() > 1 && !r.done().isEmpty() && r.failure() instanceof NoSuchExtensionException x
                && x.getSuppressed().length == 0) {
            absent = x;
            r = new MergerCli.PerClassResults<>(r.done(), null);
        }
        if (jsonOption.on()) {
            if (!r.done().isEmpty()) {
                c.json(Json.write(MergerCli.oneOrAll(r.done().stream().map(MergerCli::configJson).toList(),
                        nodes.size() > 1)));
            }
        } else {
            for (Merger.ConfigOutcome o : r.done()) {
                if (nodes.size() > 1) {
                    c.println(c.bold(o.extensionClass().id() + "s:"));
                }
                MergerCli.printChange(c, o.change());
                if (o.refresh() != null) {
                    MergerCli.printOutcome(c, o.refresh());
                }
            }
            if (absent != null) {
                c.println(c.bold(absent.extensionClass().id() + "s:"));
                c.println("no " + absent.extensionClass().id() + " of that name: nothing to do");
            }
        }
        r.throwFailure();
        int code = ExitCodes.OK;
        for (Merger.ConfigOutcome o : r.done()) {
            code = Math.max(code, MergerCli.exitCode(c, o.refresh()));
        }
        return code;
    }
}
