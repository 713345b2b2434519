package dev.sysextctl.core.process;

import java.util.List;

/** What a finished process left: its argv, exit code and captured output. */
public record ProcessResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last non-empty line of stderr (or stdout when stderr is empty), for one-line error messages. */
    public String lastErrorLine() {
        for (String text : new String[] {stderr, stdout}) {
            String[] lines = text.strip().split("\n");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) {
                    return lines[i].strip();
                }
            }
        }
        return "(no output)";
    }
}
