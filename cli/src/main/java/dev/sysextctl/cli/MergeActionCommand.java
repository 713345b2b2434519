package dev.sysextctl.cli;

import dev.sysextctl.core.image.ddi.ImagePolicy;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import java.util.List;
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

    /**
     * Runs the action once per selected class (sysexts, then confexts, each on its own even when the other failed);
     * one outcome in JSON, an array of them with {@code --class all}.
     */
    @Override
    public Integer call() throws Exception {
        Console c = console();
        Merger merger = MergerCli.merger();
        ImagePolicy policy = imagePolicy == null ? null : ImagePolicy.parse(imagePolicy);
        MergeOptions options = new MergeOptions(force, dryRun, manager.noReload, manager.noStop, policy);
        List<Node> nodes = node.openClasses();
        noteAssumedVersion(c, nodes);
        MergerCli.PerClassResults<MergeOutcome> r = MergerCli.eachClass(nodes, n -> run(merger, n, options));
        if (jsonOption.on()) {
            for (MergeOutcome o : r.done()) {
                for (String w : o.warnings()) {
                    c.warn(w);
                }
            }
            if (!r.done().isEmpty()) {
                c.json(Json.write(MergerCli.oneOrAll(r.done(), nodes.size() > 1)));
            }
        } else {
            for (MergeOutcome o : r.done()) {
                if (nodes.size() > 1) {
                    c.println(c.bold(o.extensionClass().id() + "s:"));
                }
                MergerCli.printOutcome(c, o);
            }
        }
        r.throwFailure();
        int code = ExitCodes.OK;
        for (MergeOutcome o : r.done()) {
            code = Math.max(code, MergerCli.exitCode(c, o));
        }
        return code;
    }
}
