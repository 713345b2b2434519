package dev.sysextctl.cli;

import java.util.List;

/** Every subcommand of {@code sysextctl}, in the order {@code --help} lists them. */
final class Subcommands {
    private Subcommands() {
    }

    static List<Object> all() {
        return List.of(
                // builder
                // merger
                // converter
                // provisioning
                new IgnitionCommand(),
                new ReleaseCommand()
        );
    }
}
