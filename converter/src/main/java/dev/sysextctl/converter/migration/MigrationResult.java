package dev.sysextctl.converter.migration;

import java.nio.file.Path;

/** The migration's report, its human summary, and where both were written. */
public record MigrationResult(MigrationReport report, String summary, Path reportFile, Path summaryFile) {
    /**
     * The exit code the contract gives this outcome: 0 when every image was converted, 1 when one is missing or
     * failed, 3 when checks refused one (and nothing else went wrong).
     */
    public int exitCode() {
        boolean failed = false;
        boolean refused = false;
        for (MigratedImage i : report.images()) {
            if (i.exitCode() == 3) {
                refused = true;
            } else if (i.exitCode() != 0) {
                failed = true;
            }
        }
        return failed ? 1 : refused ? 3 : 0;
    }
}
