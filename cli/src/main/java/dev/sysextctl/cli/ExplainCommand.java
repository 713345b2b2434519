package dev.sysextctl.cli;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.explain.Explanation;
import dev.sysextctl.merger.explain.FileOverride;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.status.ListedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysextctl explain NAME}. */
@Command(name = "explain", footer = {"", "Examples:",
            "  sysextctl explain docker",
            "  sysextctl explain --root /mnt/node tools --json=short",
            "", "Exit codes: 0 explained, 1 no image of that name or the node could not be read, 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Explain why NAME is or is not merged: where it was found, what shadows or masks it, which rule "
                + "refuses it, and which files it overrides in the base OS or in other extensions.")
final class ExplainCommand extends NodeCommand {
    static final int SHOWN = 10;
    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name.")
    String name;
    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws Exception {
        Console c = console();
        List<Node> nodes = node.openClasses();
        noteAssumedVersion(c, nodes);
        List<Explanation> all = new java.util.ArrayList<>();
        for (Node n : nodes) {
            all.add(MergerCli.merger().explain(n, name));
        }
        if (jsonOption.on()) {
            c.json(Json.write(MergerCli.oneOrAll(all, nodes.size() > 1)));
            return all.stream().allMatch(ExplainCommand::none) ? ExitCodes.FAILED : ExitCodes.OK;
        }
        // --class all: the classes that have something named NAME (the first when none has)
        List<Explanation> shown = all.stream().filter(x -> !none(x)).toList();
        if (shown.isEmpty()) {
            shown = List.of(all.get(0));
        }
        for (int i = 0; i < shown.size(); i++) {
            if (nodes.size() > 1) {
                c.println((i > 0 ? "\n" : "") + c.bold(nodes.get(all.indexOf(shown.get(i))).extensionClass().id()
                        + ":"));
            }
            print(c, shown.get(i));
        }
        return ExitCodes.OK;
    }

    private static boolean none(Explanation x) {
        return x.state().equals("absent") && x.entries().isEmpty() && x.ignoredEntries().isEmpty();
    }

    private void print(Console c, Explanation x) throws OperationFailedException {
        boolean none = none(x);
        if (none) {
            throw new OperationFailedException(x.summary() + (x.similarNames().isEmpty()
                    ? "; see 'sysextctl list' for the images on this node"
                    : "; did you mean " + String.join(", ", x.similarNames()) + "?"));
        }
        c.println(c.bold(x.name()) + ": " + x.summary());
        if (!x.similarNames().isEmpty()) {
            c.println("  did you mean: " + String.join(", ", x.similarNames()));
        }
        boolean first = true;
        for (ListedImage e : x.entries()) {
            c.println("  " + (first ? "found:      " : "also:       ") + e.path()
                    + (e.linkTarget() != null ? " -> " + e.linkTarget() : "") + " (" + e.type()
                    + (e.format() != null ? ", " + e.format() : "") + ")"
                    + (first ? "" : ", " + e.state().jsonName()));
            first = false;
        }
        if (x.ddi() != null) {
            DdiSummary d = x.ddi();
            c.println("  ddi:        " + d.fileSystem() + " in " + d.designator() + " (" + d.architecture() + "), "
                    + (!d.verity() ? "no verity partition" : "verity root hash " + d.rootHash() + ", "
                    + switch (d.signature()) {
                        case "signed" -> "signed (certificate sha256 " + d.certificateFingerprint() + ")";
                        case "malformed" -> "signature partition unusable: " + d.signatureDefect();
                        default -> "unsigned";
                    } + given(d.rootHashGiven(), d.signature().equals("signed"))));
        }
        for (IgnoredEntry e : x.ignoredEntries()) {
            c.println("  not used:   " + e.path() + ": " + e.reason());
        }
        if (x.releaseFile() != null) {
            StringBuilder f = new StringBuilder();
            x.release().forEach((k, v) -> f.append(' ').append(k).append('=').append(v));
            c.println("  release:    " + x.releaseFile() + ":" + f);
        }
        if (!x.entries().isEmpty()) {
            ListedImage w = x.entries().get(0);
            if (w.rule() != null) {
                c.println("  rule:       " + w.rule() + (w.systemdMessage() != null ? c.grey(" (systemd: "
                        + w.systemdMessage() + ")") : ""));
            }
        }
        if (!x.hierarchies().isEmpty()) {
            c.println("  content in: " + String.join(", ", x.hierarchies()));
        }
        if (!x.above().isEmpty() || !x.below().isEmpty()) {
            c.println("  layers:     above it " + (x.above().isEmpty() ? "none" : String.join(", ", x.above()))
                    + "; below it " + (x.below().isEmpty() ? "none" : String.join(", ", x.below())));
        }
        printOverrides(c, "overrides: ", x.overrides(), "of");
        printOverrides(c, "hidden by: ", x.overriddenBy(), "by");
        if (x.overridesNote() != null) {
            c.println("  overrides:  " + c.grey(x.overridesNote()));
        } else if (x.overrides().isEmpty() && x.overriddenBy().isEmpty() && !x.hierarchies().isEmpty()) {
            c.println("  overrides:  no file of the base OS or of another extension");
        }
    }

    /**
     * What {@code ddi:} says of the root hash given beside the image (docs/ddi.md §6): none (with where systemd looks),
     * one that is the image's, or one systemd cannot use.
     */
    static String given(DdiSummary.GivenRootHash g, boolean signed) {
        if (g == null) {
            return "";
        }
        if (!g.found()) {
            return "; no root hash given beside it (no " + String.join(", no ", g.lookedFor()) + " attribute)"
                    + (signed ? "" : ": systemd mounts it unverified");
        }
        String in = g.source().startsWith("user.") ? "the " + g.source() + " attribute" : g.source();
        if (g.defect() != null) {
            return "; the root hash in " + in + " " + g.defect() + ": systemd fails reading the image";
        }
        if (!Boolean.TRUE.equals(g.matches())) {
            return "; the root hash in " + in + " (" + g.rootHash() + ") is not the image's: systemd cannot dissect "
                    + "the image";
        }
        return "; its root hash is given in " + in + (g.signature() != null ? " (signature " + g.signature() + ")"
                : "") + (signed ? "" : ": systemd opens it with dm-verity");
    }

    private void printOverrides(Console c, String label, List<FileOverride> list, String word) {
        Map<String, List<String>> byOther = new LinkedHashMap<>();
        for (FileOverride o : list) {
            byOther.computeIfAbsent(o.other(), k -> new java.util.ArrayList<>()).add(o.path());
        }
        for (Map.Entry<String, List<String>> e : byOther.entrySet()) {
            List<String> paths = e.getValue();
            String who = e.getKey().equals(FileOverride.BASE) ? "the base OS" : "extension '" + e.getKey() + "'";
            c.println("  " + label + " " + paths.size() + " file" + (paths.size() == 1 ? "" : "s") + " " + word + " "
                    + who + ": " + String.join(", ", paths.subList(0, Math.min(SHOWN, paths.size())))
                    + (paths.size() > SHOWN ? ", … (--json lists all)" : ""));
        }
    }
}
