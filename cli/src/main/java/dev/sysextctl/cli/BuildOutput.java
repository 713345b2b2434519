package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.release.EnvFile;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** Every finding on stderr, errors in red, warnings in yellow (not with {@code -q}); see {@link #collapsed}. */
    static void findings(Console console, List<Finding> findings) {
        for (Finding f : collapsed(findings, console.verbose())) {
            String line = f.oneLine().substring(f.severity().jsonName().length());
            if (f.isError()) {
                console.err().println(console.red(f.severity().jsonName()) + line);
            } else if (!console.quiet()) {
                console.err().println(console.yellow(f.severity().jsonName()) + line);
            }
        }
        console.err().flush();
    }

    /** A rule found on more paths than this is printed as one line (unless {@code -v}). */
    static final int COLLAPSE_OVER = 3;

    /**
     * The findings to print: a rule found on more than {@link #COLLAPSE_OVER} paths becomes one finding naming the
     * count and the first paths ("24 paths, e.g. a, b, c; see --json or -v for all"); with {@code verbose} every
     * finding stays. The order is that of each rule's first finding.
     */
    static List<Finding> collapsed(List<Finding> findings, boolean verbose) {
        if (verbose) {
            return findings;
        }
        Map<String, List<Finding>> byRule = new LinkedHashMap<>();
        for (Finding f : findings) {
            byRule.computeIfAbsent(f.severity().jsonName() + "/" + f.id(), k -> new ArrayList<>()).add(f);
        }
        List<Finding> out = new ArrayList<>();
        for (List<Finding> group : byRule.values()) {
            if (group.size() <= COLLAPSE_OVER) {
                out.addAll(group);
                continue;
            }
            Finding first = group.get(0);
            List<String> paths = group.stream().map(Finding::path).limit(COLLAPSE_OVER).toList();
            out.add(new Finding(first.id(), first.severity(), "", group.size() + " paths, e.g. "
                    + String.join(", ", paths) + "; see --json or -v for all", first.fix()));
        }
        return out;
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
        console.println(r.output() + ": " + r.format() + " (" + r.compression() + "), "
                + Console.humanSize(r.sizeBytes()) + ", " + r.fileCount() + " entries");
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
