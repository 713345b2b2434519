package dev.sysextctl.cli;

import java.util.List;

/** Every subcommand of {@code sysextctl}, in the order {@code --help} lists them. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                // builder
                new BuildCommand(), new InspectCommand(), new ValidateCommand(),
                // merger
                new ListCommand(),
                new StatusCommand(),
                new EnableCommand(),
                new DisableCommand(),
                new MaskCommand(),
                new UnmaskCommand(),
                new MergeCommand(),
                new UnmergeCommand(),
                new RefreshCommand(),
                new ExplainCommand(),
                // converter
                new ConvertCommand(),
                // provisioning
                new IgnitionCommand(),
                new ReleaseCommand()
        );
    }
}
