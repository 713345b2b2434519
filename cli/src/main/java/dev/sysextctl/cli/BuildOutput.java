package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.release.EnvFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code build} and {@code convert torcx-image} print about the image they made: the lint findings (stderr),
 * the JSON report ({@code --report FILE}, {@code --json}), a refusal as JSON, and the head of the human summary.
 */
final class BuildOutput {
    private BuildOutput() {
    }

    /** Every finding on stderr, errors in red, warnings in yellow (not with {@code -q}). */
    static void findings(Console console, List<Finding> findings) {
        for (Finding f : findings) {
            if (f.isError()) {
                console.err().println(console.red(f.severity().jsonName()) + f.oneLine()
                        .substring(f.severity().jsonName().length()));
            } else if (!console.quiet()) {
                console.err().println(console.yellow(f.severity().jsonName()) + f.oneLine()
                        .substring(f.severity().jsonName().length()));
            }
        }
        console.err().flush();
    }

    /**
     * A refused build: its findings, and with {@code --json} a document {@code {name, error, lint, ...extra}} on
     * stdout. The caller rethrows {@code e} (the exit code and the one-line message).
     */
    static void refused(Console console, RefusedException e, boolean json, String name, Map<String, Object> extra) {
        findings(console, e.findings());
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", name);
            doc.put("error", e.getMessage());
            doc.put("lint", e.findings());
            doc.putAll(extra);
            console.json(Json.write(doc));
        }
    }

    /** The JSON report written to {@code file} (when given, atomically) and printed with {@code --json}. */
    static void report(Console console, Path file, boolean json, String document) throws OperationFailedException {
        if (file != null) {
            AtomicFiles.writeString(file, document + "\n", true);
        }
        if (json) {
            console.json(document);
        }
    }

    /** The first lines of the human summary: the image, {@code from} (when not null), its sha256 and release. */
    static void summary(Console console, BuildReport r, String from) {
        console.println(r.output() + ": " + r.format() + " (" + r.compression() + "), " + r.sizeBytes() + " bytes, "
                + r.fileCount() + " entries");
        if (from != null) {
            console.println("  from         " + from);
        }
        console.println("  sha256       " + r.sha256());
        StringBuilder fields = new StringBuilder();
        r.extensionRelease().forEach((k, v) -> fields.append(fields.length() == 0 ? "" : " ")
                .append(EnvFile.assignment(k, v)));
        console.println("  release      " + fields);
    }
}
