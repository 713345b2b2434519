package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code systemctl} through the {@link ProcessRunner}. Stopping waits for the jobs (at most ten minutes). */
public final class DefaultSystemctl implements Systemctl {
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    private final ProcessRunner runner;

    public DefaultSystemctl(ProcessRunner runner) {
        this.runner = runner;
    }

    @Override
    public void daemonReload() throws OperationFailedException {
        run(Command.of(PROGRAM, "daemon-reload"), "run 'systemctl daemon-reload'");
    }

    @Override
    public List<UnitState> show(List<String> units) throws OperationFailedException {
        if (units.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "show", "-p", String.join(",", SHOWN)));
        argv.addAll(units);
        return parseShow(run(Command.of(argv), "check the unit names").stdout());
    }

    @Override
    public void stop(List<String> units) throws OperationFailedException {
        if (units.isEmpty()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "stop"));
        argv.addAll(units);
        run(Command.of(argv), "run 'systemctl stop " + String.join(" ", units) + "'");
    }

    private ProcessResult run(Command c, String whatToDo) throws OperationFailedException {
        ProcessResult r = runner.run(c.withTimeout(TIMEOUT));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, whatToDo);
        }
        return r;
    }

    /** Blocks of {@code KEY=VALUE} lines separated by empty lines, one per unit (visible for tests). */
    static List<UnitState> parseShow(String stdout) {
        List<UnitState> out = new ArrayList<>();
        Map<String, String> block = new HashMap<>();
        for (String line : (stdout + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (block.containsKey("Id")) {
                    out.add(new UnitState(block.get("Id"), block.getOrDefault("LoadState", ""),
                            block.getOrDefault("ActiveState", "")));
                }
                block.clear();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                block.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return out;
    }
}
