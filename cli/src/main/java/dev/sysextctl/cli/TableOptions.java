package dev.sysextctl.cli;

import picocli.CommandLine.Option;

/**
 * {@code --no-legend} and {@code --no-pager}, as systemctl and systemd-sysext take them, on every command that
 * prints a table: the table keeps its header and ends with a legend line ("2 images listed.") that
 * {@code --no-legend} drops. sysextctl never pages, so {@code --no-pager} is accepted for scripts written for
 * systemd's tools and changes nothing.
 */
public final class TableOptions {
    @Option(names = "--no-legend", description = "Leave out the legend line after the table.")
    boolean noLegend;

    @Option(names = "--no-pager", description = "Do not pipe the output into a pager (sysextctl never pages).")
    boolean noPager;

    /** The legend line, unless {@code --no-legend} or {@code -q}. */
    void legend(Console c, String line) {
        if (!noLegend) {
            c.println("");
            c.println(line);
        }
    }
}
