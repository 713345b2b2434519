package dev.sysextctl.core.process;

/** A JVM that runs {@code sleep 600} through the runner (for {@link ZtProcessRunnerTest}: it is SIGKILLed). */
public final class PdeathsigProbe {
    private PdeathsigProbe() {
    }

    public static void main(String[] args) throws Exception {
        new ZtProcessRunner().run(Command.of("sleep", "600"));
    }
}
