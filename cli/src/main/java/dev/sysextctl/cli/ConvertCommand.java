package dev.sysextctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sysextctl convert}: migrations into sysext images ({@code torcx-image}, {@code torcx-profile}). */
@Command(name = "convert", footer = {"", "Examples:",
            "  sysextctl convert torcx-image docker.torcx.tgz --name docker --version 20.10",
            "  sysextctl convert torcx-profile --root / --enable",
            "", "Exit codes: 0 converted, 1 a tool or I/O failed, 2 usage error, 3 checks refused the input."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Convert torcx images and profile sets into sysext images.",
        subcommands = {ConvertTorcxImageCommand.class, ConvertTorcxProfileCommand.class})
public final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
