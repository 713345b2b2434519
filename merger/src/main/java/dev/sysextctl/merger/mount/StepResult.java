package dev.sysextctl.merger.mount;

/** How a {@link MountStep} ended: its exit code and what it printed (only kept when it failed). */
public record StepResult(String id, int exitCode, String output) {
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The output on one line, for messages. */
    public String message() {
        String m = output == null ? "" : output.strip().replace('\n', ' ');
        return m.isEmpty() ? "exit " + exitCode : m;
    }
}
