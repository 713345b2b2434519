package dev.sysextctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The training run for sysextctl's class-data sharing archive (AppCDS): run at package time with
 * {@code -XX:DumpLoadedClassList}, it executes the usual commands once in one JVM, so that the archive holds the
 * classes they load (picocli's model of every command, the builder, the merger's status and list, the native
 * engine's discovery and plan of merge, refresh and unmerge, Jackson, the tar writer and process runner when
 * mksquashfs is installed). Everything happens in a temporary directory with
 * output discarded; failures are ignored (a command that cannot run here still loaded its classes). Not a user
 * command: {@code java -cp sysextctl.jar dev.sysextctl.cli.StartupTraining}.
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("sysextctl-cds-");
        try {
            train(work);
        } finally {
            delete(work);
        }
    }

    private static void train(Path work) throws IOException {
        Path tree = work.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.createDirectories(tree.resolve("usr/lib/systemd/system"));
        Files.writeString(tree.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
        Files.writeString(tree.resolve("usr/lib/systemd/system/hello.service"), "[Service]\nExecStart=/usr/bin/hello\n");
        Path root = work.resolve("root");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        String out = work.toString();

        FastPaths.answer(new String[] {"--version"}); // Main's own paths for --version and help on a pipe
        FastPaths.answer(new String[] {"--help"}, new FastPaths.HelpSetting(null, null, null, null, false, "\n"));
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"--version"});
        for (Subcommands.Entry e : Subcommands.entries()) {
            runs.add(new String[] {e.name(), "--help"});
        }
        runs.add(new String[] {"build", tree.toString(), "--name", "hello", "--format", "directory", "-o",
            out + "/hello-dir", "--json"});
        runs.add(new String[] {"inspect", out + "/hello-dir", "--files"});
        runs.add(new String[] {"validate", out + "/hello-dir", "--os", "debian", "--os-version", "12"});
        runs.add(new String[] {"compose", root.toString(), out + "/hello-dir", "--format", "directory", "-o",
            out + "/composed"});
        runs.add(new String[] {"build", tree.toString(), "--name", "hello", "-o", out + "/hello.raw",
            "--report", out + "/report.json"});
        runs.add(new String[] {"build", tree.toString(), "--name", "hello", "-o", out + "/hello2.raw"});
        runs.add(new String[] {"inspect", out + "/hello.raw"});
        runs.add(new String[] {"list", "--root", root.toString()});
        runs.add(new String[] {"list", "--root", root.toString(), "--json"});
        runs.add(new String[] {"status", "--root", root.toString()});
        runs.add(new String[] {"status", "--root", root.toString(), "--json"});
        // merge, refresh and unmerge as far as a dry run goes (discovery, the lock, the native engine's plan): a real
        // merge needs root and mounts, which packaging may not have; what they load besides is in their own archives
        for (String action : List.of("merge", "refresh", "unmerge")) {
            runs.add(new String[] {action, "--root", root.toString(), "--engine", "native", "--dry-run"});
        }
        runs.add(new String[] {"build", "--bogus-option"});
        for (String[] run : runs) {
            CommandLine cl = SysextctlCommand.newCommandLine(run);
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            cl.setOut(sink);
            cl.setErr(sink);
            try {
                cl.execute(run);
            } catch (RuntimeException e) {
                // training only: what ran loaded its classes
            }
            if (DirectRuns.parse(run) != null) {
                // and the way a real run of it goes: without the picocli model (DirectRuns), onto stdout and stderr
                java.io.PrintStream stdout = System.out;
                java.io.PrintStream stderr = System.err;
                java.io.PrintStream nowhere = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
                System.setOut(nowhere);
                System.setErr(nowhere);
                try {
                    DirectRuns.run(run);
                } catch (RuntimeException e) {
                    // training only
                } finally {
                    System.setOut(stdout);
                    System.setErr(stderr);
                }
            }
        }
        Files.writeString(work.resolve("done"), "ok\n", StandardCharsets.UTF_8);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
