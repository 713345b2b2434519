package dev.sysextctl.cli;

import dev.sysextctl.core.image.ddi.ImagePolicy;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code merge}, {@code unmerge} and {@code refresh} share: options, running, printing. */
abstract class MergeActionCommand extends NodeCommand {
    @Mixin
    EngineOptions engine;
    @Mixin
    ManagerOptions manager;
    @Option(names = "--force", description = "Merge extensions whatever their compatibility (systemd's --force).")
    boolean force;
    @Option(names = "--dry-run", description = "Print the plan (layers per hierarchy, top first, and every ignored "
            + "image with its reason); change nothing.")
    boolean dryRun;
    @Option(names = "--image-policy", paramLabel = "POLICY", description = "The image policy that decides how DDIs "
            + "are used (systemd.image-policy(7), e.g. root=unprotected+absent:usr=absent); default systemd-sysext's. "
            + "The native engine applies it (auto picks it when this is given).")
    String imagePolicy;
    @Mixin
    JsonOption jsonOption;

    abstract MergeOutcome run(Merger merger, Node node, MergeOptions options) throws Exception;

    @Override
    public Integer call() throws Exception {
        Console c = console();
        ImagePolicy policy = imagePolicy == null ? null : ImagePolicy.parse(imagePolicy);
        MergeOutcome o = run(MergerCli.merger(), node.open(), new MergeOptions(force, dryRun, manager.noReload,
                manager.noStop, policy));
        if (jsonOption.on()) {
            for (String w : o.warnings()) {
                c.warn(w);
            }
            c.json(Json.write(o));
        } else {
            MergerCli.printOutcome(c, o);
        }
        return MergerCli.exitCode(c, o);
    }
}
