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
            exit(System.out.checkError() ? ExitCodes.FAILED : ExitCodes.OK);
            return;
        }
        java.util.OptionalInt direct = DirectRuns.run(args);
        exit(direct.isPresent() ? direct.getAsInt() : SysextctlCommand.newCommandLine(args).execute(args));
    }

    /**
     * Ends the run with {@code code}. Success returns from {@code main} when no other thread of the program is left
     * to wait for: the JVM then exits 0 after the same shutdown hooks, without {@link Runtime#exit}, which (Java 21
     * and later) looks up a system logger to report the exit through, a service lookup in every module of the runtime
     * and a good part of a short command's run ({@code StartupClassesIT} checks). Any other code, or a live thread
     * that is not a daemon, goes through {@link System#exit}.
     */
    static void exit(int code) {
        if (code != ExitCodes.OK || !aloneInItsGroup()) {
            System.exit(code);
        }
    }

    /** Whether the calling thread is the only live thread of its group that is not a daemon. */
    static boolean aloneInItsGroup() {
        Thread self = Thread.currentThread();
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        int n = Thread.enumerate(threads);
        if (n == threads.length) {
            return false; // more than it could list: do not guess
        }
        for (int i = 0; i < n; i++) {
            if (threads[i] != self && threads[i].isAlive() && !threads[i].isDaemon()) {
                return false;
            }
        }
        return true;
    }
}
