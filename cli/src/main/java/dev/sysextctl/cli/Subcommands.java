package dev.sysextctl.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every subcommand of {@code sysextctl}, in the order {@code --help} lists them. Each is registered by name with
 * a factory, so that a run builds only the picocli model of the command it executes (building all of them costs
 * about as much as the rest of a small build; see {@link SysextctlCommand#newCommandLine(String[])}). The name
 * must be the one in the command's {@code @Command(name = ...)} ({@code SubcommandsTest} checks).
 */
final class Subcommands {
    /** A subcommand: its name and how to make its command object. */
    record Entry(String name, Supplier<Object> factory) {
    }

    /**
     * The help command's description: picocli's {@code HelpCommand} (a final class) begins its own with {@code %n},
     * which the top command's list of commands printed as it is. Set in {@link #entries()}' factory, and used by the
     * generator of {@link StartupModels#summaries()}.
     */
    static final String HELP_DESCRIPTION = "Show the usage help of sysextctl, or of COMMAND when one is given.";

    private Subcommands() {
    }

    private static Object helpCommand() {
        picocli.CommandLine help = new picocli.CommandLine(new picocli.CommandLine.HelpCommand());
        help.getCommandSpec().usageMessage().description(HELP_DESCRIPTION);
        return help;
    }

    static List<Entry> entries() {
        return List.of(
                // builder
                new Entry("build", BuildCommand::new),
                new Entry("inspect", InspectCommand::new),
                new Entry("validate", ValidateCommand::new),
                new Entry("compose", ComposeCommand::new),
                // merger
                new Entry("list", ListCommand::new),
                new Entry("status", StatusCommand::new),
                new Entry("enable", EnableCommand::new),
                new Entry("disable", DisableCommand::new),
                new Entry("mask", MaskCommand::new),
                new Entry("unmask", UnmaskCommand::new),
                new Entry("merge", MergeCommand::new),
                new Entry("unmerge", UnmergeCommand::new),
                new Entry("refresh", RefreshCommand::new),
                new Entry("explain", ExplainCommand::new),
                // converter
                new Entry("convert", ConvertCommand::new),
                // provisioning
                new Entry("ignition", IgnitionCommand::new),
                new Entry("release", ReleaseCommand::new),
                // help [COMMAND], shell completions
                new Entry("help", Subcommands::helpCommand),
                new Entry("completion", CompletionCommand::new)
        );
    }

    /** Every subcommand object, in order. */
    static List<Object> all() {
        return entries().stream().map(e -> e.factory().get()).toList();
    }

    /**
     * A stand-in for every subcommand, in order, with only what the top command's usage shows of it: its name,
     * aliases, whether it is hidden and its description, from its {@code @Command} (written out in
     * {@link StartupModels#summaries()}). {@code sysextctl --help} then builds no picocli model of any subcommand and
     * reads no annotation; {@code SubcommandsTest} checks the usage is the same.
     */
    static List<Object> summaries() {
        return new ArrayList<>(StartupModels.summaries());
    }

    /**
     * What a run of the subcommand {@code name} registers, if there is one: the hand-built model of a hot command
     * ({@link StartupModels}, the same as the annotated one, {@code StartupModelsTest} checks), else the command
     * object, whose model picocli reads from its annotations. A hot command is found without {@link #entries()},
     * whose method references would each be linked on the way.
     */
    static Optional<Object> forRun(String name) {
        Object model = StartupModels.command(name);
        return model != null ? Optional.of(model) : named(name).map(e -> e.factory().get());
    }

    /** The subcommand called {@code name}, if there is one. */
    static Optional<Entry> named(String name) {
        return entries().stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
