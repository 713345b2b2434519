package dev.sysextctl.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * systemd-sysext (or systemd-confext, the same program under another name, for confexts) through the
 * {@link ProcessRunner}. {@code --root} is passed unless the root is {@code /}.
 */
public final class DefaultSystemdSysext implements SystemdSysext {
    private static final Pattern VERSION = Pattern.compile("systemd (\\d+)(?: \\(([^)]*)\\))?");
    private final ProcessRunner runner;
    private final ToolVersionCache versions;
    private final String program;

    public DefaultSystemdSysext(ProcessRunner runner, ToolVersionCache versions) {
        this(runner, versions, PROGRAM);
    }

    /** The tool named {@code program}: {@code systemd-sysext} or {@code systemd-confext}. */
    public DefaultSystemdSysext(ProcessRunner runner, ToolVersionCache versions, String program) {
        this.runner = runner;
        this.versions = versions;
        this.program = program;
    }

    @Override
    public Version version() throws OperationFailedException {
        String text = versions.get(program, () -> {
            ProcessResult r = runner.run(Command.of(program, "--version"));
            Matcher m = VERSION.matcher(r.stdout());
            if (!r.succeeded() || !m.find()) {
                throw new OperationFailedException("cannot tell the version of " + program + " from '"
                        + r.lastErrorLine() + "'; check that systemd is installed");
            }
            return m.group(1) + " " + (m.group(2) == null ? m.group(1) : m.group(2));
        });
        int sp = text.indexOf(' ');
        return new Version(Integer.parseInt(text.substring(0, sp)), text.substring(sp + 1));
    }

    @Override
    public ProcessResult merge(Path root, boolean force) throws OperationFailedException {
        return runner.run(command(program, root, force, MergeAction.MERGE.verb()));
    }

    @Override
    public ProcessResult unmerge(Path root) throws OperationFailedException {
        return runner.run(command(program, root, false, MergeAction.UNMERGE.verb()));
    }

    @Override
    public ProcessResult refresh(Path root, boolean force) throws OperationFailedException {
        return runner.run(command(program, root, force, MergeAction.REFRESH.verb()));
    }

    @Override
    public ProcessResult run(MergeAction action, Path root, boolean force, boolean noReload)
            throws OperationFailedException {
        Command c = command(program, root, force && action.takesForce(), action.verb());
        if (noReload) {
            List<String> argv = new ArrayList<>(c.argv());
            argv.add(argv.size() - 1, "--no-reload");
            c = Command.of(argv);
        }
        return runner.run(c);
    }

    @Override
    public List<ListedImage> list(Path root) throws OperationFailedException {
        JsonNode doc = json(runner.run(command(program, root, false, "--json=short", "list")));
        List<ListedImage> out = new ArrayList<>();
        for (JsonNode n : doc) {
            out.add(new ListedImage(n.path("name").asText(), n.path("type").asText(), n.path("path").asText(),
                    n.path("time").asLong(0)));
        }
        return out;
    }

    @Override
    public List<HierarchyState> status(Path root) throws OperationFailedException {
        JsonNode doc = json(runner.run(command(program, root, false, "--json=short", "status")));
        List<HierarchyState> out = new ArrayList<>();
        for (JsonNode n : doc) {
            List<String> exts = new ArrayList<>();
            if (n.path("extensions").isArray()) {
                n.path("extensions").forEach(e -> exts.add(e.asText()));
            }
            JsonNode since = n.path("since");
            out.add(new HierarchyState(n.path("hierarchy").asText(), exts,
                    since.isNumber() ? since.asLong() : null));
        }
        return out;
    }

    static Command command(Path root, boolean force, String... verb) {
        return command(PROGRAM, root, force, verb);
    }

    static Command command(String program, Path root, boolean force, String... verb) {
        List<String> argv = new ArrayList<>(List.of(program));
        if (root != null && !root.toAbsolutePath().normalize().toString().equals("/")) {
            argv.add("--root=" + root.toAbsolutePath().normalize());
        }
        if (force) {
            argv.add("--force");
        }
        argv.addAll(List.of(verb));
        return Command.of(argv);
    }

    private static JsonNode json(ProcessResult r) throws OperationFailedException {
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "see systemd-sysext's message");
        }
        String text = r.stdout().isBlank() ? "[]" : r.stdout();
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new OperationFailedException("systemd-sysext printed JSON that cannot be parsed ("
                    + e.getMessage() + "); check its version (systemd 248 or later)");
        }
    }
}
