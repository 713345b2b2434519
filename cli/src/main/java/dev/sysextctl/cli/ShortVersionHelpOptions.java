package dev.sysextctl.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} and {@code -V} for the commands whose {@code --version} is the extension's version
 * ({@code build}, {@code convert torcx-image}): picocli's standard help options would claim {@code --version}, so
 * these commands print the program version with {@code -V} alone.
 */
public final class ShortVersionHelpOptions {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "-V", versionHelp = true, description = "Print sysextctl's version and exit (--version is the "
            + "extension version here).")
    boolean versionHelp;
}
