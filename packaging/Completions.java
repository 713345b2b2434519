import dev.sysextctl.cli.SysextctlCommand;
import picocli.AutoComplete;

/**
 * Prints sysextctl's bash completion script (picocli's AutoComplete over the full command line, every subcommand
 * registered). Run by scripts/package with the jar on the class path: java -cp sysextctl.jar Completions.java
 */
public final class Completions {
    private Completions() {
    }

    public static void main(String[] args) {
        System.out.print(AutoComplete.bash("sysextctl", SysextctlCommand.newCommandLine()));
    }
}
