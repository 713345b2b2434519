package dev.sysextctl.cli;

import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One case of the hostile-input corpus: what it is called, how its input is made, the sysextctl command run on it,
 * the exit codes the contract allows, a fragment the message must contain (null: any), an extra check of the
 * result, and whether a failed run may leave its report.
 */
record HostileCase(String name, Generator generator, Command command, Set<Integer> exits, String message,
        After after, boolean reportOnFailure) {

    @Override
    public String toString() {
        return name;
    }

    HostileCase then(After more) {
        After first = after;
        return new HostileCase(name, generator, command, exits, message, (d, r) -> {
            first.check(d, r);
            more.check(d, r);
        }, reportOnFailure);
    }

    /** A run that fails may still write its report into the output directory (convert torcx-profile does). */
    HostileCase writesReportOnFailure() {
        return new HostileCase(name, generator, command, exits, message, after, true);
    }

    static HostileCase of(String name, Generator generator, Command command, int exit, String message) {
        return new HostileCase(name, generator, command, Set.of(exit), message, (d, r) -> { }, false);
    }

    static HostileCase of(String name, Generator generator, Command command, Set<Integer> exits, String message) {
        return new HostileCase(name, generator, command, exits, message, (d, r) -> { }, false);
    }

    /** Writes the case's inputs (into {@link CaseDirs#in()}, or a root into {@link CaseDirs#out()}). */
    @FunctionalInterface
    interface Generator {
        void generate(CaseDirs d) throws Exception;
    }

    /** The sysextctl arguments. */
    @FunctionalInterface
    interface Command {
        List<String> apply(CaseDirs d);
    }

    /** A further check of the run. */
    @FunctionalInterface
    interface After {
        void check(CaseDirs d, Shell.Result r) throws Exception;
    }

    /**
     * The directories of one case: {@code in} (inputs), {@code out} (the output directory, the working directory of
     * the run, or the --root), {@code canary} (what hostile names and links point at: must never change) and
     * {@code tmp} (java.io.tmpdir of the run: must be empty afterwards).
     */
    record CaseDirs(Path base, Path in, Path out, Path canary, Path tmp) {
        static CaseDirs create(Path base) throws IOException {
            CaseDirs d = new CaseDirs(base, base.resolve("in"), base.resolve("out"), base.resolve("canary"),
                    base.resolve("tmp"));
            for (Path p : List.of(d.in, d.out, d.canary, d.tmp)) {
                Files.createDirectories(p);
            }
            Files.writeString(d.canary.resolve("keep"), "ID=_any\nARCHITECTURE=x86-64\n");
            Files.createDirectories(d.canary.resolve("sub"));
            Files.writeString(d.canary.resolve("sub/keep"), "canary\n");
            return d;
        }

        Path in(String name) {
            return in.resolve(name);
        }

        String arg(String name) {
            return in.resolve(name).toString();
        }

        /** The canary directory as a path relative to the file system root ("work/.../canary"). */
        String canaryFromRoot() {
            return canary.toString().substring(1);
        }
    }
}
