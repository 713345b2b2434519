package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a native tool tells its version: {@code PROGRAM FLAG} prints a line that {@code pattern} matches (group 1 is
 * the version) on stdout or stderr.
 *
 * @param program the program name, also the {@link ToolVersionCache} key
 * @param flag the one argument that makes it print its version
 * @param pattern what its answer looks like; group 1 is the version
 * @param install what to install when it does not answer (the fix in the error message)
 */
record ToolVersionProbe(String program, String flag, Pattern pattern, String install) {
    /** The version, probed once per {@code versions} (and remembered across runs where it remembers). */
    String version(ProcessRunner runner, ToolVersionCache versions) throws OperationFailedException {
        return versions.get(program, program, flag, () -> {
            ProcessResult r = runner.run(Command.of(program, flag));
            Matcher m = pattern.matcher(r.stdout() + "\n" + r.stderr());
            if (!m.find()) {
                throw new OperationFailedException("cannot tell the version of " + program + " from '"
                        + r.lastErrorLine() + "'; install " + install);
            }
            return m.group(1);
        });
    }
}
