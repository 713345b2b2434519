package dev.sysextctl.cli;

import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.RefreshNow;
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

    abstract Merger.ConfigOutcome run(Merger merger) throws Exception;

    /** The refresh {@code --now} runs, or null without {@code --now}. */
    RefreshNow refreshNow() {
        return now ? new RefreshNow(engine.kind(), manager.noReload, manager.noStop) : null;
    }

    @Override
    public Integer call() throws Exception {
        Console c = console();
        Merger.ConfigOutcome o = run(MergerCli.merger());
        if (jsonOption.on()) {
            c.json(Json.write(MergerCli.configJson(o)));
        } else {
            MergerCli.printChange(c, o.change());
            if (o.refresh() != null) {
                MergerCli.printOutcome(c, o.refresh());
            }
        }
        return MergerCli.exitCode(c, o.refresh());
    }
}
