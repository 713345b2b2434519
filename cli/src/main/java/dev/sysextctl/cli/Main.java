package dev.sysextctl.cli;

import java.util.Optional;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Optional<String> quick = FastPaths.answer(args);
        if (quick.isPresent()) {
            System.out.print(quick.get());
            System.out.flush();
            System.exit(System.out.checkError() ? ExitCodes.FAILED : ExitCodes.OK);
        }
        System.exit(SysextctlCommand.newCommandLine(args).execute(args));
    }
}
